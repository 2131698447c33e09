"""A report's status told to the person who sent it: what the status means, in one plain sentence, what
happens next and by which date. The status page and every message to the reporter say it in these words
(one home); none of them names the reported party, repeats the description or quotes a staff's internal
note. A tip is never promised what only a formal report gets (no 'syarat formal')."""
from types import SimpleNamespace

from kiosk.i18n import lazy_gettext as _l

from . import choices, deadlines, regions

MEANING = {
    "diterima": {
        "formal": _l("Your report has arrived and waits for its initial review by staff."),
        "tip": _l("Your information has arrived and waits for staff to read it."),
    },
    "kajian_awal": {
        "formal": _l("Staff are checking whether your report has everything the law asks of a report."),
        "tip": _l("Staff are reading your information and deciding how Bawaslu can use it."),
    },
    "perlu_dilengkapi": {
        "formal": _l("Your report is missing something staff need before they can register it."),
        "tip": _l("Staff would like to know more about what you told them."),
    },
    "diregistrasi": {
        "formal": _l("Your report meets the requirements and is being handled; its registration number is %(number)s."),
        "tip": _l("Bawaslu is following up your information; its registration number is %(number)s."),
    },
    "tidak_diregistrasi": {
        "formal": _l("Your report was not registered as a violation report."),
        "tip": _l("Bawaslu keeps your information as initial information; it was not registered as a report."),
    },
    "diteruskan": {
        "formal": _l("Your report was forwarded to the agency that decides on it: %(agency)s."),
        "tip": _l("Your information was forwarded to the agency that decides on it: %(agency)s."),
    },
    "selesai": {
        "formal": _l("The handling of your report has ended."),
        "tip": _l("The handling of your information has ended."),
    },
    "dilimpahkan": {
        "formal": _l("Your report was transferred to %(office)s, the office competent for it, which handles it from now on."),
        "tip": _l("Your information was transferred to %(office)s, the office competent for it, which handles it from now on."),
    },
}
NEXT = {
    "diterima": _l("Staff finish the initial review by %(date)s."),
    "kajian_awal": _l("Staff finish the initial review by %(date)s."),
    "perlu_dilengkapi": _l("Complete it by %(date)s: here with your tracking code, or at the office."),
    "diregistrasi": _l("Bawaslu decides on it by %(date)s; you are told the outcome here."),
}
CLOSED_WINDOW = _l("The time to complete it ended on %(date)s. Contact the office if you still have something to add.")
COMPLETED = _l("You completed it on %(date)s. Staff review what you added and decide the next step.")


def due_of(report):
    """The date by which the next step is due for the report's status, or None."""
    if report.status in ("diterima", "kajian_awal"):
        return report.kajian_awal_due
    if report.status == "perlu_dilengkapi":
        return report.completion_due
    if report.status == "diregistrasi" and report.registered_on:
        return deadlines.decision_due(report.registered_on)
    return None


def last_detail(events, status):
    """The detail of the latest event of `status` among `events` (oldest first), or {}."""
    for event in reversed(events):
        if event.status == status:
            return event.detail or {}
    return {}


def agency_of(report, events):
    """The agency the report went to, as the reporter reads it."""
    detail = last_detail(events, "diteruskan")
    if report.forwarded_to == "other" and detail.get("agency_name"):
        return detail["agency_name"]
    return str(choices.label(choices.AGENCIES, report.forwarded_to)) if report.forwarded_to else ""


def told(report, events, window_open=False, completed_on=None, format_date=str):
    """The report's status in plain words: `meaning`, `next` (what happens next, with its date, or ''),
    `due` (that date), and the fields the status has: `agency`, `outcome`, `reason`, `note` (what staff
    asked, on 'perlu dilengkapi'). `format_date` writes a date for the reader."""
    kind = "tip" if report.kind == "tip" else "formal"
    agency = agency_of(report, events) if report.status == "diteruskan" else ""
    meaning = MEANING.get(report.status, MEANING["diterima"])[kind] % {
        "number": report.registration_no or "", "agency": agency,
        "office": regions.office_name(report.transfer_office) if report.transfer_office else ""}
    due = due_of(report)
    next_step = ""
    if report.status == "perlu_dilengkapi" and completed_on:
        next_step, due = COMPLETED % {"date": format_date(completed_on)}, None
    elif report.status == "perlu_dilengkapi" and due and not window_open:
        next_step, due = CLOSED_WINDOW % {"date": format_date(due)}, None
    elif due and report.status in NEXT:
        next_step = NEXT[report.status] % {"date": format_date(due)}
    reason = last_detail(events, "tidak_diregistrasi").get("reason", "")
    asked = next((event.public_note for event in reversed(events) if event.status == "perlu_dilengkapi"), "")
    return SimpleNamespace(
        label=choices.label(choices.STATUSES, report.status), meaning=meaning, next=next_step, due=due,
        agency=agency, note=asked if report.status == "perlu_dilengkapi" else "",
        outcome=choices.label(choices.OUTCOMES, report.outcome) if report.status == "selesai" and report.outcome else "",
        reason=(choices.label(choices.NOT_REGISTERED_REASONS, reason)
                if reason and kind == "formal" and report.status in ("tidak_diregistrasi", "selesai") else ""))
