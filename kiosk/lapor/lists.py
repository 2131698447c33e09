"""The two steps that keep a list: witnesses (zero to five) and evidence files."""
from flask import current_app, request

from kiosk.i18n import lazy_gettext as _l

from kiosk.i18n import gettext as _

from .. import evidence, guards, visit
from ..qr import qr_svg
from ..inputs import takes_files
from ..settings import MB
from . import drafts, phone
from .blueprint import bp
from .flow import go_on, page, shows, with_draft
from .forms import WitnessForm, step_form

MAX_WITNESSES = 5

REJECTIONS = {
    "too_large": _l("%(name)s is larger than %(mb)d MB. Choose a smaller file or send a shorter video."),
    "empty": _l("%(name)s is empty."),
    "type": _l("%(name)s is not a photo, PDF, sound or video file that the office accepts."),
    "mismatch": _l("%(name)s is not what its name says it is. Choose the file again."),
    "damaged": _l("%(name)s is damaged or incomplete. Choose the file again."),
    "too_many_pixels": _l("%(name)s is a picture larger than any phone camera takes. Send a smaller photo."),
    "active": _l("%(name)s is a PDF that contains a program, an action or attached files. Send a plain PDF "
                 "or a photo of the paper."),
    "protected": _l("%(name)s is a PDF locked with a password. Send it without the password."),
    "too_complex": _l("%(name)s is a PDF too large to check here. Send only the pages that matter, or photos "
                      "of them."),
    "too_many": _l("%(name)s was not added: at most %(count)d files can be sent."),
    "no_space": _l("%(name)s was not added: the office's storage is full. Please tell the office staff."),
}


@bp.route("/saksi", methods=["GET", "POST"])
@with_draft
def saksi(draft):
    """Witnesses: add one at a time, remove any, or go on with none."""
    witnesses = draft.data.setdefault("witnesses", [])
    form = WitnessForm(formdata=None)
    if request.method == "POST":
        action = request.form.get("action", "next")
        if action.startswith("remove:"):
            position = action.split(":", 1)[1]
            # ASCII digits only: str.isdigit() is also true of '²' and '٣', which int() refuses or misreads
            index = int(position) if position.isascii() and position.isdigit() else -1
            if 0 <= index < len(witnesses):
                witnesses.pop(index)
                drafts.store(draft)
            return page("saksi", draft, form, max_witnesses=MAX_WITNESSES)
        form = WitnessForm(request.form)
        if action == "add" or any(value.strip() for value in form.values().values()):
            if len(witnesses) >= MAX_WITNESSES:
                form.witness_name.errors = [_l("At most %(count)d witnesses can be named.", count=MAX_WITNESSES)]
                return page("saksi", draft, form, max_witnesses=MAX_WITNESSES)
            if not form.validate():
                return page("saksi", draft, form, max_witnesses=MAX_WITNESSES)
            typed = form.values()
            witnesses.append({"name": typed["witness_name"].strip(), "address": typed["witness_address"].strip(),
                              "phone": typed["witness_phone"].strip()})
            drafts.store(draft)
            if action == "add":
                return page("saksi", draft, WitnessForm(formdata=None), max_witnesses=MAX_WITNESSES, added=True)
        return go_on(draft, "saksi")
    return show_witnesses(draft)


@shows("saksi")
def show_witnesses(draft):
    """The witnesses named so far and the form to add one."""
    return page("saksi", draft, WitnessForm(formdata=None), max_witnesses=MAX_WITNESSES)


def _take_uploads(draft):
    """Store the files in this post; return (field errors, the page's status: 413 when a file was too
    large, 507 when the disk was full, else 200)."""
    config = current_app.config
    kept = draft.data.setdefault("evidence", [])
    errors, reasons = [], set()
    for upload in request.files.getlist("files"):
        if not upload or not upload.filename:
            continue
        name = evidence.clean_filename(upload.filename)
        if len(kept) >= config["UPLOAD_MAX_FILES"]:
            errors.append(REJECTIONS["too_many"] % {"name": name, "count": config["UPLOAD_MAX_FILES"]})
            continue
        try:
            stored = evidence.save_upload(upload, config["UPLOAD_MAX_MB"] * MB, {item["sha256"] for item in kept})
        except evidence.Rejected as rejected:
            reasons.add(rejected.reason)
            errors.append(REJECTIONS[rejected.reason] % {"name": name, "mb": config["UPLOAD_MAX_MB"]})
            continue
        if stored:  # None: the same file again, kept once
            kept.append(stored.as_dict())
    return errors, 413 if "too_large" in reasons else 507 if "no_space" in reasons else 200


def keep_uploads(uploads, left):
    """Check and keep `uploads` (with a filename) for a report that may take `left` more files, all or
    nothing: (stored, errors, status), the status 413 when a file was too large, 507 when the disk was full,
    400 for any other problem; no file of the post is kept when one fails (what is added after filing)."""
    config, stored, errors, status = current_app.config, [], [], 200
    for upload in uploads:
        name = evidence.clean_filename(upload.filename)
        if len(stored) >= left:
            errors.append(REJECTIONS["too_many"] % {"name": name, "count": config["UPLOAD_MAX_FILES"]})
            continue
        try:
            stored.append(evidence.save_upload(upload, config["UPLOAD_MAX_MB"] * MB))
        except evidence.Rejected as rejected:
            errors.append(REJECTIONS[rejected.reason] % {"name": name, "mb": config["UPLOAD_MAX_MB"]})
            status = 413 if rejected.reason == "too_large" else 507 if rejected.reason == "no_space" else 400
    if errors:
        evidence.remove_unreferenced([item.blob for item in stored])
        return [], errors, status if status != 200 else 400
    return stored, [], 200


def _context(draft):
    """The evidence limits, for the page's explanation; at the kiosk, the phone's upload link and its QR code
    (and the list asks for what the phone sends), or why there is none."""
    context = {"max_files": current_app.config["UPLOAD_MAX_FILES"], "max_mb": current_app.config["UPLOAD_MAX_MB"]}
    if visit.is_kiosk():
        offered = phone.offer(draft)
        if "phone_url" in offered:
            offered["phone_qr"] = qr_svg(offered["phone_url"], _("QR code of the upload link for your phone"))
            offered["phone_polling"] = True
        context.update(offered)
    return context


@shows("bukti")
def show_evidence(draft):
    """The files added so far, the file picker and the physical evidence question."""
    if visit.is_kiosk():
        phone.collect(draft)
    return page("bukti", draft, step_form("bukti", draft.data), **_context(draft))


@bp.route("/bukti", methods=["GET", "POST"])
@takes_files
@guards.upload_limit
@with_draft
def bukti(draft):
    """Evidence: files checked and stored as they arrive, and physical evidence to hand in."""
    if request.method != "POST":
        return show_evidence(draft)
    if visit.is_kiosk():
        phone.collect(draft)
    action = request.form.get("action", "next")
    form = step_form("bukti", draft.data, request.form)
    upload_errors, status = _take_uploads(draft)
    removed = []
    if action.startswith("remove:"):
        # Only a file of this draft: the value comes from the browser, and becomes a path below.
        blob = action.split(":", 1)[1]
        removed = [name for item in draft.data["evidence"] if item["blob"] == blob for name in evidence.blobs_of(item)]
        draft.data["evidence"] = [item for item in draft.data["evidence"] if item["blob"] != blob]
    drafts.store(draft, **form.values())
    evidence.remove_unreferenced(removed)
    form.files_errors = upload_errors
    context = _context(draft)
    if upload_errors:
        return page("bukti", draft, form, status=status, **context)
    if action == "next" and form.validate():
        return go_on(draft, "bukti")
    return page("bukti", draft, form, uploaded=action == "upload", **context)
