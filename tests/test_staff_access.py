"""Who may open what in the staff workspace: every staff route against anonymous visitors (sent to the
sign-in), staff of another office (404 for this office's reports and accounts, and nothing of ours in
their lists), petugas (403 on admin pages) and admins; then the same routes on the provincial hub, where
provincial staff read every office's reports but write none, and any other office's account gets 404."""
import datetime as dt
import io
import re

import pytest
from PIL import Image

from kiosk import elections
from kiosk.models import Report
from tests.support.sealed import add_addition, add_evidence
from tests.support.sms import blocked_number, waiting_message
from tests.support.staff import STAFF_PASSWORD, StaffMember, make_hub_office, make_report

# Which page each account may reach is decided before any query: the hub's database is tests/test_hub_staff.py's.
pytestmark = pytest.mark.sqlite_hub

# Where a route serves: at an office and on the hub ("both"), at an office only ("office": it writes to a
# report, which the hub holds only as the office's copy), or on the hub only ("hub": the provincial pages).
# (method, path, form, admin only, bound to one of this office's reports or accounts, where)
ROUTES = [
    ("GET", "/staff/", {}, False, False, "both"),
    ("GET", "/staff/laporan", {}, False, False, "hub"),
    ("GET", "/staff/laporan/{report}", {}, False, True, "both"),
    ("POST", "/staff/laporan/{report}/kajian", {"identity": "y"}, False, True, "office"),
    ("POST", "/staff/laporan/{report}/kategori", {"legal_category": "administratif"}, False, True, "office"),
    ("GET", "/staff/laporan/{report}/status/selesai", {}, False, True, "office"),
    ("POST", "/staff/laporan/{report}/status/selesai", {"outcome": "no_violation"}, False, True, "office"),
    ("GET", "/staff/laporan/{report}/bukti/{evidence}", {}, False, True, "both"),
    ("GET", "/staff/laporan/{report}/bukti/{evidence}/pratinjau", {}, False, True, "both"),
    ("POST", "/staff/laporan/{report}/tambahan", {"text": "Fotokopi KTP pelapor"}, False, True, "office"),
    ("POST", "/staff/laporan/{report}/bukti-fisik", {"what": "2 amplop"}, False, True, "office"),
    ("POST", "/staff/laporan/{report}/tambahan/{addition}/pakai", {}, False, True, "office"),
    ("GET", "/staff/laporan/{report}/bukti/{evidence}/asli", {}, True, True, "office"),
    ("POST", "/staff/laporan/{report}/sms", {"text": "Di desa mana kejadiannya?"}, False, True, "office"),
    ("GET", "/staff/sms", {}, False, True, "office"),
    ("POST", "/staff/sms/{message}/tip", {}, False, True, "office"),
    ("POST", "/staff/sms/{message}/abaikan", {}, False, True, "office"),
    ("POST", "/staff/sms/{message}/blokir", {}, False, True, "office"),
    ("POST", "/staff/sms/blokir/{block}/hapus", {}, False, True, "office"),
    ("GET", "/staff/bantu", {}, False, False, "office"),
    ("POST", "/staff/bantu", {"kind": "tip"}, False, False, "office"),
    ("GET", "/staff/rekap", {}, False, False, "both"),
    ("GET", "/staff/ekspor", {}, False, False, "both"),
    ("POST", "/staff/ekspor", {"start": "2026-01-01", "end": "2026-12-31", "separator": "comma"}, False, False, "both"),
    ("GET", "/staff/audit", {}, True, False, "both"),
    ("GET", "/staff/akun", {}, True, False, "both"),
    ("POST", "/staff/akun", {"username": "baru", "role": "petugas", "password": "another long secret"}, True, False,
     "both"),
    ("POST", "/staff/akun/{account}/aktif", {"active": "0"}, True, True, "both"),
    ("GET", "/staff/akun/{account}/sandi", {}, True, True, "both"),
    ("POST", "/staff/akun/{account}/sandi", {"password": "another long secret", "your_password": STAFF_PASSWORD},
     True, True, "both"),
    ("POST", "/staff/akun/dua-langkah", {"required": "0"}, True, False, "both"),
    ("GET", "/staff/kantor", {}, True, False, "office"),
    ("GET", "/staff/catatan", {}, True, False, "office"),
    ("POST", "/staff/catatan", {"selesai": "Penanganan selesai."}, True, False, "office"),
    ("POST", "/staff/kantor", {"phone": "(0254) 123456"}, True, False, "office"),
    ("GET", "/staff/saya", {}, False, False, "both"),
    ("POST", "/staff/saya/sandi", {"current": STAFF_PASSWORD, "password": "another long secret"}, False, False, "both"),
    ("POST", "/staff/saya/dua-langkah/mulai", {}, False, False, "both"),
    ("POST", "/staff/saya/dua-langkah", {"code": "123456"}, False, False, "both"),
    ("POST", "/staff/saya/dua-langkah/kode-baru", {"your_password": STAFF_PASSWORD}, False, False, "both"),
    ("POST", "/staff/saya/dua-langkah/mati", {"your_password": STAFF_PASSWORD}, False, False, "both"),
    ("GET", "/staff/hak-subjek", {}, True, False, "office"),
    ("POST", "/staff/hak-subjek/ekspor", {"nik": "3673015508900002"}, True, False, "office"),
    ("GET", "/staff/hak-subjek/{report}", {}, True, True, "office"),
    ("POST", "/staff/hak-subjek/{report}", {"reporter_name": "Siti R.", "reporter_birth_place": "Serang",
                                            "reporter_birth_date": "1990-08-15", "reporter_sex": "P",
                                            "reporter_occupation": "Guru", "reporter_nationality": "Indonesia",
                                            "reporter_address": "Jl. Ahmad Yani 12, Serang",
                                            "reporter_phone": "0812 3456 7890"}, True, True, "office"),
    ("POST", "/staff/laporan/{report}/kaji", {"identity": "y"}, False, True, "office"),
    ("POST", "/staff/laporan/{report}/tugas", {"assignee": ""}, False, True, "office"),
    ("POST", "/staff/laporan/{report}/pemilihan", {"election": ""}, False, True, "office"),
    ("GET", "/staff/laporan/{report}/cetak/tanda-bukti", {}, False, True, "office"),
    ("GET", "/staff/laporan/{report}/cetak/b1/pdf", {}, False, True, "office"),
    ("GET", "/staff/register", {}, False, False, "office"),
    ("GET", "/staff/register/pdf", {}, False, False, "office"),
    ("GET", "/staff/pemilihan", {}, True, False, "office"),
    ("POST", "/staff/pemilihan", {"kind": "pemilu", "name": "Pemilu 2029", "voting_day": "2029-02-14"}, True, False,
     "office"),
    ("POST", "/staff/pemilihan/{election}/buka", {"open": "0"}, True, True, "office"),
    ("POST", "/staff/logout", {}, False, False, "both"),
]
IDS = [f"{method} {path}" for method, path, *_ in ROUTES]
ARGS = "method,path,form,admin,bound,where"


def jpeg(comment=b""):
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 60)).save(buffer, "JPEG", comment=comment)
    return buffer.getvalue()


def report_with_photo(app):
    """A report of Kota Serang with a photo (the file in the data folder), in 'diregistrasi' so that
    closing it is allowed; returns (report, evidence)."""

    report = make_report(status="diregistrasi", registration_no="001/Reg/LP/PL/Kota/36.73/XI/2026")
    item = add_evidence(report, app.config["EVIDENCE_DIR"], jpeg(), "foto.jpg", "image/jpeg",
                        original=jpeg(comment=b"Kamera kantor"))
    return report, item


@pytest.fixture
def world(app, accounts):
    """One report of this office with a photo."""
    report, item = report_with_photo(app)
    with app.app_context():
        addition = add_addition(report, text="Fotokopi KTP", reporter_name="Siti Rahmawati")
        election = elections.add("36.73", "pemilu", "Pemilu 2029", dt.date(2029, 2, 14))
        message, block = waiting_message(), blocked_number()
    return {"report": report.id, "evidence": item.id, "account": accounts["petugas"].id, "addition": addition.id,
            "election": election.id, "message": message.id, "block": block.id}


def call(member, method, path, form, world):
    url = path.format(**world)
    if method == "GET":
        return member.client.get(url)
    if member.token is None:
        member.get("/staff/login")
    return member.client.post(url, data=dict(form, csrf_token=member.token))


def test_every_staff_route_is_in_the_matrix(app):
    """A new staff route must join ROUTES, so that it is tested against every kind of visitor, at an
    office and on the hub (the hub serves the same routes)."""
    from kiosk.staff.access import OPEN_ENDPOINTS

    served = {(rule.rule, method) for rule in app.url_map.iter_rules()
              if rule.endpoint.startswith("staff.") and rule.endpoint not in OPEN_ENDPOINTS
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    placeholders = {"{report}": "<uuid:report_id>", "{evidence}": "<uuid:evidence_id>", "{account}": "<int:staff_id>",
                    "{addition}": "<uuid:addition_id>", "{message}": "<int:message_id>", "{block}": "<int:block_id>",
                    "/status/selesai": "/status/<target>", "{election}": "<election_id>",
                    "/cetak/tanda-bukti": "/cetak/<paper>", "/cetak/b1/pdf": "/cetak/<paper>/<fmt>",
                    "/register/pdf": "/register/<fmt>"}
    covered = set()
    for method, path, *_ in ROUTES:
        for placeholder, converter in placeholders.items():
            path = path.replace(placeholder, converter)
        covered.add((path, method))
    assert served == covered


@pytest.mark.parametrize(ARGS, ROUTES, ids=IDS)
def test_anonymous_visitors_are_sent_to_sign_in(app, world, method, path, form, admin, bound, where):
    visitor = StaffMember(app.test_client())
    visitor.get("/staff/login")  # a session with a CSRF token, but nobody signed in
    response = call(visitor, method, path, form, world)
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/staff/login")
    if method == "GET":
        assert "next=" in response.headers["Location"]


@pytest.mark.parametrize(ARGS, ROUTES, ids=IDS)
def test_staff_of_another_office_get_404_for_our_reports_and_accounts(staff_as, world, method, path, form, admin,
                                                                     bound, where):
    other = staff_as("other")  # an admin, so that only the office stands in the way
    response = call(other, method, path, form, world)
    if bound or where == "hub":
        assert response.status_code == 404
    elif path == "/staff/bantu":
        assert response.status_code == 403  # a report it typed in would be filed as ours
    else:
        assert response.status_code in (200, 303)
        assert b"0001/PL/36.73" not in response.get_data()  # (a PDF's text: test_papers.py reads it)


@pytest.mark.parametrize(ARGS, ROUTES, ids=IDS)
def test_petugas_are_kept_out_of_admin_pages_only(staff_as, world, method, path, form, admin, bound, where):
    response = call(staff_as("petugas"), method, path, form, world)
    if where == "hub":
        assert response.status_code == 404  # the provincial pages do not exist at an office
    elif admin:
        assert response.status_code == 403
    else:
        assert response.status_code in (200, 303)


@pytest.mark.parametrize(ARGS, ROUTES, ids=IDS)
def test_admins_may_use_every_route_of_an_office(staff_as, world, method, path, form, admin, bound, where):
    response = call(staff_as("admin"), method, path, form, world)
    if where == "hub":
        assert response.status_code == 404
    else:
        assert response.status_code in (200, 303)


def test_other_office_sees_none_of_our_reports_in_lists_search_and_exports(staff_as, world):
    report = Report.get_by_id(world["report"])
    other = staff_as("other")
    for url in ("/staff/", f"/staff/?q={report.receipt_no}", f"/staff/?q={report.tracking_code}", "/staff/rekap"):
        page = other.get(url).get_data(as_text=True)
        assert str(report.id) not in page, url
        assert "0 reports" in page, url
    csv = other.post("/staff/ekspor", {"start": "2020-01-01", "end": "2020-12-31", "separator": "comma"})
    assert report.receipt_no not in csv.get_data(as_text=True)


def test_sign_in_page_is_open(client):
    response = client.get("/staff/login")
    assert response.status_code == 200
    assert 'name="password"' in response.get_data(as_text=True)


def test_admins_cannot_pick_accounts_of_another_office_by_id(staff_as, accounts):
    admin = staff_as("admin")
    assert admin.client.get(f"/staff/akun/{accounts['other'].id}/sandi").status_code == 404


def test_password_is_not_in_any_page(staff_as):
    assert STAFF_PASSWORD not in staff_as("admin").get("/staff/akun").get_data(as_text=True)


# ---- The same routes on the provincial hub (KIOSK_ROLE=hub, office 36) ----

@pytest.fixture
def hub_world(hub_app, hub_accounts):
    """At the hub: Kota Serang's report with its photo, as replicated, and a provincial petugas account."""
    make_hub_office("36.73", ok_hours_ago=2)
    report, item = report_with_photo(hub_app)
    with hub_app.app_context():
        addition = add_addition(report, text="Fotokopi KTP", reporter_name="Siti Rahmawati")
    return {"report": report.id, "evidence": item.id, "account": hub_accounts["petugas"].id, "addition": addition.id,
            "election": "0" * 32, "message": 1, "block": 1}  # the hub has no modem: its SMS pages do not exist


@pytest.mark.parametrize(ARGS, ROUTES, ids=IDS)
def test_hub_sends_anonymous_visitors_to_sign_in(hub_app, hub_world, method, path, form, admin, bound, where):
    visitor = StaffMember(hub_app.test_client())
    visitor.get("/staff/login")
    response = call(visitor, method, path, form, hub_world)
    assert response.status_code == 303 and response.headers["Location"].startswith("/staff/login")


@pytest.mark.parametrize(ARGS, ROUTES, ids=IDS)
def test_hub_is_not_for_accounts_of_another_office(hub_staff_as, hub_world, method, path, form, admin, bound, where):
    response = call(hub_staff_as("other"), method, path, form, hub_world)
    assert response.status_code == (303 if path == "/staff/logout" else 404)  # signing out is always possible


@pytest.mark.parametrize(ARGS, ROUTES, ids=IDS)
def test_hub_petugas_read_every_office_and_write_nothing(hub_staff_as, hub_world, method, path, form, admin, bound,
                                                         where):
    response = call(hub_staff_as("petugas"), method, path, form, hub_world)
    if where == "office":
        assert response.status_code == 404
    elif admin:
        assert response.status_code == 403
    else:
        assert response.status_code in (200, 303)


@pytest.mark.parametrize(ARGS, ROUTES, ids=IDS)
def test_hub_admins_manage_hub_accounts_and_write_no_report(hub_staff_as, hub_world, method, path, form, admin,
                                                           bound, where):
    response = call(hub_staff_as("admin"), method, path, form, hub_world)
    if where == "office":
        assert response.status_code == 404
    else:
        assert response.status_code in (200, 303)
    report = Report.get_by_id(hub_world["report"])
    assert (report.status, report.kajian_checks, report.legal_category) == ("diregistrasi", None, "")


def test_hub_pages_hold_no_form_that_writes_to_a_report(hub_staff_as, hub_world):
    admin = hub_staff_as("admin")
    for url in ("/staff/", "/staff/laporan", "/staff/laporan/{report}".format(**hub_world), "/staff/rekap"):
        page = admin.get(url).get_data(as_text=True)
        forms = [action for action in re.findall(r'<form method="post" action="([^"]+)"', page)]
        assert forms == ["/staff/logout"], url
        assert "/staff/bantu" not in page and "/status/" not in page, url


def test_the_hubs_allow_list_names_real_pages(hub_app):
    """A misspelt endpoint in the allow-list would quietly 404 a page the hub should serve."""
    from kiosk.staff.access import HUB_ENDPOINTS, HUB_ONLY_ENDPOINTS
    from kiosk.staff.context import HUB_NAV

    endpoints = {rule.endpoint for rule in hub_app.url_map.iter_rules()}
    assert HUB_ENDPOINTS | HUB_ONLY_ENDPOINTS <= endpoints
    assert HUB_ONLY_ENDPOINTS <= HUB_ENDPOINTS and {endpoint for endpoint, *_ in HUB_NAV} <= HUB_ENDPOINTS
