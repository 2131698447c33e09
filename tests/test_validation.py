"""Each validation rule: a clear message at the top and beside the field, and nothing typed lost."""
import re

import pytest

from tests.support.sealed import draft_of
from tests.support import html
from tests.support.citizen import REPORTER, TERLAPOR, days_ago, event_answers


def errors_of(response):
    """The messages in the error summary, in order."""
    return [message for _, message in html.errors(response)]


def fields_in_error(response):
    """The fields the error summary links to (their ids), in order."""
    return [href.removeprefix("#") for href, _ in html.errors(response)]


def start(citizen, kind="formal"):
    citizen.get(f"/lapor/kejadian?jenis={kind}")


@pytest.mark.parametrize("changes, field", [
    ({"category": ""}, "category-0"),
    ({"occurred_on": ""}, "occurred_on-day"),
    ({"occurred_on": "31/02/2026"}, "occurred_on-day"),
    ({"occurred_on": "11/17/2026"}, "occurred_on-month"),  # month and day swapped, US order
    ({"occurred_on": "17/11/26"}, "occurred_on-year"),
    ({"occurred_on": days_ago(-3), "learned_on": days_ago(-2)}, "occurred_on-day"),
    ({"learned_on": days_ago(-1)}, "learned_on-day"),
    ({"occurred_on": days_ago(1), "learned_on": days_ago(3)}, "learned_on-day"),
    ({"regency": "32.01"}, "regency"),
    ({"district": "36.01.01"}, "district"),
    ({"village": "36.73.02.1001"}, "village"),
    ({"place_detail": ""}, "place_detail"),
    ({"description": "uang"}, "description"),
])
def test_event_rules(citizen, changes, field):
    start(citizen)
    response = citizen.post("/lapor/kejadian", event_answers(**changes))
    page = html.parse(response)
    assert response.request.path == "/lapor/kejadian"
    assert fields_in_error(response)[:1] == [field], errors_of(response)  # first (a rule may bring another)
    id_ = re.sub(r"-(0|day|month|year)$", "", field)  # a group's error is on its fieldset, linked to its first box
    assert id_ in html.field_errors(page)  # the message beside the field too
    assert html.has(page, f'.field-error #{field}')
    typed = event_answers(**changes)["place_detail"]
    assert html.value(page, "place_detail") == typed  # what was typed is shown again


def test_event_errors_keep_everything_typed(citizen):
    start(citizen)
    answers = event_answers(occurred_on=days_ago(-5), description="Kepala desa mengarahkan warga memilih calon A.")
    page = html.parse(citizen.post("/lapor/kejadian", answers))
    assert html.value(page, "description") == "Kepala desa mengarahkan warga memilih calon A."
    assert html.date_value(page, "occurred_on") == days_ago(-5)
    assert html.value(page, "category") == "politik_uang"
    assert html.value(page, "district") == "36.73.01" and html.value(page, "village") == "36.73.01.1001"
    assert draft_of(citizen)["fields"]["description"] == "Kepala desa mengarahkan warga memilih calon A."


def test_dates_in_day_month_year_are_accepted(citizen):
    start(citizen)
    occurred = days_ago(3)
    y, m, d = occurred.split("-")
    response = citizen.post("/lapor/kejadian", event_answers(occurred_on=f"{d}/{m}/{y}"))
    assert response.request.path == "/lapor/terlapor"


def test_formal_report_needs_the_reported_party(citizen):
    start(citizen)
    response = citizen.post("/lapor/terlapor", {"terlapor_name": "", "terlapor_role": ""})
    assert errors_of(response) == ["Masukkan nama orang atau kelompok yang Anda laporkan.", "Pilih perannya."]


def test_tip_may_leave_the_reported_party_empty(citizen):
    start(citizen, "tip")
    response = citizen.post("/lapor/terlapor", {"terlapor_name": "", "terlapor_role": ""})
    assert response.request.path == "/lapor/saksi"


@pytest.mark.parametrize("changes, field", [
    ({"reporter_nik": "12345"}, "reporter_nik"),
    ({"reporter_nik": "3673019908900002"}, "reporter_nik"),  # no 99th day of a month
    ({"reporter_nik": "9973015508900002"}, "reporter_nik"),  # no province 99
    ({"reporter_phone": "12345"}, "reporter_phone"),
    ({"reporter_email": "siti@"}, "reporter_email"),
    ({"reporter_name": ""}, "reporter_name"),
    ({"reporter_type": ""}, "reporter_type-0"),
    ({"reporter_sex": ""}, "reporter_sex-0"),
    ({"reporter_birth_date": days_ago(-1)}, "reporter_birth_date-day"),
    ({"reporter_address": ""}, "reporter_address"),
])
def test_reporter_rules(citizen, changes, field):
    start(citizen)
    response = citizen.post("/lapor/pelapor", dict(REPORTER, **changes))
    assert response.request.path == "/lapor/pelapor"
    assert fields_in_error(response)[:1] == [field], errors_of(response)
    assert html.value(response, "reporter_name") == dict(REPORTER, **changes)["reporter_name"]  # kept as typed


def test_nik_that_disagrees_warns_once_then_goes_on(citizen):
    start(citizen)
    answers = dict(REPORTER, reporter_birth_date="1991-01-02", reporter_sex="L",
                   reporter_address="Jl. Raya Pandeglang No. 3, Pandeglang")
    first = citizen.post("/lapor/pelapor", answers)
    page = html.parse(first)
    assert first.request.path == "/lapor/pelapor"
    assert html.errors(page) == []
    warned = html.links(page, ".warning-summary")
    assert warned == ["#reporter_birth_date-day", "#reporter_sex-0", "#reporter_address"], warned  # birth date, sex, region
    sex_warning = html.text(page, ".warning-summary li:nth-child(2)")
    assert "NIK" in sex_warning and "“Laki-laki”" in sex_warning and "“Jenis kelamin”" in sex_warning  # both answers
    marked = {element.find(["input", "textarea", "fieldset"]).get("id") or element.find("input").get("name")
              for element in html.parse(page).select(".field-warning")}
    assert {"reporter_nik", "reporter_address"} <= marked and len(marked) == 4, marked  # the NIK and the three answers
    seen = html.value(page, "warnings_seen")
    second = citizen.post("/lapor/pelapor", dict(answers, warnings_seen=seen))
    assert second.request.path == "/lapor/periksa"


def test_witness_needs_a_name_and_a_real_phone(citizen):
    start(citizen)
    response = citizen.post("/lapor/saksi", {"witness_name": "", "witness_phone": "abc", "action": "add"})
    assert fields_in_error(response) == ["witness_name", "witness_phone"]
    assert draft_of(citizen)["witnesses"] == []


def test_physical_evidence_needs_a_description(citizen):
    start(citizen)
    response = citizen.post("/lapor/bukti", {"physical": "y", "physical_desc": "", "action": "next"})
    assert fields_in_error(response) == ["physical_desc"]


def test_review_points_to_a_step_left_incomplete(citizen):
    start(citizen)
    citizen.post("/lapor/terlapor", TERLAPOR)
    page = citizen.get("/lapor/periksa").get_data(as_text=True)
    assert not html.has(page, '[name="submit_key"]')  # no way to send it yet
    assert html.links(page, ".error-summary") == ["/lapor/kejadian?kembali=1&cek=1"]


def test_without_javascript_every_village_of_the_regency_is_listed_by_district(citizen):
    from kiosk import regions

    start(citizen)
    page = citizen.get("/lapor/kejadian").get_data(as_text=True)
    districts = regions.children("36.73")
    assert re.findall(r'<optgroup label="([^"]+)">', page) == [name for _, name in districts]
    assert page.count('value="36.73.') == len(districts) + sum(len(regions.children(c)) for c, _ in districts)


def test_without_a_regency_no_villages_are_listed(citizen):
    start(citizen)
    page = citizen.post("/lapor/kejadian", {"action": "next"}).get_data(as_text=True)
    assert "<optgroup" not in page and page.count("<option") == 1 + 8 + 1 + 1  # regency list and two blanks
