"""The staff's side of SMS: the SMS inbox shows what was no keyword (text opened, number masked), staff
make a message a tip or dismiss it and block a number, each audited; an SMS tip is marked in the list, its
page carries its SMS and a reply box whose SMS goes to the outbox, and the reporter's answer attaches to
it; the provincial overview counts reports by way in; the hub takes an SMS tip without a district."""
import pytest

from kiosk import tallies, tracking
from kiosk.models import Report
from kiosk.sms.models import SmsMessage
from kiosk.staff.models import AuditLog
from tests.support import html
from tests.support.sms import code_in, deliver, sent, waiting_message
from tests.support.staff import make_hub_office, make_report

NUMBER = "+6281234567890"


@pytest.fixture
def modem(app, tmp_path):
    inbox, outbox = tmp_path / "inbox", tmp_path / "outbox"
    inbox.mkdir()
    outbox.mkdir()
    app.config.update(SMSD_INBOX=str(inbox), SMSD_OUTBOX=str(outbox))
    return app, inbox, outbox


def run(app):
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["sms"])
    assert result.exit_code == 0, result.output


def audited(action):
    return [row.target for row in AuditLog.select().where(AuditLog.action == action)]


def test_the_sms_inbox_shows_what_waits_and_staff_make_it_a_tip(modem, staff_as):
    app, inbox, outbox = modem
    deliver(inbox, NUMBER, "Pak, di TPS 12 Kelurahan Cipare ada saksi yang bawa amplop")
    run(app)
    [(to, help_text)] = sent(outbox)
    assert "LAPOR" in help_text and "STATUS" in help_text  # one short help
    for path in outbox.iterdir():
        path.unlink()
    petugas = staff_as("petugas")
    page = petugas.get("/staff/sms").get_data(as_text=True)
    assert "saksi yang bawa amplop" in html.text(page, ".sms-messages")
    assert "+62812****7890" in page and NUMBER not in page and "81234567890" not in page
    assert "1 message waits for staff." in page
    message = SmsMessage.get()
    petugas.post(f"/staff/sms/{message.id}/tip")
    report = Report.get()
    assert (report.kind, report.channel) == ("tip", "sms")
    assert report.description == "Pak, di TPS 12 Kelurahan Cipare ada saksi yang bawa amplop"
    [(to, reply)] = sent(outbox)
    assert to == NUMBER and code_in(reply) == report.tracking_code
    assert SmsMessage.get().state == "converted" and audited("sms_tip") == [report.receipt_no]
    listed = petugas.get("/staff/").get_data(as_text=True)
    assert "SMS +62812****7890" in html.text(listed, "table.reports") and NUMBER not in listed


def test_staff_dismiss_a_message_and_block_a_number_that_then_gets_no_answer(modem, staff_as):
    app, inbox, outbox = modem
    admin = staff_as("admin")
    with app.app_context():
        message = waiting_message(number=NUMBER)
    admin.post(f"/staff/sms/{message.id}/abaikan")
    assert SmsMessage.get_by_id(message.id).state == "dismissed" and audited("sms_dismiss") == [str(message.id)]
    admin.post(f"/staff/sms/{message.id}/blokir")
    assert "+62812****7890" in html.text(admin.get("/staff/sms").get_data(as_text=True), "main")
    deliver(inbox, NUMBER, "LAPOR iklan judi online")
    run(app)
    assert sent(outbox) == [] and Report.select().count() == 0
    assert SmsMessage.select().where(SmsMessage.kind == "blocked").count() == 1
    assert audited("sms_block") == ["+62812****7890"]


def test_the_reply_box_asks_the_reporter_and_their_answer_attaches_to_the_report(modem, staff_as):
    app, inbox, outbox = modem
    deliver(inbox, NUMBER, "LAPOR ada pembagian sembako atas nama caleg di balai desa")
    run(app)
    report = Report.get()
    for path in outbox.iterdir():
        path.unlink()
    petugas = staff_as("petugas")
    page = petugas.get(f"/staff/laporan/{report.id}").get_data(as_text=True)
    assert "ada pembagian sembako" in html.text(page, "#sms")
    too_long = petugas.post(f"/staff/laporan/{report.id}/sms", {"text": "x" * 161}).get_data(as_text=True)
    assert "Fit it in one SMS: 160 characters (this one has 161)." in too_long and sent(outbox) == []
    question = "Di desa mana dan hari apa kejadiannya? Mohon balas SMS ini."
    petugas.post(f"/staff/laporan/{report.id}/sms", {"text": question})
    assert sent(outbox) == [(NUMBER, question)]
    assert audited("sms_reply") == [report.receipt_no]
    deliver(inbox, NUMBER, "Desa Sukamaju, hari Sabtu tgl 14 jam 8 pagi", serial=1)
    run(app)
    assert sent(outbox) == [(NUMBER, question)]  # an answer gets no help back
    assert Report.get_by_id(report.id).needs_review
    thread = html.text(petugas.get(f"/staff/laporan/{report.id}").get_data(as_text=True), "#sms")
    assert thread.index("ada pembagian sembako") < thread.index(question) < thread.index("Desa Sukamaju")
    assert "petugas" in thread  # who sent it


def test_a_status_check_by_sms_knows_only_this_offices_reports(modem):
    app, inbox, outbox = modem
    with app.app_context():
        other = make_report(office="36.01")
    deliver(inbox, NUMBER, f"STATUS {tracking.grouped(other.tracking_code)}")
    run(app)
    [(to, reply)] = sent(outbox)
    assert "Tidak ada laporan dengan kode lacak itu" in reply


def test_the_provincial_overview_counts_reports_by_way_in(hub_app, hub_staff_as):
    make_hub_office("36.73", ok_hours_ago=1)
    for channel in ("sms", "sms", "web", "kiosk"):
        make_report(channel=channel, kind="tip" if channel == "sms" else "formal")
    tallies.rebuild()  # stored straight at the hub: counted as ingest counts a batch's reports
    page = hub_staff_as("petugas").get("/staff/").get_data(as_text=True)
    section = page[page.index('id="by_channel-title"'):]
    table = html.find(section, "table")
    head = [html.squeeze(cell.get_text()) for cell in table.select("thead th")][1:]
    [serang] = [row for row in html.rows(str(table)) if row[0] == "Bawaslu Kota Serang"]
    assert dict(zip(head, map(int, serang[1:]))) == {"Office kiosk": 1, "Phone or web": 1, "Assisted by staff": 0,
                                                    "SMS": 2}


def test_the_hub_takes_an_sms_tip_without_a_district(hub_app):
    from kiosk.sync import checks

    row = {"channel": "sms", "regency_code": "36.73", "district_code": ""}
    with hub_app.app_context():
        checks.check_row("report", row, "36.73")  # accepted: staff set the district when they know it
        with pytest.raises(Exception):
            checks.check_row("report", dict(row, channel="web"), "36.73")


def test_an_answer_about_a_report_transferred_away_waits_for_staff_instead(modem, staff_as):
    app, inbox, outbox = modem
    deliver(inbox, NUMBER, "LAPOR ada pembagian sembako atas nama caleg di balai desa")
    run(app)
    report = Report.get()
    staff_as("petugas").post(f"/staff/laporan/{report.id}/sms", {"text": "Di desa mana kejadiannya?"})
    Report.update(status="dilimpahkan", transfer_office="36.01").where(Report.id == report.id).execute()
    deliver(inbox, NUMBER, "Desa Sukamaju, Pandeglang", serial=1)
    run(app)
    answer = SmsMessage.select().order_by(SmsMessage.id.desc()).get()
    assert (answer.kind, answer.state, answer.report_id) == ("other", "open", None)
    assert not Report.get_by_id(report.id).needs_review  # the read-only copy is left as it is
