"""The reporter's rights under UU 27/2022 (Pasal 30–32), answered within 3×24 hours by an office admin at
`/staff/hak-subjek`: find everything held about a reporter by their NIK (the blind index: kiosk.search),
hand it over as a file (their reports, their own sealed data, the public history and the trail of who
processed it from the audit log) and correct it. Each search, export and correction is in the audit log.
Witnesses' details are the witnesses' own data and are not handed over."""
import json

from flask import abort, flash, g, make_response, redirect, request, url_for

from kiosk.i18n import gettext as _

from .. import sealing, search
from ..db import writing
from ..models import Report, StatusEvent, utcnow
from ..web import render
from . import audit, people
from .access import admin_only, offices_in_view, own_report
from .blueprint import bp
from .forms import CorrectionForm, SubjectForm
from .models import AuditLog

CORRECTABLE = ("reporter_name", "reporter_birth_place", "reporter_birth_date", "reporter_sex",
               "reporter_occupation", "reporter_nationality", "reporter_address", "reporter_phone", "reporter_email")


def reports_of(nik):
    """The reports of this office whose reporter has the NIK `nik` (exact)."""
    found = search.matching(people.searching_key(), nik)
    if found is None:
        return []
    return list(Report.select().where(Report.id.in_(found), Report.office_code.in_(offices_in_view()))
                .order_by(Report.submitted_at))


@bp.get("/hak-subjek")
@admin_only
def subject():
    """Find the reports of a reporter by NIK."""
    form = SubjectForm(request.args)
    rows = None
    if request.args and form.validate():
        rows = reports_of(form.nik.data)
        audit.record("pdp_search", target=f"{len(rows)} found")
    return render("staff/subject.html", title=_("The reporter's rights (UU PDP)"), form=form, rows=rows,
                  can_open=people.private_key() is not None)


def _held_about(report):
    """Everything about the reporter in one report, for their copy."""
    person = people.person_of(report)
    trail = AuditLog.select().where(AuditLog.target == report.receipt_no).order_by(AuditLog.at)
    return {
        "receipt_no": report.receipt_no, "received": report.submitted_at.isoformat(), "kind": report.kind,
        "status": report.status, "category": report.category, "place": report.place_detail,
        "description": report.description, "reported_party": report.terlapor_name,
        "reporter": {name: getattr(person, name) for name in sealing.REPORT_FIELDS} if person else None,
        "evidence_files": report.evidence.count(), "witnesses_named": report.witnesses.count(),
        "history": [{"status": e.status, "at": e.at.isoformat(), "note": e.public_note}
                    for e in report.events.order_by(StatusEvent.at)],
        "processing": [{"at": e.at.isoformat(), "by": e.actor, "action": e.action} for e in trail],
    }


@bp.post("/hak-subjek/ekspor")
@admin_only
def subject_export():
    """The reporter's copy of everything held about them, as a JSON file."""
    form = SubjectForm(request.form)
    if not form.validate():
        abort(400)
    rows = reports_of(form.nik.data)
    body = json.dumps({"office": g.staff.office_code, "made": utcnow().isoformat(), "reports": [
        _held_about(report) for report in rows]}, ensure_ascii=False, indent=2)
    audit.record("pdp_export", target=f"{len(rows)} reports")
    response = make_response(body.encode("utf-8"))
    response.mimetype = "application/json"
    response.headers["Content-Disposition"] = 'attachment; filename="data-pelapor.json"'
    return response


@bp.route("/hak-subjek/<uuid:report_id>", methods=["GET", "POST"])
@admin_only
def subject_correct(report_id):
    """Correct the reporter's own data in one report (resealed under the report's key)."""
    report = own_report(report_id)
    person = people.person_of(report)
    if person is None:
        abort(404)
    form = CorrectionForm(request.form if request.method == "POST" else None,
                          data=dict(vars(person), reporter_birth_date=sealing.birth_date(person.reporter_birth_date)))
    if request.method == "POST" and form.validate():
        values = dict(vars(person), **{name: (form[name].data or "").strip() if name != "reporter_birth_date"
                                       else form[name].data for name in CORRECTABLE})
        with writing():
            report.personal = sealing.seal_fields(people.report_key(report), values, sealing.REPORT_FIELDS)
            report.updated_at = utcnow()
            report.save()
            search.forget(report.id)
            audit.record("pdp_correct", target=report.receipt_no,
                         fields=",".join(n for n in CORRECTABLE if str(values[n] or "") != str(getattr(person, n) or "")))
        flash(_("The reporter's data in %(number)s is corrected.", number=report.receipt_no), "success")
        return redirect(url_for("staff.subject_correct", report_id=report.id), code=303)
    return render("staff/subject_correct.html", status=400 if request.method == "POST" else 200,
                  title=_("Correct the reporter's data in %(number)s", number=report.receipt_no), report=report,
                  form=form)
