"""The status page: a report's progress told plainly (what its status means, what happens next and by
when), the office's contact details, the timeline newest first and, while staff wait for it, the form
to complete the report. Never the reporter's personal data."""
from flask import current_app, redirect, request, session, url_for
from flask_babel import format_date
from lokal import parse_phone

from kiosk.i18n import lazy_gettext as _l

from .. import choices, completion, evidence, guards, keys, progress, regions, sealing, tracking, transfers
from ..inputs import takes_files
from ..lapor.lists import keep_uploads
from ..models import Addition, Report
from ..notify import sender
from ..notify.models import Subscription
from ..office import contact
from ..staff import audit
from ..web import render
from .blueprint import bp
from .forms import answer_form

PROBLEMS = {
    "empty": _l("Enter the 16-digit tracking code from your receipt."),
    "format": _l("Check the code: it has 16 digits, and one of them is not right."),
    "unknown": _l("No report has this tracking code. Check it against your receipt."),
}
ADDED, ADDED_KEY = "addition", "addition_key"  # in the session: the addition just sent, and its key
EMPTY_ANSWER = _l("Write your answer, or choose a file to send.")


def find(typed):
    """(problem, report) for a typed tracking code: one of PROBLEMS' keys or None, and the report or None."""
    digits = tracking.digits_of(typed or "")
    if not digits:
        return "empty", None
    if not tracking.is_well_formed(digits):
        return "format", None
    report = transfers.current(digits)  # where it is now, when it was transferred between offices
    return (None, report) if report else ("unknown", None)


def timeline(report, events):
    """What the reporter sees happened, newest first: the status changes and what was added."""
    entries = [(event.at, choices.label(choices.STATUSES, event.status), event.public_note) for event in events]
    entries += [(addition.at, completion.KINDS[addition.kind], "") for addition in report.additions]
    return sorted(entries, key=lambda entry: entry[0], reverse=True)


def where(report):
    """Which office the page names and whose contact it gives: the office that holds the report, or the one it
    was transferred to (with the transfer, when this place knows it arrived), and where it came from."""
    moved = transfers.where_now(report)
    came = transfers.of(report) if report.transferred_from else None
    code = moved[0] if moved else report.office_code
    return dict(office=regions.office_name(code), moved=moved[1] if moved else None, moved_to=bool(moved),
                contact=transfers.contact_of(code, moved[1] if moved else None),
                came_from=regions.office_name(came.from_office) if came else "")


def show(typed, problem=None, report=None, form=None, upload_errors=(), status=200):
    """The status page for what was typed, with the report's progress when there is one."""
    context = {}
    if report is not None:
        events = list(report.public_events())
        is_open = completion.window_open(report)
        subscription = Subscription.active_for(report)
        context = dict(
            report=report, **where(report),
            said=progress.told(report, events, window_open=is_open, completed_on=completion.completed_on(report),
                               format_date=lambda day: format_date(day, "full")),
            entries=timeline(report, events), window_open=is_open,
            form=form or (answer_form(completion.missing_of(report)) if is_open else None),
            files_left=completion.files_left(report) if is_open else 0, max_mb=current_app.config["UPLOAD_MAX_MB"],
            upload_errors=list(upload_errors), messages_to=subscription.address_masked if subscription else "")
    return render("status/lookup.html", status=status, typed=(typed or "")[:40], problem=problem,
                  message=PROBLEMS.get(problem), **context)


@bp.get("/status")
@guards.status_limit
def lookup():
    """Look a report up by its tracking code (a GET form, so the receipt's QR code can link here)."""
    typed = request.args.get("kode")
    if typed is None:
        return show("")
    problem, report = find(typed)
    return show(typed, problem, report)


def _save_files(report):
    """Check and keep the files of this post: (stored, errors, status). Nothing is kept when any fails."""
    uploads = [upload for upload in request.files.getlist("files") if upload and upload.filename]
    return keep_uploads(uploads, completion.files_left(report))


def _values(form, missing):
    """The answer and the identity fields, as sealed: trimmed, a phone as E.164, a date as ISO text."""
    values = {"text": (form.text.data or "").strip()}
    for name in missing:
        value = form[name].data
        if name == "reporter_phone" and value:
            value = parse_phone(value).e164 or value.strip()
        values[name] = value.isoformat() if hasattr(value, "isoformat") else (value or "").strip()
    return values


@bp.post("/status/lengkapi")
@takes_files
@guards.addition_limit
def lengkapi():
    """Complete a report with its tracking code: the answer, files and missing identity fields, kept
    whole or not at all; then the addition's receipt."""
    typed = request.form.get("kode", "")
    problem, report = find(typed)
    if report is None:
        return show(typed, problem, status=404 if problem == "unknown" else 400)
    if not completion.window_open(report):
        return show(typed, None, report, status=409)
    missing = completion.missing_of(report)
    form = answer_form(missing, request.form)
    valid = form.validate()
    if valid and not form.text.data.strip() and not missing and not any(f.filename for f in request.files.getlist("files")):
        form.text.errors = [EMPTY_ANSWER]
        valid = False
    if not valid:
        return show(typed, None, report, form=form, status=400)
    stored, errors, status = _save_files(report)
    if errors:
        return show(typed, None, report, form=form, upload_errors=errors, status=status)
    try:
        addition, key = completion.add(report, "completion", _values(form, missing), stored)
    except completion.Closed:
        evidence.remove_unreferenced([item.blob for item in stored])
        return show(typed, None, Report.get_by_id(report.id), status=409)
    audit.record("addition", target=addition.receipt_no, actor="", office_code=report.office_code,
                 kind="completion", files=len(stored))
    session[ADDED], session[ADDED_KEY] = str(addition.id), keys.b64(key)
    return redirect(url_for("status.added"), code=303)


@bp.get("/status/dilengkapi")
def added():
    """The receipt of the addition this session just sent: its number, time and files with their SHA-256."""
    addition = Addition.get_or_none(Addition.id == session.get(ADDED)) if session.get(ADDED) else None
    if addition is None:
        return redirect(url_for("status.lookup"), code=303)
    try:
        key = keys.unb64(session.get(ADDED_KEY))
        files = [dict(vars(sealing.open_fields(key, item.personal, sealing.EVIDENCE_FIELDS)), size=item.size)
                 for item in addition.files]
    except (keys.Locked, sealing.Unreadable):
        files = []
    report = addition.report
    return render("status/added.html", addition=addition, report=report, files=files,
                  office=regions.office_name(report.office_code), contact=contact(report.office_code),
                  code=tracking.grouped(report.tracking_code))


@bp.route("/status/berhenti/<token>", methods=["GET", "POST"])
def berhenti(token):
    """Stop the messages of a report: the link in each message asks first (a mail program that opens the
    link to look at it stops nothing), the button stops them."""
    stopped = request.method == "POST" and sender.unsubscribe(token[:64])
    return render("status/stop.html", token=token[:64], stopped=stopped, asked=request.method == "POST")


@bp.get("/S/<code>")
def short(code):
    """The receipt's QR code leads here (capitals and digits make a smaller code): on to the status."""
    return redirect(url_for("status.lookup", kode=tracking.dashed(tracking.digits_of(code))),
                    code=303)
