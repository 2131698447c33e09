"""Where the app's own files are: its templates, static files and translations. A checkout keeps them
beside the package (the project's layout); a built wheel carries them inside it (setup.py copies them in),
so that a plain `pip install .` serves pages."""
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
HOME = PACKAGE if (PACKAGE / "templates").is_dir() else PACKAGE.parent
TEMPLATES = HOME / "templates"
STATIC = HOME / "static"
TRANSLATIONS = HOME / "translations"
