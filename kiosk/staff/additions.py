"""What staff add to a report for its reporter: material brought to the office (a note and files, checked
as at filing), the physical evidence handed in (what, when, by whom), and the identity details a reporter
completed, taken into the report. Each is audited; none is possible at the hub (read-only)."""
from flask import abort, flash, g, redirect, request, url_for

from kiosk.i18n import gettext as _

from .. import completion, sealing
from ..db import writing
from ..inputs import takes_files
from ..lapor.lists import keep_uploads
from ..lapor.submit import identity_complete
from ..models import Addition, Report, utcnow
from . import audit, people
from .access import own_report
from .blueprint import bp
from .forms import BroughtInForm, PhysicalReceivedForm


def _back(report, anchor="tambahan"):
    return redirect(url_for("staff.report", report_id=report.id, _anchor=anchor), code=303)


@bp.post("/laporan/<uuid:report_id>/tambahan")
@takes_files
def brought_in(report_id):
    """Attach what the reporter brought to the office: a note and files, kept whole or not at all."""
    report = own_report(report_id)
    form = BroughtInForm(request.form)
    uploads = [upload for upload in request.files.getlist("files") if upload and upload.filename]
    if not form.validate() or not (form.text.data or "").strip() and not uploads:
        flash(_("Write a note or choose a file to attach."), "error")
        return _back(report)
    stored, errors, _status = keep_uploads(uploads, completion.files_left(report))
    if errors:
        for message in errors:
            flash(message, "error")
        return _back(report)
    addition, _key = completion.add(report, "brought_in", {"text": (form.text.data or "").strip()}, stored,
                                    actor=g.staff.username)
    audit.record("addition", target=addition.receipt_no, kind="brought_in", files=len(stored))
    flash(_("Attached to the report as %(number)s.", number=addition.receipt_no), "success")
    return _back(report)


@bp.post("/laporan/<uuid:report_id>/bukti-fisik")
def physical_received(report_id):
    """Record that physical evidence was handed in: what; the time and the account are the record's own."""
    report = own_report(report_id)
    form = PhysicalReceivedForm(request.form)
    if not form.validate():
        for errors in form.errors.values():
            for message in errors:
                flash(str(message), "error")
        return _back(report)
    addition, _key = completion.add(report, "physical_received", {"text": form.what.data.strip()},
                                    actor=g.staff.username)
    audit.record("addition", target=addition.receipt_no, kind="physical_received")
    flash(_("Recorded as received (%(number)s).", number=addition.receipt_no), "success")
    return _back(report)


@bp.post("/laporan/<uuid:report_id>/tambahan/<uuid:addition_id>/pakai")
def use_identity(report_id, addition_id):
    """Take the identity details a reporter completed into the report's own (sealed) fields."""
    report = own_report(report_id)
    addition = Addition.get_or_none((Addition.id == addition_id) & (Addition.report == report))
    if addition is None:
        abort(404)
    try:
        values = sealing.open_fields(people.addition_key(addition), addition.personal, completion.FIELDS)
        key = people.report_key(report)
    except sealing.Unreadable:
        flash(_("Your session does not hold the office key that opens this report."), "error")
        return _back(report)
    given = {name: getattr(values, name) for name in completion.IDENTITY_FIELDS if getattr(values, name)}
    with writing():
        report = Report.get_by_id(report.id)
        person = vars(sealing.open_fields(key, report.personal, sealing.REPORT_FIELDS))
        person.update(given)
        report.personal = sealing.seal_fields(key, person, sealing.REPORT_FIELDS)
        report.reporter_nik_masked = sealing.masked_nik(person["reporter_nik"])
        report.identity_complete = identity_complete(report.kind, person)
        report.updated_at = utcnow()
        report.save()
        audit.record("identity_completed", target=addition.receipt_no, fields=",".join(sorted(given)))
    flash(_("The report now holds the details the reporter completed."), "success")
    return _back(report)
