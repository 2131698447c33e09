"""The report's workflow (docs/domain.md, Statuses): which status may follow which, what each change needs, and the
deadlines that follow from it. Every change is a StatusEvent and an audit entry."""
from kiosk.i18n import lazy_gettext as _l

from .. import choices, completion
from ..db import writing
from .. import deadlines
from ..deadlines import today, working_days_left
from ..elections import rules_of
from ..models import Report, StatusEvent, utcnow
from ..numbering import next_registration_no
from ..notify import handover
from ..notify import sender as notices
from . import audit, people
from ..choices import AGENCIES, NOT_REGISTERED_REASONS, OUTCOMES, TRANSFER_REASONS
from ..transfers import receivers

# The one place the workflow is defined: each status and the statuses that may follow it.
TRANSITIONS = {
    "diterima": ("kajian_awal", "dilimpahkan"),
    "kajian_awal": ("perlu_dilengkapi", "diregistrasi", "tidak_diregistrasi", "dilimpahkan"),
    "perlu_dilengkapi": ("kajian_awal", "diregistrasi", "tidak_diregistrasi", "dilimpahkan"),
    "diregistrasi": ("diteruskan", "selesai"),
    "diteruskan": ("selesai",),
    "tidak_diregistrasi": ("selesai",),  # e.g. closed as informasi awal
    "selesai": (),
    "dilimpahkan": (),  # the competent office takes it on (kiosk.transfers): this copy stays as it is
}
# The kajian awal decides these, so they need the checklist confirmed first.
KAJIAN_DECISIONS = ("perlu_dilengkapi", "diregistrasi", "tidak_diregistrasi")
IN_REVIEW = ("diterima", "kajian_awal")

# What a change to each status must carry, and the message when it does not.
REQUIRED = {
    "perlu_dilengkapi": ("public_note", _l("Say what the reporter must complete.")),
    "tidak_diregistrasi": ("reason", _l("Choose the reason it is not registered.")),
    "diteruskan": ("agency", _l("Choose the agency it is forwarded to.")),
    "selesai": ("outcome", _l("Choose the outcome.")),
    "dilimpahkan": ("office", _l("Choose the office it is transferred to.")),
}
CHOICES_OF = {"reason": NOT_REGISTERED_REASONS, "agency": AGENCIES, "outcome": OUTCOMES,
              "transfer_reason": TRANSFER_REASONS}


class NotAllowed(Exception):
    """A status change the workflow does not allow; `message` says why, for the person."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def next_statuses(report):
    """The statuses the report may move to now."""
    return TRANSITIONS.get(report.status, ())


def refusal(report, target):
    """Why changing `report` to `target` is not allowed now, or None when it is."""
    if target not in next_statuses(report):
        return _l("A report that is “%(current)s” cannot become “%(target)s”.",
                  current=choices.label(choices.STATUSES, report.status),
                  target=choices.label(choices.STATUSES, target))
    if target in KAJIAN_DECISIONS and report.kajian_checks is None:
        return _l("Confirm the initial-review checklist first.")
    if target == "diregistrasi" and not all(report.kajian_checks.values()):
        return _l("Only a report that meets every formal and material requirement can be registered.")
    if target == "diregistrasi" and not report.legal_category:
        return _l("Set the legal category before registering the report.")
    return None


def _check_detail(target, values, office_code):
    """Refuse a change that lacks what its status needs (the forms ask for it; this is the guard)."""
    if target in REQUIRED:
        name, message = REQUIRED[target]
        if not (values.get(name) or "").strip():
            raise NotAllowed(message)
    for name, table in CHOICES_OF.items():
        if values.get(name) and values[name] not in table:
            raise NotAllowed(REQUIRED[target][1] if target in REQUIRED else _l("Choose from the list."))
    if target == "diteruskan" and values.get("agency") == "other" and not (values.get("agency_name") or "").strip():
        raise NotAllowed(_l("Enter the name of the agency."))
    if target == "dilimpahkan" and values["office"] not in {code for code, _name in receivers(office_code)}:
        raise NotAllowed(REQUIRED[target][1])
    if target == "dilimpahkan" and values.get("transfer_reason") not in TRANSFER_REASONS:
        raise NotAllowed(_l("Choose why it is transferred."))


def change_status(report, target, actor, values, on=None):
    """Move `report` to `target` for account `actor`, with the form's `values` (public_note,
    internal_note, and reason / agency / agency_name / outcome as the status needs). Assigns the
    registration number and the deadlines; writes the StatusEvent and the audit entry. Raises NotAllowed."""
    on = on or today()
    with writing():
        report = Report.get_by_id(report.id)  # read again under the write lock: two staff, one report
        problem = refusal(report, target)
        if problem:
            raise NotAllowed(problem)
        _check_detail(target, values, report.office_code)
        detail, rules = {}, rules_of(report)
        report.needs_review = False  # staff decided on what was added, if anything was
        if target == "perlu_dilengkapi":
            report.completed_at = None  # a new request, a new window
            report.completion_due = deadlines.completion_due(on, rules)
            detail["completion_due"] = report.completion_due.isoformat()
            missing = [name for name in values.get("missing") or () if name in completion.IDENTITY_FIELDS]
            if missing and report.kind == "formal":
                detail["missing"] = missing
        elif target == "diregistrasi":
            report.registration_no = next_registration_no(report.office_code, on, rules.registration_pattern)
            report.registered_on = on
            detail.update(registration_no=report.registration_no,
                          decision_due=deadlines.decision_due(on, rules).isoformat())
        elif target == "tidak_diregistrasi":
            detail["reason"] = values["reason"]
        elif target == "diteruskan":
            report.forwarded_to = values["agency"]
            detail["agency"] = values["agency"]
            if values["agency"] == "other":
                detail["agency_name"] = values["agency_name"].strip()
        elif target == "selesai":
            report.outcome = detail["outcome"] = values["outcome"]
        elif target == "dilimpahkan":  # the office's next sync brings it to the hub, for that office
            report.transfer_office = detail["office"] = values["office"]
            detail["transfer_reason"] = values["transfer_reason"]
            # the reporter's messages go with it, for the receiving office to take on
            report.notices = handover.hand_over(report, people.key_or_none(report))
        previous, report.status, report.updated_at = report.status, target, utcnow()
        report.due_on = due_on(report, rules)
        report.save()
        event = StatusEvent(report=report, status=target, actor=actor.username,
                            public_note=(values.get("public_note") or "").strip(),
                            internal_note=(values.get("internal_note") or "").strip(), detail=detail)
        event.save(force_insert=True)
        notices.queue(report, event)  # in this transaction: the change and its message commit together
        audit.record("status_change", target=report.receipt_no, actor=actor.username, office_code=actor.office_code,
                     **{"from": previous, "to": target}, **{k: v for k, v in detail.items() if k != "agency_name"})
    return report


def decision_due(report, rules=None):
    """When the decision on a registered report is due, or None before registration."""
    return deadlines.decision_due(report.registered_on, rules or rules_of(report)) if report.registered_on else None


def current_deadline(report, rules=None):
    """(what, due date) of the deadline running for the report's current status under its election's
    `rules`, or None."""
    if report.status in IN_REVIEW:
        return _l("Initial review due"), report.kajian_awal_due
    if report.status == "perlu_dilengkapi" and report.completion_due:
        return _l("Completion due"), report.completion_due
    if report.status == "diregistrasi" and report.registered_on:
        return _l("Decision due"), decision_due(report, rules)
    return None


def due_on(report, rules=None):
    """The report's next legal deadline (what the queue is ordered by), or None when none runs."""
    deadline = current_deadline(report, rules)
    return deadline[1] if deadline else None


def review_days_left(report, on=None):
    """Working days left before the initial-review deadline while the review is open (negative:
    overdue by that many), or None once the review is done."""
    return working_days_left(report.kajian_awal_due, on) if report.status in IN_REVIEW else None
