"""An SMS tip's messages as its report page shows them: what came from the reporter and what the office
sent, oldest first, texts opened with the session's office key."""
from types import SimpleNamespace

from .. import keys
from .forms import ReplyForm
from .models import SmsMessage


def opened_text(key, sealed):
    """A text sealed to the office, opened with `key`; '' for none, None when `key` cannot open it."""
    if not sealed:
        return ""
    try:
        return keys.open_sealed(key, sealed).decode("utf-8") if key else None
    except keys.Locked:
        return None


def thread_of(report, key, read_only):
    """What the report page shows of its SMS: the messages received and sent, oldest first, and the reply
    form (for an SMS tip at the office)."""
    if report.channel != "sms":
        return None
    received = [SimpleNamespace(at=row.received_at, incoming=True, kind=row.kind, text=opened_text(key, row.text), actor="")
                for row in report.sms_messages]
    sent = [SimpleNamespace(at=row.at, incoming=False, kind=row.purpose, actor=row.actor,
                            text=opened_text(key, row.text) if row.text else None)
            for row in report.sms_sent]
    return SimpleNamespace(items=sorted(received + sent, key=lambda item: item.at),
                           form=ReplyForm(formdata=None) if not read_only else None)


def sms_numbers(reports):
    """{report id: the masked number it came from} for SMS tips among `reports` (for the list)."""
    if not reports:
        return {}
    query = SmsMessage.select(SmsMessage.report, SmsMessage.number_masked).where(
        SmsMessage.report.in_([report.id for report in reports]) & (SmsMessage.kind == "lapor"))
    return {row.report_id: row.number_masked for row in query}
