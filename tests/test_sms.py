"""SMS through gammu-smsd's files backend, with files in gammu's own formats: `kiosk sms` (the real
command) reads the inbox, makes tips, answers status checks, keeps the operator's messages out, holds
every number to its day's limits, and answers in one SMS in the sender's language; a status change
reaches an SMS reporter through the outbox until they send STOP."""
import pytest

from kiosk import tracking
from kiosk.models import Report, StatusEvent
from kiosk.notify.models import Subscription
from kiosk.sms.models import SmsMessage
from tests.support import sealed
from tests.support.sms import code_in, deliver, one_sms, sent

NUMBER = "+6281234567890"
TEXT = "LAPOR Ada pembagian amplop Rp50rb oleh tim sukses di depan masjid Desa Cipare, Kamis malam."


@pytest.fixture
def modem(app, tmp_path):
    """The app with gammu-smsd's inbox and outbox folders (KIOSK_SMSD_INBOX, KIOSK_SMSD_OUTBOX); (app, inbox,
    outbox)."""
    inbox, outbox = tmp_path / "inbox", tmp_path / "outbox"
    inbox.mkdir()
    outbox.mkdir()
    app.config.update(SMSD_INBOX=str(inbox), SMSD_OUTBOX=str(outbox), PUBLIC_URL="https://lapor.example")
    return app, inbox, outbox


def run(app, command="sms"):
    """`kiosk sms` (or another command) in this process, as the `kiosk` script runs it: in the app's context."""
    with app.app_context():
        result = app.test_cli_runner().invoke(args=[command])
    assert result.exit_code == 0, result.output
    return result.output


def empty(folder):
    for path in folder.iterdir():
        path.unlink()


def test_a_lapor_message_makes_one_tip_and_one_reply_with_its_tracking_code(modem):
    app, inbox, outbox = modem
    deliver(inbox, NUMBER, TEXT)
    assert "1 reports" in run(app)
    report = Report.get()
    assert (report.kind, report.channel, report.status) == ("tip", "sms", "diterima")
    assert report.description == TEXT[len("LAPOR "):]
    assert sealed.person(report).reporter_phone == NUMBER  # sealed like any contact
    assert NUMBER not in report.personal
    assert list(inbox.iterdir()) == []  # read, recorded, gone from the modem's folder
    [(to, reply)] = sent(outbox)
    assert to == NUMBER and one_sms(reply)
    code = code_in(reply)
    assert tracking.is_well_formed(code) and code == report.tracking_code
    assert "https://lapor.example/status" in reply
    assert "STOP" in reply and "kantor" in reply  # how to end notices; a formal report needs the office
    assert "amplop" not in reply
    assert Subscription.get(Subscription.report == report).channel == "sms"


def test_reading_the_same_inbox_twice_makes_nothing_new(modem):
    app, inbox, outbox = modem
    path = deliver(inbox, NUMBER, TEXT)
    data = path.read_bytes()
    run(app)
    path.write_bytes(data)  # as after a crash between the record and the file's removal
    import os
    os.utime(path, (0, 0))
    output = run(app)
    assert "1 already read" in output and "0 reports" in output
    assert Report.select().count() == 1 and len(sent(outbox)) == 1
    assert list(inbox.iterdir()) == []


def test_status_with_a_good_code_tells_the_status_in_plain_words_and_its_date(modem):
    app, inbox, outbox = modem
    deliver(inbox, NUMBER, TEXT)
    run(app)
    report = Report.get()
    empty(outbox)
    deliver(inbox, "+6285712345678", f"STATUS {tracking.grouped(report.tracking_code)}", serial=1)
    deliver(inbox, "+6285712345679", f"check {report.tracking_code}", serial=2)
    run(app)
    replies = dict(sent(outbox))
    indonesian, english = replies["+6285712345678"], replies["+6285712345679"]
    assert "Diterima" in indonesian and "petugas" in indonesian  # the status and its meaning, in Indonesian
    assert "Received" in english and "staff" in english
    for reply in (indonesian, english):
        assert one_sms(reply) and "2026" in reply  # the date of the status
        assert "amplop" not in reply and NUMBER not in reply  # never a detail


def test_status_with_a_wrong_check_digit_says_check_the_code(modem):
    app, inbox, outbox = modem
    code = tracking.new_code()
    wrong = code[:-1] + str((int(code[-1]) + 1) % 10)
    deliver(inbox, NUMBER, f"CEK {wrong}")
    run(app)
    [(to, reply)] = sent(outbox)
    assert "periksa kodenya" in reply and one_sms(reply)
    assert Report.select().count() == 0


def test_a_multipart_message_is_joined_before_it_is_read(modem):
    app, inbox, outbox = modem
    first = "LAPOR Kepala desa Sukamaju mengumpulkan warga di balai desa dan meminta mereka memilih calon nomor 2, "
    second = "dijanjikan bantuan sembako. Terjadi Sabtu pagi sekitar jam 9, banyak warga yang hadir dan melihat."
    deliver(inbox, NUMBER, second, part=1)  # the second part's file sorts first: the name says which is which
    deliver(inbox, NUMBER, first, part=0)
    run(app)
    report = Report.get()
    assert report.description == (first + second)[len("LAPOR "):]
    assert len(sent(outbox)) == 1


def test_a_ucs2_message_is_read_whole(modem):
    app, inbox, outbox = modem
    text = "Lapor: ada “serangan fajar” 💰 di TPS 07 — amplop dibagikan jam 05.00 ☪"
    deliver(inbox, NUMBER, text)
    run(app)
    assert Report.get().description == text[len("Lapor: "):]
    [(to, reply)] = sent(outbox)
    assert code_in(reply)


def test_a_message_in_the_system_charset_is_read_too(modem):
    app, inbox, outbox = modem
    deliver(inbox, NUMBER, "LAPOR Baliho caleg dipasang di pagar sekolah SDN 3 Ciruas.", encoding="standard")
    run(app)
    assert Report.get().description == "Baliho caleg dipasang di pagar sekolah SDN 3 Ciruas."


def test_operator_messages_are_not_reports_and_get_no_answer(modem):
    app, inbox, outbox = modem
    deliver(inbox, "TELKOMSEL", "Sisa pulsa Anda Rp5.000. Aktif s/d 30-12-2026. Info: *888#")
    deliver(inbox, "3636", "LAPOR Paket internet Anda akan berakhir besok", serial=1)
    run(app)
    assert Report.select().count() == 0 and sent(outbox) == []
    assert {row.kind for row in SmsMessage.select()} == {"service"}


def test_each_number_is_held_to_its_days_limits(modem):
    app, inbox, outbox = modem
    for serial in range(7):
        deliver(inbox, NUMBER, f"LAPOR Kejadian nomor {serial} di TPS {serial}", serial=serial)
    run(app)
    assert Report.select().count() == 5  # 5 reports a day from one number
    replies = [text for _to, text in sent(outbox)]
    assert sum(bool(code_in(text)) for text in replies) == 5
    assert sum("5 laporan" in text for text in replies) == 1  # told once where else to report, then silence
    empty(outbox)
    other = "+6281398765432"
    for serial in range(25):  # an automated sender answering our help with something else, again and again
        deliver(inbox, other, f"Maaf, nomor yang Anda tuju sedang sibuk ({serial})", serial=serial % 100)
    run(app)
    assert len(sent(outbox)) == 1  # one help a day, and nothing once over 20 messages: no reply storm
    assert SmsMessage.select().where(SmsMessage.kind == "limited").count() == 5 + 2


def test_notices_reach_an_sms_reporter_until_they_send_stop(modem, staff_as):
    app, inbox, outbox = modem
    deliver(inbox, NUMBER, TEXT)
    run(app)
    report = Report.get()
    empty(outbox)
    petugas = staff_as("petugas")
    petugas.post(f"/staff/laporan/{report.id}/status/kajian_awal", {})
    assert Report.get_by_id(report.id).status == "kajian_awal"
    assert "1 sent" in run(app, "notify")
    [(to, notice)] = sent(outbox)
    assert to == NUMBER and one_sms(notice)
    assert "Kajian awal" in notice and "STOP" in notice
    assert "amplop" not in notice and report.receipt_no not in notice
    empty(outbox)
    deliver(inbox, NUMBER, "stop", serial=1)
    run(app)
    [(to, reply)] = sent(outbox)
    assert "dihentikan" in reply
    assert Subscription.get(Subscription.report == report).stopped_at is not None
    empty(outbox)
    assert StatusEvent.select().count() == 2


def test_old_messages_that_made_no_report_are_forgotten_and_a_tips_go_with_its_retention(modem):
    import datetime as dt

    from kiosk import housekeeping, retention
    from kiosk.models import utcnow

    app, inbox, outbox = modem
    deliver(inbox, NUMBER, TEXT)
    deliver(inbox, "+6281398765432", "Halo, ini nomor kantor Bawaslu?", serial=1)
    run(app)
    old = utcnow() - dt.timedelta(days=91)
    SmsMessage.update(received_at=old).execute()
    with app.app_context():
        summaries = housekeeping.run_all(app.config)
    assert "sms: 1 old messages forgotten" in summaries
    other = SmsMessage.get(SmsMessage.kind == "other")
    assert (other.text, other.number, other.number_masked) == ("", "", "")
    tip_message = SmsMessage.get(SmsMessage.kind == "lapor")
    assert tip_message.text and tip_message.number  # kept while its report is
    with app.app_context():
        retention.erase(Report.get(), "(retention)")
    tip_message = SmsMessage.get_by_id(tip_message.id)
    assert (tip_message.text, tip_message.number, tip_message.number_hash) == ("", "", "")


def test_an_english_keyword_gets_an_english_reply(modem):
    app, inbox, outbox = modem
    deliver(inbox, NUMBER, "REPORT Money handed out at polling station 4, Cipare village, this morning")
    run(app)
    [(to, reply)] = sent(outbox)
    assert "Info received" in reply and "office" in reply and code_in(reply) == Report.get().tracking_code
    assert Report.get().language == "en"


def test_without_a_modem_kiosk_sms_says_what_to_set_and_no_page_offers_sms(app, client):
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["sms"])
    assert result.exit_code == 1 and "KIOSK_SMSD_INBOX" in result.output
    assert "sms-how" not in client.get("/").get_data(as_text=True)
    assert client.get("/sms").status_code == 404


def test_stop_ends_the_notices_of_a_report_transferred_here_by_sms(modem):
    from kiosk import keys as crypto
    from kiosk.notify import handover
    from kiosk.notify.models import Handover
    from tests.support import keys
    from tests.support.staff import make_report

    app, inbox, outbox = modem
    report = make_report(status="diterima", transferred_from="ab" * 16)  # a tip by SMS at another office
    Handover.create(report=report, sealed=crypto.lock_json(sealed.report_key(report), {
        "channel": "sms", "address": NUMBER, "language": "id"}))
    with app.app_context():
        assert handover.take_on(keys.PRIVATE["36.73"]) == 1
    assert "1 sent" in run(app, "notify")
    [(to, notice)] = sent(outbox)
    assert to == NUMBER and "STOP" in notice
    empty(outbox)
    deliver(inbox, NUMBER, "STOP")  # this office's inbox never heard from the number before
    run(app)
    [(to, reply)] = sent(outbox)
    assert to == NUMBER and "dihentikan" in reply
    assert Subscription.get(Subscription.report == report).stopped_at is not None
