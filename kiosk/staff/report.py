"""One report, whole: every field, witnesses and evidence (downloads and previews without location or
camera data; an admin may take a file as it was sent), the kajian awal checklist and the legal category.
Showing it, and each file or preview, is written to the audit log."""
import io

from flask import abort, flash, g, redirect, request, send_file, url_for

from kiosk.i18n import gettext as _

from .. import choices, completion, evidence, integrity, regions, transfers
from ..deadlines import working_days_left
from ..elections import Election
from ..models import Evidence, StatusEvent
from ..web import render
from . import audit, people, queue, review
from .assign import assignable
from .papers import papers_of
from .blueprint import bp
from .access import is_hub, own_report
from ..choices import CHECKS
from ..notify.models import Outbox, Subscription
from ..sms.thread import thread_of
from .notes import note_template
from .decision_forms import ChecklistForm, LegalCategoryForm, ReviewForm
from .forms import BroughtInForm, PhysicalReceivedForm
from .workflow import NotAllowed, change_status, current_deadline, decision_due, next_statuses, refusal

CHECKLIST_OPEN = ("kajian_awal", "perlu_dilengkapi")  # the checklist is the work of the initial review
REVIEW_OPEN = ("diterima", *CHECKLIST_OPEN)  # the one review form starts the review when it is not yet
CATEGORY_OPEN = ("kajian_awal", "perlu_dilengkapi", "diregistrasi", "diteruskan")


def _work(report, read_only, checks, review_form):
    """The right-hand column's parts: the one review form, the assignment, the next report, the warnings."""
    if read_only:
        return {"review_open": False}
    return {"review_open": report.status in REVIEW_OPEN,
            "review_form": review_form or ReviewForm(formdata=None, data=dict(checks, legal_category=report.legal_category)),
            "assignable": assignable(report.office_code), "next_report": queue.next_after(report, report.office_code),
            "warnings": review.warnings(report), "papers": papers_of(report),
            "note_templates": {status: note_template(report.office_code, status) for status in review.NOTE_TEMPLATES}}


def show(report, checklist=None, category=None, status=200, review_form=None):
    """The report page, with the checklist and category forms as posted (and their errors) or fresh.
    Every showing is written to the audit log: the page holds the reporter's personal data."""
    audit.record("view_report", target=report.receipt_no)
    read_only = is_hub()  # the hub holds the office's copy: the office's next sync would overwrite a change
    suggested = review.suggested_checks(report)
    checks = review.checks_shown(report, suggested)
    checklist = checklist or ChecklistForm(formdata=None, data=checks)
    category = category or LegalCategoryForm(formdata=None, legal_category=report.legal_category or None)
    deadline = current_deadline(report)
    events = list(report.events.order_by(StatusEvent.at, StatusEvent.change_seq))
    items = list(report.evidence.order_by(Evidence.position))
    sealed = people.opened(report, items)
    store = evidence.files()
    forwarded = next((e.detail.get("agency_name") for e in reversed(events) if e.status == "diteruskan"), None)
    return render(
        "staff/report.html", status=status, title=_("Report %(number)s", number=report.receipt_no), report=report,
        office=regions.office_name(report.office_code), events=events, checklist=checklist, category=category,
        suggested=suggested, confirmed=report.kajian_checks is not None, checks=CHECKS,
        checklist_open=report.status in CHECKLIST_OPEN and not read_only,
        category_open=report.status in CATEGORY_OPEN and not read_only, read_only=read_only,
        list_endpoint="staff.hub_reports" if read_only else "staff.index",
        actions=[] if read_only else [(target, refusal(report, target)) for target in next_statuses(report)],
        deadline=deadline, days_left=working_days_left(deadline[1]) if deadline else None,
        decision_due=decision_due(report), forwarded_name=forwarded, transfer=transfers.of(report), region_office=regions.office_name,
        sealed=sealed, person=sealed.person if sealed else None,
        election_choices=list(Election.of_office(report.office_code)), **_work(report, read_only, checks, review_form),
        file_count=len(items), held={item.id for item in items if store.has(item.blob)}, previewable=evidence.PILLOW_FORMATS,
        damaged={item.id for item in items if integrity.is_damaged(item.blob)}, **reporter_side(report, read_only))


def reporter_side(report, read_only):
    """What the report page shows of the reporter's side: what was added, the forms to add, the messages."""
    subscription = Subscription.get_or_none(Subscription.report == report)
    return dict(additions=people.additions(report), addition_kinds=completion.KINDS,
                identity_labels=completion.IDENTITY_LABELS, brought_in=BroughtInForm(formdata=None),
                physical_form=PhysicalReceivedForm(formdata=None), subscription=subscription,
                messages=list(subscription.messages.order_by(Outbox.created_at.desc())) if subscription else [],
                adding_open=not read_only and report.status not in ("selesai", "dilimpahkan"),
                sms=thread_of(report, people.private_key(), read_only))


@bp.get("/laporan/<uuid:report_id>")
def report(report_id):
    """A report of the office, whole."""
    return show(own_report(report_id))


@bp.post("/laporan/<uuid:report_id>/kajian")
def kajian(report_id):
    """Confirm the kajian awal checklist as ticked."""
    report = own_report(report_id)
    if report.status not in CHECKLIST_OPEN:
        flash(_("The checklist can be changed only during the initial review."), "error")
        return redirect(url_for("staff.report", report_id=report.id), code=303)
    form = ChecklistForm(request.form)
    review.confirm_checks(report, g.staff, {name: form[name].data for name in CHECKS})
    flash(_("The initial-review checklist is confirmed."), "success")
    return redirect(url_for("staff.report", report_id=report.id, _anchor="kajian"), code=303)


@bp.post("/laporan/<uuid:report_id>/kategori")
def legal_category(report_id):
    """Set the report's legal category."""
    report = own_report(report_id)
    if report.status not in CATEGORY_OPEN:
        flash(_("The legal category cannot be changed at this stage."), "error")
        return redirect(url_for("staff.report", report_id=report.id), code=303)
    form = LegalCategoryForm(request.form)
    if not form.validate():
        return show(report, category=form, status=400)
    review.set_legal_category(report, g.staff, form.legal_category.data)
    flash(_("The legal category is set."), "success")
    return redirect(url_for("staff.report", report_id=report.id, _anchor="kategori"), code=303)


def _evidence_of(report, evidence_id, original=False):
    """The evidence row of `report`, its opened name and key, and its bytes (the copy without location or
    camera data, or with `original` the file as it was sent), checked against both its stored hash and the
    sealed one; 404 when missing or sealed to this session, the damaged page when damaged."""
    item = Evidence.get_or_none((Evidence.id == evidence_id) & (Evidence.report == report))
    file = people.file_of(report, item) if item else None
    blob, sha256 = (item.original, file.sha256) if original and file else \
        (item.blob, file.stripped_sha256 or file.sha256) if file else ("", "")
    if file is None or not evidence.files().has(blob):
        abort(404)
    try:
        data = evidence.read_file(blob, file.key, sha256)
    except evidence.Damaged:
        integrity.found(g.staff.office_code, blob, by="download", actor=g.staff.username)
        # Its bytes are never served: the page says so, with the status that says the file is gone.
        abort(render("staff/damaged.html", status=410, title=_("This evidence file is damaged"), report=report,
                     number=item.position + 1))
    try:
        evidence.check_content(data, item.mime)  # what the row says, as the office checked it (the hub's too)
    except evidence.Rejected:
        abort(410)
    return item, file, data


def _attachment(item, file, data):
    return send_file(io.BytesIO(data), mimetype=item.mime, as_attachment=True, etag=False, conditional=False,
                     download_name=evidence.download_name(file.filename, item.mime))


@bp.get("/laporan/<uuid:report_id>/bukti/<uuid:evidence_id>")
def evidence_file(report_id, evidence_id):
    """Download an evidence file (without location or camera data), as an attachment with its recorded type."""
    report = own_report(report_id)
    item, file, data = _evidence_of(report, evidence_id)
    audit.record("download_evidence", target=report.receipt_no, file=item.position + 1, sha256=file.sha256[:16])
    return _attachment(item, file, data)


@bp.get("/laporan/<uuid:report_id>/bukti/<uuid:evidence_id>/asli")
def evidence_original(report_id, evidence_id):
    """An admin's download of an evidence file exactly as it was sent (with its location and camera data)."""
    report = own_report(report_id)
    if not g.staff.is_admin:
        abort(403)
    item, file, data = _evidence_of(report, evidence_id, original=True)
    audit.record("download_original", target=report.receipt_no, file=item.position + 1, sha256=file.sha256[:16])
    return _attachment(item, file, data)


@bp.get("/laporan/<uuid:report_id>/bukti/<uuid:evidence_id>/pratinjau")
def evidence_preview(report_id, evidence_id):
    """A small JPEG of an evidence photo: turned upright, downscaled, without EXIF (no GPS, no camera); made
    once and kept, locked. Each showing is audited."""
    report = own_report(report_id)
    item, file, data = _evidence_of(report, evidence_id)
    if item.mime not in evidence.PILLOW_FORMATS:
        abort(404)
    made = evidence.preview(item.blob, file.key, data)
    if made is None:
        abort(404)
    audit.record("preview_evidence", target=report.receipt_no, file=item.position + 1)
    return send_file(io.BytesIO(made), mimetype="image/jpeg", download_name="pratinjau.jpg", etag=False)


@bp.post("/laporan/<uuid:report_id>/kaji")
def decide(report_id):
    """The initial review in one post: it starts the review when the report was only received, confirms the
    checklist, sets the legal category and makes the decision, if any."""
    report = own_report(report_id)
    if report.status not in REVIEW_OPEN:
        flash(_("The checklist can be changed only during the initial review."), "error")
        return redirect(url_for("staff.report", report_id=report.id), code=303)
    form = ReviewForm(request.form)
    if not form.validate():
        return show(report, review_form=form, status=400)
    if report.status == "diterima":
        report = change_status(report, "kajian_awal", g.staff, {"public_note": note_template(report.office_code, "kajian_awal")})
    report = review.confirm_checks(report, g.staff, {name: form[name].data for name in CHECKS})
    if form.legal_category.data and form.legal_category.data != report.legal_category:
        report = review.set_legal_category(report, g.staff, form.legal_category.data)
    target = form.decision.data
    if target:
        values = dict(form.data, public_note=(form.public_note.data or "").strip() or note_template(report.office_code, target))
        try:
            report = change_status(report, target, g.staff, values)
        except NotAllowed as refused:
            flash(refused.message, "error")
            return show(report, review_form=form, status=409)
        message = _("The status is now “%(status)s”.", status=choices.STATUSES[target])
        if target == "diregistrasi":
            message += " " + _("Registration number: %(number)s.", number=report.registration_no)
        flash(message, "success")
    else:
        flash(_("The initial-review checklist is confirmed."), "success")
    return redirect(url_for("staff.report", report_id=report.id), code=303)
