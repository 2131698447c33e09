"""Personal data stays out of logs and URLs: a report with a known name, NIK, phone, address and
email goes through a real `kiosk serve`, mistakes included, and none of it appears in a log line
or in an address the browser asked for."""
import pytest

from tests.support.citizen import REPORTER, Citizen, submit, walk_to_review
from tests.support.servers import LiveClient, Server

pytestmark = pytest.mark.process  # a real `kiosk serve`, its log read after

PERSONAL = {
    "name": REPORTER["reporter_name"],
    "NIK": REPORTER["reporter_nik"],
    "phone": "81234567890",
    "phone as typed": REPORTER["reporter_phone"],
    "address": "Ahmad Yani",
    "email": REPORTER["reporter_email"],
    "witness": "Budi Santoso",
}


@pytest.fixture
def office(tmp_path):
    server = Server(tmp_path / "office", office_code="36.73", min_form_seconds=0)
    server.start()
    yield server
    server.stop()


def test_personal_data_never_reaches_logs_or_urls(office):
    browser = LiveClient(office.url)
    person = Citizen(browser)
    # a mistake first: everything typed comes back on the page (as it should), and nowhere else
    person.get("/lapor/kejadian?jenis=formal")
    person.post("/lapor/pelapor", dict(REPORTER, reporter_email="siti@", reporter_phone="12"))
    walk_to_review(person, witnesses=[{"witness_name": "Budi Santoso", "witness_phone": "0813 1111 2222"}])
    page = submit(person)[0].get_data(as_text=True)
    assert "tracking-code" in page
    person.get("/status?kode=0000-0000-0000-0000")
    person.get("/tidak-ada")
    office.stop()

    log = office.log.read_text()
    assert "INFO" in log  # the server did log (its start, at least)
    for what, value in PERSONAL.items():
        assert value not in log, f"{what} in the server log"
        for url in browser.visited:
            assert value.replace(" ", "+") not in url and value not in url, f"{what} in {url}"
