"""The kajian awal checklist and the legal category: suggested from the report's data, confirmed or
set by staff, and put on record."""
from ..db import writing
from ..models import Report, utcnow
from . import audit
from ..choices import CHECKS, LEGAL_CATEGORIES

MIN_DESCRIPTION = 20


def suggested_checks(report):
    """What the data says about each requirement: {check: met}. Staff confirm or correct it."""
    has_evidence = report.evidence.count() > 0 or bool(report.physical_evidence.strip()) \
        or report.witnesses.count() > 0
    return {
        "identity": report.kind == "formal" and report.identity_complete,
        "terlapor": bool(report.terlapor_name.strip() and report.terlapor_role),
        "deadline": not report.late,
        "time_place": bool(report.occurred_on and report.district_code and report.place_detail.strip()),
        "description": len(report.description.strip()) >= MIN_DESCRIPTION,
        "evidence": has_evidence,
    }


def checks_shown(report, suggested):
    """The checklist as it stands: staff's confirmed answers, or else the `suggested` ones."""
    return dict(report.kajian_checks) if report.kajian_checks is not None else suggested


def confirm_checks(report, staff, checks):
    """Record the checklist as confirmed by `staff`: {check: met} for every check."""
    checks = {name: bool(checks.get(name)) for name in CHECKS}
    with writing():
        report = Report.get_by_id(report.id)
        report.kajian_checks, report.kajian_by, report.kajian_at = checks, staff.username, utcnow()
        report.updated_at = report.kajian_at
        report.save()
        audit.record("kajian", target=report.receipt_no, actor=staff.username, office_code=staff.office_code,
                     **checks)
    return report


def set_legal_category(report, staff, category):
    """Give the report its legal category (one of LEGAL_CATEGORIES)."""
    if category not in LEGAL_CATEGORIES:
        raise ValueError(category)
    with writing():
        report = Report.get_by_id(report.id)
        previous, report.legal_category, report.updated_at = report.legal_category, category, utcnow()
        report.save()
        audit.record("legal_category", target=report.receipt_no, actor=staff.username,
                     office_code=staff.office_code, **{"from": previous, "to": category})
    return report
