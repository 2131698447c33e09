"""The order of the report's steps, which depends on its kind and on the reporting deadline."""
from flask import current_app, url_for

from kiosk.i18n import lazy_gettext as _l

from .. import elections
from ..deadlines import is_late
from ..validators import parse_date

# Each step's heading is its question, in the words a visitor would use (GOV.UK: one question a page).
TITLES = {
    "kejadian": _l("What happened?"),
    "terlapor": _l("Who are you reporting?"),
    "saksi": _l("Did anyone else see or hear it?"),
    "bukti": _l("Do you have photos, papers or other proof?"),
    "batas-waktu": _l("The time for a formal report has passed"),
    "pelapor": _l("Who are you?"),
    "kontak": _l("How can staff reach you? (you may skip this)"),
    "periksa": _l("Are your answers right?"),
}


def late(data):
    """Whether this report misses the deadline for a formal report."""
    learned = parse_date(data["fields"].get("learned_on", ""))
    return bool(learned) and is_late(learned, rules=draft_rules(data))


def draft_rules(data):
    """The rules of the election the draft is about (the one chosen, or the office's only open one)."""
    election = elections.chosen(current_app.config["OFFICE_CODE"], data["fields"].get("election"))
    return election.rule_set if election else None


def sequence(data):
    """The steps for this draft, in order."""
    middle = ["kejadian", "terlapor", "saksi", "bukti"]
    if data["kind"] == "tip":
        return middle + ["kontak", "periksa"]
    return middle + (["batas-waktu"] if late(data) else []) + ["pelapor", "periksa"]


def after(data, step):
    """The step that follows `step`."""
    order = sequence(data)
    return order[min(order.index(step) + 1, len(order) - 1)] if step in order else order[0]


def url(step, **params):
    """The address of a step."""
    return url_for(f"lapor.{step.replace('-', '_')}", **params)


def progress(data, step):
    """(number, total) of the step among those the reporter will see, for 'Step 2 of 6'."""
    order = [s for s in sequence(data) if s != "batas-waktu"]
    return (order.index(step) + 1 if step in order else None), len(order)

