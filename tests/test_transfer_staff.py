"""Staff transferring a report to another office (Dilimpahkan): the competent office chosen already and every other
office of Banten choosable, a reason required, the change audited and told to the reporter in their language, and
the copy left at the office read-only, saying where it went. (Its journey through the hub: tests/test_transfer.py.)"""
import pytest

from kiosk import regions
from kiosk.models import Report, StatusEvent
from kiosk.staff.models import AuditLog
from tests.support.staff import make_report

DISTRICT = regions.children("36.01")[0][0]


@pytest.fixture
def about_pandeglang(app):
    """A report filed at Kota Serang about an event in Pandeglang."""
    return make_report(regency_code="36.01", district_code=DISTRICT, village_code="")


def page_of(member, url):
    response = member.get(url)
    return response.status_code, response.get_data(as_text=True)


def test_the_form_offers_the_competent_office_chosen_and_every_other(staff_as, about_pandeglang):
    member = staff_as("petugas")
    status, page = page_of(member, f"/staff/laporan/{about_pandeglang.id}")
    assert f'href="/staff/laporan/{about_pandeglang.id}/status/dilimpahkan"' in page
    status, form = page_of(member, f"/staff/laporan/{about_pandeglang.id}/status/dilimpahkan")
    assert status == 200 and "Change the status to “Transferred”" in form
    assert 'value="36.01" checked' in form and 'value="wilayah" checked' in form
    offered = {code for code, _name in regions.regencies()} - {"36.73"}
    assert all(f'value="{code}"' in form for code in offered) and 'value="36.73"' not in form


@pytest.mark.parametrize("form,problem", [
    ({"transfer_reason": "wilayah"}, "Choose the office it is transferred to."),
    ({"office": "36.01"}, "Choose why it is transferred."),
    ({"office": "36.73", "transfer_reason": "wilayah"}, "Not a valid choice"),  # its own office
    ({"office": "36", "transfer_reason": "wilayah"}, "Not a valid choice"),  # the hub takes no reports
])
def test_a_transfer_without_its_office_or_reason_is_refused(staff_as, about_pandeglang, form, problem):
    member = staff_as("petugas")
    response = member.post(f"/staff/laporan/{about_pandeglang.id}/status/dilimpahkan", form)
    assert response.status_code == 400 and problem in response.get_data(as_text=True)
    assert Report.get_by_id(about_pandeglang.id).status == "diterima"


def test_a_transfer_is_made_audited_and_leaves_a_read_only_copy(staff_as, about_pandeglang, client):
    member = staff_as("petugas")
    response = member.post(f"/staff/laporan/{about_pandeglang.id}/status/dilimpahkan", {
        "office": "36.01", "transfer_reason": "wilayah", "public_note": "", "internal_note": "Locus di Pandeglang."})
    page = response.get_data(as_text=True)  # followed to the report's page
    report = Report.get_by_id(about_pandeglang.id)
    assert (report.status, report.transfer_office, report.due_on) == ("dilimpahkan", "36.01", None)
    event = report.events.order_by(StatusEvent.change_seq.desc()).get()
    assert event.detail == {"office": "36.01", "transfer_reason": "wilayah"}
    entry = AuditLog.get(AuditLog.action == "status_change")
    assert (entry.detail["to"], entry.detail["office"], entry.actor) == ("dilimpahkan", "36.01", "petugas")

    assert "The status is now “Transferred”." in page
    assert "next sync brings it to the hub for Bawaslu Kabupaten Pandeglang." in page
    assert "Transferred to Bawaslu Kabupaten Pandeglang." in page and "This copy is read-only" in page
    assert f"/staff/laporan/{report.id}/status/" not in page  # no status change left to offer
    assert page_of(member, f"/staff/laporan/{report.id}")[1].count("This copy is read-only") == 1
    refused = member.post(f"/staff/laporan/{report.id}/kategori", {"legal_category": "administratif"})
    assert refused.status_code == 409 and "its copy here is read-only" in refused.get_data(as_text=True)
    assert Report.get_by_id(report.id).legal_category == ""
    again = member.post(f"/staff/laporan/{report.id}/status/dilimpahkan", {"office": "36.02", "transfer_reason": "wilayah"})
    assert again.status_code == 409 and Report.get_by_id(report.id).transfer_office == "36.01"

    notice = member.get(f"/staff/laporan/{report.id}/cetak/pemberitahuan").get_data(as_text=True)  # in Indonesian
    assert "Dilimpahkan ke</th><td>Bawaslu Kabupaten Pandeglang" in notice
    assert "Peristiwa terjadi di kabupaten/kota kantor tujuan" in notice

    client.get("/bahasa/id?next=/")  # the reporter, reading Indonesian
    public = client.get(f"/status?kode={report.tracking_code}").get_data(as_text=True)
    assert "Dilimpahkan" in public and "Laporan Anda dilimpahkan ke Bawaslu Kabupaten Pandeglang" in public
    assert "Sedang dilimpahkan ke Bawaslu Kabupaten Pandeglang melalui Bawaslu Provinsi." in public
    assert "Locus di Pandeglang" not in public  # the internal note stays inside


def test_the_transfer_page_speaks_indonesian(staff_as, about_pandeglang):
    member = staff_as("admin")
    member.get("/bahasa/id?next=/staff/")
    status, form = page_of(member, f"/staff/laporan/{about_pandeglang.id}/status/dilimpahkan")
    assert "Dilimpahkan ke" in form and "Alasan pelimpahan" in form
    assert "Peristiwa terjadi di kabupaten/kota kantor tujuan" in form and "Kode pelacakan pelapor tetap berlaku." in form
