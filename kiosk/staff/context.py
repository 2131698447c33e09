"""What staff templates share: the page class, the navigation, the back office's labels, and NIK masking."""
import datetime as dt

from flask import current_app
from flask_babel import format_date

from kiosk.i18n import lazy_gettext as _l

from .. import choices, hosts, integrity, regions
from ..sync import recovery
from ..web import page_classes
from .blueprint import bp
from . import choices as staff_choices
from .access import is_hub
from .forms import MIN_PASSWORD

# The navigation: (endpoint, label, admins only). The hub has the overview and every office's list, and
# nothing that writes to a report (see access.HUB_ENDPOINTS).
OFFICE_NAV = [("staff.index", _l("Reports"), False), ("staff.sms_inbox", _l("SMS inbox"), False),
              ("staff.assisted", _l("Type in a paper report"), False),
              ("staff.recap", _l("Daily recap"), False), ("staff.export", _l("Export"), False),
              ("staff.audit_log", _l("Audit log"), True), ("staff.accounts", _l("Accounts"), True),
              ("staff.office", _l("Office details"), True), ("staff.elections_page", _l("Elections"), True),
              ("staff.note_templates", _l("Note templates"), True),
              ("staff.subject", _l("Reporters' rights"), True)]
HUB_NAV = [("staff.index", _l("Provincial overview"), False), ("staff.hub_reports", _l("Reports"), False),
           ("staff.recap", _l("Daily recap"), False), ("staff.export", _l("Export"), False),
           ("staff.audit_log", _l("Audit log"), True), ("staff.accounts", _l("Accounts"), True)]

DETAIL_LABELS = {
    "registration_no": _l("Registration number"),
    "reason": _l("Reason"),
    "agency": _l("Forwarded to"),
    "agency_name": _l("Agency"),
    "outcome": _l("Outcome"),
    "completion_due": _l("Completion due"),
}
DETAIL_CHOICES = {"reason": choices.NOT_REGISTERED_REASONS, "agency": choices.AGENCIES,
                  "outcome": choices.OUTCOMES}


def detail_value(key, value):
    """A status event's detail as a person reads it."""
    if key in DETAIL_CHOICES:
        return choices.label(DETAIL_CHOICES[key], value)
    if key == "completion_due":
        return format_date(dt.date.fromisoformat(value), "long")
    return value


@bp.context_processor
def staff_context():
    """Every staff template's page class and labels."""
    return {"body_classes": lambda: f"{page_classes()} staff".strip(), "channels": choices.CHANNELS, "roles": staff_choices.ROLES,
            "legal_categories": choices.LEGAL_CATEGORY_SHORT, "staff_choices": staff_choices, "choices": choices,
            "term_roles": choices.TERLAPOR_ROLES, "reporter_types": choices.REPORTER_TYPES, "sexes": choices.SEXES,
            "detail_labels": DETAIL_LABELS, "detail_value": detail_value, "min_password": MIN_PASSWORD,
            "staff_nav": HUB_NAV if is_hub() else OFFICE_NAV, "hub": is_hub(), "region_name": regions.name,
            "public_url_problem": hosts.public_url_problem(current_app.config),
            "damaged_evidence": integrity.damaged, "recovering": recovery.state}
