"""A citizen filing a report without JavaScript: a session that carries each form's CSRF token, the
answers a person gives at each step, and the walk through every step to the receipt."""
import datetime as dt
import re

from kiosk.deadlines import today

# Plumbing, not an assertion: a regular expression finds the token in every response cheaply (the
# suite makes thousands of requests); the assertions about a page parse it (tests.support.html).
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
SUBMIT_KEY = re.compile(r'name="submit_key" value="([^"]+)"')


class Citizen:
    """A person using the site without JavaScript: each post carries the form's CSRF token. `client` is
    Flask's test client or a `servers.LiveClient` (a real server over HTTP)."""

    def __init__(self, client):
        self.client = client
        self.token = None

    def _remember(self, response):
        match = CSRF.search(response.get_data(as_text=True))
        if match:
            self.token = match.group(1)
        return response

    def get(self, url, **kwargs):
        kwargs.setdefault("follow_redirects", True)
        return self._remember(self.client.get(url, **kwargs))

    def post(self, url, data=None, **kwargs):
        if self.token is None:
            self.get("/lapor/")
        data = dict(data or {})
        data.setdefault("csrf_token", self.token)
        kwargs.setdefault("follow_redirects", True)
        return self._remember(self.client.post(url, data=data, **kwargs))


def days_ago(n):
    """The ISO date n days before today (Asia/Jakarta)."""
    return (today() - dt.timedelta(days=n)).isoformat()


def event_answers(**changes):
    """The answers of the event step (money politics two days ago in Kota Serang), with `changes`."""
    answers = {
        "category": "politik_uang", "occurred_on": days_ago(2), "learned_on": days_ago(1),
        "regency": "36.73", "district": "36.73.01", "village": "36.73.01.1001",
        "place_detail": "Dekat TPS 05, Jl. Maulana Yusuf",
        "description": "Tim sukses calon membagikan amplop berisi uang Rp100.000 kepada warga sebelum pencoblosan.",
        "action": "next",
    }
    answers.update(changes)
    return answers


TERLAPOR = {"terlapor_name": "Tim Sukses Calon Nomor 3", "terlapor_role": "tim_kampanye",
            "terlapor_address": "", "terlapor_phone": "", "action": "next"}

REPORTER = {
    "reporter_type": "pemilih", "reporter_name": "Siti Rahmawati", "reporter_nik": "3673015508900002",
    "reporter_birth_place": "Serang", "reporter_birth_date": "1990-08-15", "reporter_sex": "P",
    "reporter_occupation": "Guru", "reporter_nationality": "Indonesia",
    "reporter_address": "Jl. Ahmad Yani No. 12, Cipare, Serang", "reporter_phone": "0812 3456 7890",
    "reporter_email": "siti@example.com", "action": "next",
}


def walk_to_review(citizen, kind="formal", event=None, reporter=None, witnesses=(), contact=None):
    """Go through every step as a person would, up to 'check your answers'; return that page."""
    citizen.get(f"/lapor/kejadian?jenis={kind}")
    citizen.post("/lapor/kejadian", event or event_answers())
    citizen.post("/lapor/terlapor", TERLAPOR)
    for witness in witnesses:
        citizen.post("/lapor/saksi", dict(witness, action="add"))
    citizen.post("/lapor/saksi", {"action": "next"})
    response = citizen.post("/lapor/bukti", {"action": "next"})
    if kind == "formal":
        response = citizen.post("/lapor/pelapor", reporter or REPORTER)
    else:
        response = citizen.post("/lapor/kontak", contact or {"action": "next"})
    return response


def submit(citizen):
    """Tick the declaration and send the report shown on the review page; (the response, the submit key)."""
    page = citizen.get("/lapor/periksa").get_data(as_text=True)
    key = SUBMIT_KEY.search(page).group(1)
    return citizen.post("/lapor/kirim", {"submit_key": key, "declared_true": "y", "action": "send"}), key
