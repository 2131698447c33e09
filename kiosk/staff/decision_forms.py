"""The forms of the review and its decisions: the kajian awal checklist, the legal category, the review in one
form, and one form per status change, each asking for what that change needs."""
from wtforms import BooleanField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Optional, ValidationError

from kiosk.i18n import lazy_gettext as _l

from .. import choices
from ..completion import IDENTITY_LABELS
from ..fields import at_most, options
from ..limits import TEXT
from ..transfers import receivers
from .forms import StaffForm


def note(label, limit=TEXT["public_note"]):
    """A free-text note of at most `limit` characters."""
    return TextAreaField(label, validators=[Optional(), at_most(limit)])


def missing_identity():
    """The identity fields staff ask a formal report's reporter to complete (kiosk.completion)."""
    return SelectMultipleField(_l("Identity details the reporter must give (a formal report)"),
                               choices=options(IDENTITY_LABELS), validators=[Optional()])


class ChecklistForm(StaffForm):
    """The kajian awal checklist: syarat formal and syarat materiel, each met or not."""

    identity = BooleanField(choices.CHECKS["identity"])
    terlapor = BooleanField(choices.CHECKS["terlapor"])
    deadline = BooleanField(choices.CHECKS["deadline"])
    time_place = BooleanField(choices.CHECKS["time_place"])
    description = BooleanField(choices.CHECKS["description"])
    evidence = BooleanField(choices.CHECKS["evidence"])


class LegalCategoryForm(StaffForm):
    """The legal category staff give the report."""

    legal_category = RadioField(_l("Legal category"), choices=options(choices.LEGAL_CATEGORIES),
                                validators=[InputRequired(_l("Choose the legal category."))])


class ReviewForm(ChecklistForm):
    """The initial review in one form: the checklist, the legal category and the decision with what it needs."""

    legal_category = RadioField(_l("Legal category"), choices=options(choices.LEGAL_CATEGORIES), validate_choice=False)
    decision = RadioField(_l("Decision"), default="", validate_choice=False, choices=[
        SelectChoice("", _l("No decision yet: save the review")),
        SelectChoice("diregistrasi", _l("Register it")),
        SelectChoice("perlu_dilengkapi", _l("Ask the reporter to complete it")),
        SelectChoice("tidak_diregistrasi", _l("Do not register it"))])
    reason = RadioField(_l("Reason it is not registered"), choices=options(choices.NOT_REGISTERED_REASONS),
                        validate_choice=False)
    missing = missing_identity()
    public_note = note(_l("Note for the reporter (shown on the public status page)"))
    internal_note = note(_l("Internal note (staff only, never shown publicly)"))

    def validate_legal_category(self, field):
        if field.data and field.data not in choices.LEGAL_CATEGORIES:
            raise ValidationError(_l("Choose the legal category."))
        if self.decision.data == "diregistrasi" and not field.data:
            raise ValidationError(_l("Set the legal category before registering the report."))

    def validate_decision(self, field):
        if field.data not in ("", "diregistrasi", "perlu_dilengkapi", "tidak_diregistrasi"):
            raise ValidationError(_l("Choose from the list."))
        if field.data == "diregistrasi" and not all(self[name].data for name in choices.CHECKS):
            raise ValidationError(_l("Only a report that meets every formal and material requirement can be registered."))

    def validate_reason(self, field):
        if self.decision.data == "tidak_diregistrasi" and field.data not in choices.NOT_REGISTERED_REASONS:
            raise ValidationError(_l("Choose the reason it is not registered."))


class StatusForm(StaffForm):
    """A status change: what the reporter is told, and what stays inside the office."""

    public_note = note(_l("Note for the reporter (shown on the public status page)"))
    internal_note = note(_l("Internal note (staff only, never shown publicly)"))


class CompletionForm(StatusForm):
    """'Needs completion': the reporter must be told what is missing."""

    public_note = TextAreaField(_l("What is missing (shown to the reporter on the status page)"), validators=[
        DataRequired(_l("Say what the reporter must complete.")), at_most(TEXT["public_note"])])
    missing = missing_identity()


class NotRegisteredForm(StatusForm):
    """'Not registered', with its reason."""

    reason = RadioField(_l("Reason"), choices=options(choices.NOT_REGISTERED_REASONS),
                        validators=[InputRequired(_l("Choose the reason it is not registered."))])


class ForwardForm(StatusForm):
    """'Forwarded', to an agency."""

    agency = RadioField(_l("Forwarded to"), choices=options(choices.AGENCIES),
                        validators=[InputRequired(_l("Choose the agency it is forwarded to."))])
    agency_name = StringField(_l("Name of the other agency"), validators=[at_most(TEXT["agency_name"])])

    def validate_agency_name(self, field):
        if self.agency.data == "other" and not (field.data or "").strip():
            raise ValidationError(_l("Enter the name of the agency."))


class CloseForm(StatusForm):
    """'Closed', with its outcome."""

    outcome = RadioField(_l("Outcome"), choices=options(choices.OUTCOMES),
                         validators=[InputRequired(_l("Choose the outcome."))])


class TransferForm(StatusForm):
    """'Transferred' (dilimpahkan) to another office, with the reason; the offices are set per report."""

    office = RadioField(_l("Transferred to"), validators=[InputRequired(_l("Choose the office it is transferred to."))])
    transfer_reason = RadioField(_l("Why it is transferred"), choices=options(choices.TRANSFER_REASONS),
                                 validators=[InputRequired(_l("Choose why it is transferred."))])


STATUS_FORMS = {"perlu_dilengkapi": CompletionForm, "tidak_diregistrasi": NotRegisteredForm,
                "diteruskan": ForwardForm, "selesai": CloseForm, "dilimpahkan": TransferForm}


def status_form(status, formdata=None, report=None):
    """The form for a change of `report` to `status`; a transfer offers the other offices, the one competent
    for where the event happened chosen already."""
    form = STATUS_FORMS.get(status, StatusForm)(formdata=formdata)
    if status == "dilimpahkan" and report is not None:
        form.office.choices = receivers(report.office_code)
        if formdata is None:
            form.office.data = report.transfer_code
            form.transfer_reason.data = "wilayah" if report.transfer_code else None
    return form
