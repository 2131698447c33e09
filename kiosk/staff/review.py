"""The kajian awal checklist and the legal category: suggested from the report's data, confirmed or
set by staff, and put on record."""
from kiosk.i18n import lazy_gettext as _l

from ..db import writing
from ..models import Report, utcnow
from . import audit
from .. import choices
from ..choices import CHECKS, LEGAL_CATEGORIES

MIN_DESCRIPTION = 20
# The public note each decision starts with (staff edit it; an empty note takes it whole).
NOTE_TEMPLATES = {
    "kajian_awal": _l("Your report is being reviewed against the formal and material requirements."),
    "perlu_dilengkapi": _l("Your report needs more before it can be registered: please bring or send what is missing."),
    "diregistrasi": _l("Your report meets the requirements and is registered. Bawaslu now examines it."),
    "tidak_diregistrasi": _l("Your report cannot be registered. Bawaslu may still use it as initial information."),
    "diteruskan": _l("Your report has been forwarded to the agency that handles it."),
    "selesai": _l("The handling of your report is finished."),
    "dilimpahkan": _l("Your report concerns another regency or city and is transferred to the Bawaslu competent for it."),
}
# Where each legal category normally goes (docs/domain.md): forwarding elsewhere earns a warning, not a refusal.
GOES_TO = {"kode_etik": "dkpp", "pidana": "gakkumdu", "peraturan_lain": "bkn"}


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


def warnings(report, agency=None):
    """What looks inconsistent (it does not block): a legal category forwarded to an agency that does not
    handle it, e.g. an administrative violation to Sentra Gakkumdu."""
    agency = agency or report.forwarded_to
    if not (agency and report.legal_category):
        return []
    expected = GOES_TO.get(report.legal_category)
    if agency != expected and agency != "other" and (expected or agency in GOES_TO.values()):
        return [_l("The legal category is “%(category)s” but the report goes to %(agency)s: check that this is meant.",
                   category=LEGAL_CATEGORIES[report.legal_category], agency=choices.AGENCIES[agency])]
    return []
