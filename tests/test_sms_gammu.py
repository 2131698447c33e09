"""The real gammu-smsd from Debian, with Gammu's dummy phone driver (a phone emulated in a folder: sms/1 is
its inbox, in Gammu's own SMS backup format), run with the shipped deploy/gammu-smsdrc (only the device and
the folders changed): a LAPOR message placed in the phone travels through gammu-smsd into the inbox,
`kiosk sms` makes a tip of it, and the reply with the tracking code travels from the outbox through
gammu-smsd, which sends it by the phone and files it in its sent folder. Then the same with `kiosk serve`'s
polling loop and a STATUS message."""
import configparser
import datetime as dt
import subprocess
import time
from pathlib import Path

import pytest

from kiosk import tracking
from kiosk.models import Report
from kiosk.sms import commands
from kiosk.sms.gammu import outbox_name
from tests.support.servers import starting
from tests.support.sms import code_in

ROOT = Path(__file__).resolve().parent.parent
NUMBER = "+6281234567890"


def backup_entry(number, text, when="20261120T091530Z"):
    """One received SMS in Gammu's SMS backup format (gammu-smsbackup(5)), as the dummy phone keeps it."""
    return (f"[SMSBackup000]\nSMSC = \"+62816124\"\nPDU = Deliver\nDateTime = {when}\nState = UnRead\n"
            f"Number = \"{number}\"\nText00 = {text.encode('utf-16-be').hex().upper()}\n"
            f"Coding = Default_No_Compression\nFolder = 1\nLength = {len(text)}\nClass = -1\n")


def wait_for(check, seconds=30, what=""):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"waited {seconds} s for {what}")


@pytest.fixture
def smsd(tmp_path):
    """gammu-smsd running over a dummy phone; a namespace-like dict of its folders and its log."""
    starting("gammu-smsd")
    phone, folders = tmp_path / "phone", {name: tmp_path / name for name in ("inbox", "outbox", "sent", "error")}
    for folder in range(1, 6):
        (phone / "sms" / str(folder)).mkdir(parents=True)
    for folder in folders.values():
        folder.mkdir()
    config = configparser.ConfigParser(interpolation=None)
    config.read(ROOT / "deploy" / "gammu-smsdrc")
    config["gammu"] = {"model": "dummy", "connection": "none", "device": str(phone)}
    smsd = config["smsd"]
    smsd.update(logfile=str(tmp_path / "smsd.log"), debuglevel="1", commtimeout="1", receivefrequency="1",
                loopsleep="1", checksecurity="0")
    for name, key in (("inbox", "inboxpath"), ("outbox", "outboxpath"), ("sent", "sentsmspath"),
                      ("error", "errorsmspath")):
        smsd[key] = f"{folders[name]}/"  # the shipped file deletes what was sent; here we keep it to look at
    assert smsd["service"] == "files" and smsd["inboxformat"] == "unicode"
    rc = tmp_path / "smsdrc"
    with open(rc, "w") as handle:
        config.write(handle)
    process = subprocess.Popen(["/usr/bin/gammu-smsd", "--config", str(rc)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        yield dict(folders, phone=phone, log=tmp_path / "smsd.log", process=process)
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.mark.process  # gammu-smsd
def test_a_message_travels_from_the_phone_through_gammu_smsd_to_a_tip_and_its_reply_back(app, smsd):
    app.config.update(SMSD_INBOX=str(smsd["inbox"]), SMSD_OUTBOX=str(smsd["outbox"]))
    text = "LAPOR Tim sukses membagikan amplop di RT 03 Desa Cipare, Jumat malam."
    (smsd["phone"] / "sms" / "1" / "1").write_text(backup_entry(NUMBER, text))

    [arrived] = wait_for(lambda: list(smsd["inbox"].glob("IN*.txt")), what="gammu-smsd to store the message")
    assert arrived.name.startswith("IN20261120_091530_00_") and arrived.name.endswith(f"_{NUMBER}_00.txt")
    assert not list((smsd["phone"] / "sms" / "1").iterdir())  # taken off the phone
    time.sleep(2.2)  # the file is read once whole (gammu-smsd writes in place: it may still be empty now)
    assert arrived.read_bytes()[:2] == b"\xfe\xff"  # InboxFormat=unicode
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["sms"])
    assert "1 reports" in result.output, result.output
    report = Report.get()
    assert report.description == text[len("LAPOR "):] and report.channel == "sms"

    [gone] = wait_for(lambda: list(smsd["sent"].glob("OUT*.txt")), what="gammu-smsd to send the reply")
    assert f"_{NUMBER}_" in gone.name and not list(smsd["outbox"].iterdir())
    reply = gone.read_bytes().decode("utf-16")
    assert code_in(reply) == report.tracking_code
    log = smsd["log"].read_text()
    assert f'SMS sent on device: "{smsd["phone"]}"' in log and f"to {NUMBER}" in log
    assert not list(smsd["error"].iterdir())


@pytest.mark.process  # gammu-smsd
def test_kiosk_serves_polling_loop_answers_a_status_check_on_its_own(app, smsd):
    app.config.update(SMSD_INBOX=str(smsd["inbox"]), SMSD_OUTBOX=str(smsd["outbox"]), SMS_POLL_SECONDS=1)
    from tests.support.staff import make_report

    with app.app_context():
        report = make_report(kind="tip", channel="web")
    (smsd["phone"] / "sms" / "1" / "1").write_text(backup_entry(NUMBER, f"CEK {tracking.grouped(report.tracking_code)}"))
    stop = commands.start(app)  # what `kiosk serve` starts beside waitress
    try:
        [gone] = wait_for(lambda: list(smsd["sent"].glob("OUT*.txt")), what="the status reply to be sent")
    finally:
        stop.set()
    reply = gone.read_bytes().decode("utf-16")
    assert "Diterima" in reply and tracking.grouped(report.tracking_code) in reply
    assert not list(smsd["inbox"].iterdir())


def test_two_messages_queued_in_one_second_are_sent_in_the_order_queued():
    """gammu-smsd sends its outbox in the names' order (its manual: 'transmitted sequentially based on the file
    name'): a receipt and the reply queued after it in the same second must sort in that order, whatever the
    random notes that keep their names apart."""
    second = dt.datetime(2026, 11, 20, 9, 15, 30)
    for _ in range(50):
        first, then = outbox_name("+6281234567890", second), outbox_name("+6281234567890", second)
        if first.split("_")[2] != "99":  # the serial comes round after 99
            assert first < then, (first, then)
