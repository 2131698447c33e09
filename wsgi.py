"""The WSGI entry point for any server: `waitress-serve wsgi:app`, gunicorn, uwsgi."""
from kiosk import create_app

app = create_app()
