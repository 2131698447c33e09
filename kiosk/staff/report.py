"""One report, whole: every field, witnesses and evidence (downloads and EXIF-free previews), the
kajian awal checklist and the legal category. Showing it is written to the audit log."""
import io

from flask import abort, flash, g, redirect, request, send_file, url_for
from PIL import Image, ImageOps, UnidentifiedImageError

from kiosk.i18n import gettext as _

from .. import completion, evidence, regions
from ..deadlines import working_days_left
from ..models import Evidence, StatusEvent
from ..web import render
from . import audit, people, review
from .blueprint import bp
from .access import is_hub, own_report
from ..choices import CHECKS
from ..notify.models import Outbox, Subscription
from ..sms.thread import thread_of
from .forms import BroughtInForm, ChecklistForm, LegalCategoryForm, PhysicalReceivedForm
from .workflow import current_deadline, decision_due, next_statuses, refusal

PREVIEW_PIXELS = 480
CHECKLIST_OPEN = ("kajian_awal", "perlu_dilengkapi")  # the checklist is the work of the initial review
CATEGORY_OPEN = ("kajian_awal", "perlu_dilengkapi", "diregistrasi", "diteruskan")


def show(report, checklist=None, category=None, status=200):
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
        decision_due=decision_due(report), forwarded_name=forwarded,
        sealed=sealed, person=sealed.person if sealed else None,
        file_count=len(items), held={item.id for item in items if store.has(item.blob)}, previewable=evidence.PILLOW_FORMATS,
        **reporter_side(report, read_only))


def reporter_side(report, read_only):
    """What the report page shows of the reporter's side: what was added, the forms to add, the messages."""
    subscription = Subscription.get_or_none(Subscription.report == report)
    return dict(additions=people.additions(report), addition_kinds=completion.KINDS,
                identity_labels=completion.IDENTITY_LABELS, brought_in=BroughtInForm(formdata=None),
                physical_form=PhysicalReceivedForm(formdata=None), subscription=subscription,
                messages=list(subscription.messages.order_by(Outbox.created_at.desc())) if subscription else [],
                adding_open=not read_only and report.status != "selesai",
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


def _evidence_of(report, evidence_id):
    """The evidence row of `report`, its opened name and key, and its bytes, checked against both its stored
    hash and the receipt's; 404 when missing or sealed to this session, the damaged page when damaged."""
    item = Evidence.get_or_none((Evidence.id == evidence_id) & (Evidence.report == report))
    file = people.file_of(report, item) if item else None
    if file is None or not evidence.files().has(item.blob):
        abort(404)
    try:
        data = evidence.read_file(item.blob, file.key, file.sha256)
        evidence.check_content(data, item.mime)  # what the row says, as the office checked it (the hub's too)
    except (evidence.Damaged, evidence.Rejected):
        abort(410)
    return item, file, data


@bp.get("/laporan/<uuid:report_id>/bukti/<uuid:evidence_id>")
def evidence_file(report_id, evidence_id):
    """Download an evidence file, as an attachment with its recorded type."""
    report = own_report(report_id)
    item, file, data = _evidence_of(report, evidence_id)
    audit.record("download_evidence", target=report.receipt_no, file=item.position + 1, sha256=file.sha256[:16])
    return send_file(io.BytesIO(data), mimetype=item.mime, as_attachment=True, etag=False, conditional=False,
                     download_name=evidence.download_name(file.filename, item.mime))


@bp.get("/laporan/<uuid:report_id>/bukti/<uuid:evidence_id>/pratinjau")
def evidence_preview(report_id, evidence_id):
    """A small JPEG of an evidence photo: turned upright, downscaled, without EXIF (no GPS, no camera)."""
    report = own_report(report_id)
    item, _file, data = _evidence_of(report, evidence_id)
    if item.mime not in evidence.PILLOW_FORMATS:
        abort(404)
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.draft("RGB", (PREVIEW_PIXELS, PREVIEW_PIXELS))
            upright = ImageOps.exif_transpose(image)
            upright.thumbnail((PREVIEW_PIXELS, PREVIEW_PIXELS))
            flat = Image.new("RGB", upright.size, "white")
            flat.paste(upright.convert("RGBA"), mask=upright.convert("RGBA"))
    except (OSError, UnidentifiedImageError, ValueError):
        abort(404)
    out = io.BytesIO()
    flat.save(out, "JPEG", quality=80)  # a new image: no EXIF, no ICC, no comments carried over
    out.seek(0)
    return send_file(out, mimetype="image/jpeg", download_name="pratinjau.jpg", etag=False)
