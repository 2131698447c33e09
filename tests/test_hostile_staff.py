"""Hostile input at every form of the staff workspace: sign-in, the list's filters, the kajian awal
checklist, the legal category, each status change, the accounts, the audit log, the recap and the
export, posted by a signed-in admin with a valid token. Never a server error; whatever is kept is
shown escaped on the pages that show it afterwards."""
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk import choices as staff_choices
from kiosk.choices import CHECKS
from kiosk.staff.workflow import TRANSITIONS
from tests.support.hostile import CSRF, HOSTILE, check_page, form_data, hostile
from tests.support.staff import StaffMember, make_report, make_staff

STATUS_FIELDS = ["public_note", "internal_note", "reason", "agency", "agency_name", "outcome"]
# Hostile text, or now and then a value the form accepts, so that hostile notes get stored and shown.
VALID = ["y", "1", "0", "other", "administratif", "petugas", "admin", "comma", "semicolon", "formal", "tip",
         "2026-11-01", "01/11/2026", "a-long-passphrase", "baru.petugas", *staff_choices.NOT_REGISTERED_REASONS,
         *staff_choices.AGENCIES, *staff_choices.OUTCOMES]
values = st.one_of(hostile, st.sampled_from(VALID))
# The status a report must have for a change to each target to be allowed (and the checks it needs).
FROM = {target: source for source, targets in TRANSITIONS.items() for target in targets}


@pytest.fixture
def office(make_app):
    return make_app("data", MIN_FORM_SECONDS=0, RATE_LIMITS=False)


@pytest.fixture
def admin(office):
    make_staff("admin", "admin")
    make_staff("petugas")
    member = StaffMember(office.test_client())
    member.login("admin")
    return member


def post(member, url, form):
    """Post `form` (a MultiDict) with the member's token; follow the redirect."""
    if member.token is None:
        member.get("/staff/")
    form["csrf_token"] = member.token
    return member.client.post(url, data=form, follow_redirects=True)


def report_for(target):
    """A report in the status that may change to `target`, checklist confirmed, category set."""
    return make_report(status=FROM[target], kajian_checks={name: True for name in CHECKS},
                       legal_category="administratif",
                       registered_on=dt.date.today() if FROM[target] == "diregistrasi" else None)


def check_report_pages(member, report):
    """The pages that show a report and its history afterwards."""
    check_page(member.get(f"/staff/laporan/{report.id}"))
    check_page(member.get(f"/status?kode={report.tracking_code}"))


@pytest.mark.parametrize("target", sorted(FROM))
@HOSTILE
@given(data=st.data())
def test_every_status_change_survives_hostile_posts(admin, target, data):
    report = report_for(target)
    form = data.draw(form_data(STATUS_FIELDS, values), label="form")
    check_page(post(admin, f"/staff/laporan/{report.id}/status/{target}", form))
    check_report_pages(admin, report)


@HOSTILE
@given(data=st.data())
def test_the_checklist_and_the_legal_category_survive_hostile_posts(admin, data):
    report = make_report(status="kajian_awal")
    checklist = data.draw(form_data(list(CHECKS), values), label="checklist")
    check_page(post(admin, f"/staff/laporan/{report.id}/kajian", checklist))
    category = data.draw(form_data(["legal_category"], values), label="category")
    check_page(post(admin, f"/staff/laporan/{report.id}/kategori", category))
    check_report_pages(admin, report)


@HOSTILE
@given(target=hostile, form=form_data(STATUS_FIELDS, values))
def test_a_status_that_does_not_exist(admin, target, form):
    report = make_report()
    response = post(admin, f"/staff/laporan/{report.id}/status/{target.replace('/', '')}", form)
    check_page(response)
    assert response.status_code in (200, 404, 405, 409)


@HOSTILE
@given(data=st.data())
def test_account_forms_survive_hostile_posts(admin, data):
    from kiosk.staff.models import Staff

    petugas = Staff.get(Staff.username == "petugas")
    check_page(post(admin, "/staff/akun", data.draw(form_data(["username", "role", "password"], values), label="new")))
    check_page(post(admin, f"/staff/akun/{petugas.id}/aktif", data.draw(form_data(["active"], values), label="active")))
    check_page(post(admin, f"/staff/akun/{petugas.id}/sandi", data.draw(form_data(["password"], values), label="reset")))
    check_page(admin.get("/staff/akun"))
    check_page(admin.get("/staff/audit"))


@HOSTILE
@given(form=form_data(["start", "end", "separator"], values))
def test_the_export_survives_hostile_ranges(admin, form):
    response = post(admin, "/staff/ekspor", form)
    check_page(response)
    assert response.status_code in (200, 400)


@HOSTILE
@given(form=form_data(["kind"], values))
def test_assisted_entry_survives_hostile_posts(admin, form):
    check_page(post(admin, "/staff/bantu", form))


LISTS = {
    "/staff/": ["start", "end", "status", "category", "channel", "kind", "q"],
    "/staff/rekap": ["date"],
    "/staff/audit": ["start", "end", "action", "actor", "page"],
    "/staff/ekspor": ["start", "end"],
}


@pytest.mark.parametrize("path", LISTS)
@HOSTILE
@given(data=st.data())
def test_lists_and_filters_survive_hostile_query_strings(admin, path, data):
    query = data.draw(form_data(LISTS[path], values), label="query")
    htmx = {"HX-Request": "true"} if data.draw(st.booleans(), label="htmx") else {}
    check_page(admin.client.get(path, query_string=query, headers=htmx))


@HOSTILE
@given(form=form_data(["office", "username", "password", "next"]), next_page=hostile)
def test_sign_in_survives_hostile_posts(office, form, next_page):
    visitor = StaffMember(office.test_client())
    page = check_page(visitor.client.get("/staff/login", query_string={"next": next_page}))
    form["csrf_token"] = CSRF.search(page).group(1)
    response = visitor.client.post("/staff/login", data=form)
    check_page(response)
    if response.status_code == 303:
        location = response.headers["Location"]
        assert location.startswith("/") and not location.startswith("//") and "\\" not in location


def test_audit_pages_far_beyond_the_last(admin):
    for page in ("99999999999999999999999", "-5", "0", "1e9", "x"):
        response = admin.get(f"/staff/audit?page={page}")
        assert response.status_code == 200, page


def test_search_with_digits_int_cannot_read(admin):
    report = make_report()
    for text in ("²", "٣", "²" * 16, "１"):
        assert admin.get(f"/staff/?q={text}").status_code == 200, text
    wide = "".join(chr(ord(digit) + 0xFEE0) for digit in report.tracking_code)
    assert report.receipt_no in admin.get(f"/staff/?q={wide}").get_data(as_text=True)


HUB_LISTS = {
    "/staff/": [],
    "/staff/laporan": ["office", "start", "end", "status", "category", "channel", "kind", "q"],
    "/staff/rekap": ["date", "office"],
    "/staff/ekspor": ["start", "end", "office"],
}


@pytest.fixture
def provincial(hub_app, hub_accounts, hub_staff_as):
    return hub_staff_as("admin")


@pytest.mark.parametrize("path", HUB_LISTS)
@HOSTILE
@given(data=st.data())
def test_the_hubs_pages_survive_hostile_query_strings(provincial, path, data):
    query = data.draw(form_data(HUB_LISTS[path], values), label="query") if HUB_LISTS[path] else {}
    htmx = {"HX-Request": "true"} if data.draw(st.booleans(), label="htmx") else {}
    check_page(provincial.client.get(path, query_string=query, headers=htmx))


@HOSTILE
@given(form=form_data(["start", "end", "separator", "office"], values))
def test_the_hubs_export_survives_hostile_ranges(provincial, form):
    response = post(provincial, "/staff/ekspor", form)
    check_page(response)
    assert response.status_code in (200, 400)
