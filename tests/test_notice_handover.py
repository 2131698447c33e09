"""The reporter's wish for messages as it comes with a transferred report (kiosk.notify.handover): what the
receiving office takes on is checked as an address typed at its own kiosk would be, and what is not usable is
dropped without a trace of the address. tests/test_transfer.py follows the messages across three real servers."""
import logging

import pytest

from kiosk import keys as crypto
from kiosk import retention
from kiosk.models import Report
from kiosk.notify import handover
from kiosk.notify.models import Handover, Outbox, Subscription
from tests.support import keys
from tests.support.sealed import report_key
from tests.support.staff import make_report


@pytest.mark.parametrize("values", [
    {"channel": "email", "address": "siti@example.com\nBcc: all@example.com", "language": "id"},
    {"channel": "email", "address": "bukan alamat", "language": "id"},
    {"channel": "email", "address": "s" * 300 + "@example.com", "language": "id"},
    {"channel": "email", "address": "siti@example.com", "language": "fr"},
    {"channel": "sms", "address": "+62211234567", "language": "id"},  # a landline: no SMS reaches it
    {"channel": "sms", "address": "0812 3456 7890", "language": "id"},  # not as the SMS channel keeps it
    {"channel": "fax", "address": "siti@example.com", "language": "id"},
    {"channel": "email", "address": ["siti@example.com"], "language": "id"},
    ["email", "siti@example.com", "id"],
])
def test_a_handover_that_is_not_a_usable_address_is_dropped(app, caplog, values):
    report = make_report()
    Handover.create(report=report, sealed=crypto.lock_json(report_key(report), values))
    with caplog.at_level(logging.INFO):
        assert handover.take_on(keys.PRIVATE["36.73"]) == 0
    assert Subscription.select().count() == 0 and Handover.select().count() == 0
    assert "siti" not in caplog.text and "could not be taken on" in caplog.text


def test_a_handover_sealed_under_another_key_opens_nothing(app):
    report = make_report()
    Handover.create(report=report, sealed=crypto.lock_json(b"k" * 32, {
        "channel": "email", "address": "siti@example.com", "language": "id"}))
    assert handover.take_on(keys.PRIVATE["36.73"]) == 0
    assert Subscription.select().count() == 0 and Handover.select().count() == 0


def test_a_good_handover_is_told_where_the_report_is_now_and_masked_here(app):
    report = make_report()
    Handover.create(report=report, sealed=crypto.lock_json(report_key(report), {
        "channel": "sms", "address": "+6281234567890", "language": "en"}))
    with app.app_context():  # the address is sealed under this machine's sender key, in its data folder
        assert handover.take_on(keys.PRIVATE["36.73"]) == 1
    subscription = Subscription.get()
    assert (subscription.channel, subscription.address_masked, subscription.language) == (
        "sms", "+62812****7890", "en")
    assert [message.event.status for message in Outbox.select()] == ["diterima"]
    assert handover.take_on(keys.PRIVATE["36.73"]) == 0  # taken once


def test_retention_destroys_what_came_with_a_transfer(app):
    report = make_report(notices="c2VhbGVk")
    Handover.create(report=report, sealed="c2VhbGVk")
    retention.erase(report, "system")
    assert Report.get_by_id(report.id).notices == "" and Handover.select().count() == 0
