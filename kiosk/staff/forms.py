"""The back office's forms (the base form, choices, limits and dates are kiosk.fields')."""
from wtforms import (
    BooleanField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    Email,
    Regexp,
    ValidationError,
)

from kiosk.i18n import lazy_gettext as _l

from .. import choices, regions
from ..fields import Form, at_most, date_field, options
from ..lapor.forms import ReporterForm
from ..office import CONTACT_FIELDS
from ..validators import mobile_number, valid_nik, valid_phone
from ..limits import TEXT
from . import choices as staff_choices
from . import passwords

MIN_PASSWORD = passwords.MIN_LENGTH


class StaffForm(Form):
    """A back-office form."""


class LoginForm(StaffForm):
    """Sign in to an office's workspace."""

    office = SelectField(_l("Office"), validate_choice=False)
    username = StringField(_l("Username"), validators=[DataRequired(_l("Enter your username.")), Length(max=TEXT["username"])])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password.")), Length(max=200)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.office.choices = [SelectChoice(code, regions.office_name(code)) for code in regions.office_codes()]

    def validate_office(self, field):
        if field.data not in regions.office_codes():  # refused before anything is written or looked up
            raise ValidationError(_l("Choose your office from the list."))


class SubjectForm(StaffForm):
    """A data-subject request: the reporter's NIK."""

    nik = StringField(_l("The reporter's NIK"), validators=[DataRequired(_l("Enter the reporter's NIK.")),
                                                             Length(max=40), valid_nik])


class CorrectionForm(ReporterForm):
    """The reporter's own data, corrected at their request (their type and NIK are not changed here)."""

    reporter_type = None
    reporter_nik = None


class SecondFactorForm(StaffForm):
    """The second step of signing in."""

    code = StringField(_l("Code"), validators=[DataRequired(_l("Enter the code.")), Length(max=20)])


class FilterForm(StaffForm):
    """The list's filters: a plain GET form, so that a filtered list has its own address."""

    start = date_field(_l("From"))
    end = date_field(_l("To"))
    status = SelectField(_l("Status"), choices=options(choices.STATUSES, _l("Any status")), validators=[Optional()])
    category = SelectField(_l("Category"), choices=options(choices.CATEGORY_SHORT, _l("Any category")),
                           validators=[Optional()])
    channel = SelectField(_l("Way in"), choices=options(choices.CHANNELS, _l("Any way in")), validators=[Optional()])
    kind = SelectField(_l("Formal or tip"), choices=options(choices.KINDS, _l("Both")), validators=[Optional()])
    q = StringField(_l("Receipt, registration or tracking number, NIK, phone or name"),
                    validators=[Optional(), Length(max=100)])

    def validate_end(self, field):
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError(_l("The end date cannot be before the start date."))


class QueueForm(StaffForm):
    """The work's filters: which deadlines, and only the reports assigned to oneself."""

    due = SelectField(_l("Deadline"), validators=[Optional()], choices=[
        SelectChoice("", _l("Any deadline")), SelectChoice("overdue", _l("Overdue")),
        SelectChoice("today", _l("Due today")), SelectChoice("week", _l("Due within 7 days"))])
    mine = BooleanField(_l("Only my reports"))
    sort = SelectField(_l("Order"), validators=[Optional()], choices=[
        SelectChoice("", _l("Next deadline first")), SelectChoice("received", _l("Newest first"))])


class DateRangeForm(StaffForm):
    """A range of dates, both required (the export)."""

    start = date_field(_l("From"), InputRequired(_l("Enter the first date.")))
    end = date_field(_l("To"), InputRequired(_l("Enter the last date.")))

    def validate_end(self, field):
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError(_l("The end date cannot be before the start date."))
        if field.data and self.start.data and (field.data - self.start.data).days > 366:
            raise ValidationError(_l("Export at most one year at a time."))


class ExportForm(DateRangeForm):
    """The export's dates and the separator the office's spreadsheet expects; an admin may include the
    reporters' personal data, confirming with their own password."""

    personal = BooleanField(_l("Include the reporters' personal data"))
    your_password = PasswordField(_l("Your own password (needed to include personal data)"),
                                  validators=[Optional(), Length(max=200)])

    separator = RadioField(_l("Separator"), default="comma", choices=[
        SelectChoice("comma", _l("Comma (Excel in English, LibreOffice)")),
        SelectChoice("semicolon", _l("Semicolon (Excel set to Indonesian)"))],
        validators=[InputRequired(_l("Choose a separator."))])


class RecapForm(StaffForm):
    """The day of the recap."""

    date = date_field(_l("Date"))


class AuditFilterForm(StaffForm):
    """The audit log's filters."""

    start = date_field(_l("From"))
    end = date_field(_l("To"))
    action = SelectField(_l("Action"), choices=options(staff_choices.AUDIT_ACTIONS, _l("Any action")),
                         validators=[Optional()])
    actor = StringField(_l("Username"), validators=[Optional(), Length(max=50)])


USERNAME = Regexp(r"^[a-z0-9._-]{3,30}$", message=_l(
    "Use 3 to 30 lowercase letters, digits, dots, dashes or underscores."))


def hard_to_guess(form, field):
    """A new password must pass kiosk.staff.passwords (long enough, not common or close to it)."""
    why = passwords.problem(field.data or "", getattr(form, "for_username", ""))
    if why:
        raise ValidationError(why)


def password_rules():
    """A new password: at least MIN_PASSWORD characters, hard to guess."""
    return [DataRequired(_l("Enter a password.")), Length(max=200), hard_to_guess]


class AccountForm(StaffForm):
    """A new account of the office."""

    username = StringField(_l("Username"), validators=[DataRequired(_l("Enter a username.")), USERNAME])
    role = RadioField(_l("Role"), choices=options(staff_choices.ROLES), default="petugas",
                      validators=[InputRequired(_l("Choose a role."))])
    password = PasswordField(_l("Password"), validators=password_rules())


def your_password():
    """The signed-in account's own password, typed again before a key operation or a personal-data export."""
    return PasswordField(_l("Your own password"), validators=[DataRequired(_l("Enter your own password.")),
                                                              Length(max=200)])


class ResetForm(StaffForm):
    """A new password for an account, set by an admin (who confirms with their own)."""

    password = PasswordField(_l("New password"), validators=password_rules())
    your_password = your_password()


class PasswordChangeForm(StaffForm):
    """A staff member changing their own password."""

    current = PasswordField(_l("Current password"), validators=[DataRequired(_l("Enter your current password.")),
                                                                Length(max=200)])
    password = PasswordField(_l("New password"), validators=password_rules())


class ConfirmForm(StaffForm):
    """A key operation on one's own account, confirmed with the password."""

    your_password = your_password()


class TotpForm(StaffForm):
    """The first code of a newly set-up authenticator app."""

    code = StringField(_l("The 6-digit code the app shows"), validators=[
        DataRequired(_l("Enter the code the app shows.")), Length(max=10)])


class OfficeChoice:
    """The hub's filters add an office: blank is every office of the province (mixed into a form)."""

    office = SelectField(_l("Office"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.office.choices = options({code: regions.office_name(code) for code in regions.office_codes()},
                                      _l("Every office"))


class HubFilterForm(OfficeChoice, FilterForm):
    """The list's filters on the hub."""


class HubRecapForm(OfficeChoice, RecapForm):
    """The recap's day and office on the hub."""


class HubExportForm(OfficeChoice, ExportForm):
    """The export's dates, separator and office on the hub."""


class OfficeForm(StaffForm):
    """How reporters reach the office (kiosk.office): checked the same way on the admin page and by
    `kiosk office-profile`."""

    address = TextAreaField(_l("Address"), validators=[Optional(), at_most(TEXT["office_address"])])
    phone = StringField(_l("Phone"), validators=[Optional(), at_most(TEXT["office_phone"]), valid_phone])
    whatsapp = StringField(_l("WhatsApp number"), validators=[
        Optional(), at_most(TEXT["office_phone"]), valid_phone, mobile_number])
    email = StringField(_l("Email"), validators=[
        Optional(), at_most(TEXT["office_email"]),
        Email(message=_l("Enter an email address like name@example.com."), check_deliverability=False)])
    hours = StringField(_l("Opening hours"), validators=[Optional(), at_most(TEXT["office_hours"])])
    all_day_from = date_field(_l("Open 24 hours from"))
    all_day_to = date_field(_l("Open 24 hours until"))
    evidence_desk = TextAreaField(_l("Where physical evidence is handed in"),
                                  validators=[Optional(), at_most(TEXT["evidence_desk"])])

    def validate_all_day_to(self, field):
        if bool(field.data) != bool(self.all_day_from.data):
            raise ValidationError(_l("Give both days, or neither."))
        if field.data and field.data < self.all_day_from.data:
            raise ValidationError(_l("The end date cannot be before the start date."))
        if field.data and (field.data - self.all_day_from.data).days > 31:
            raise ValidationError(_l("Open around the clock for at most 31 days."))

    def values(self):
        """The checked values, trimmed, as kiosk.office.set_contact takes them."""
        return {name: self[name].data or None if name.startswith("all_day") else (self[name].data or "").strip()
                for name in CONTACT_FIELDS}


class BroughtInForm(StaffForm):
    """Material the reporter brought to the office: a note of it, and files (handled apart)."""

    text = TextAreaField(_l("What the reporter brought or said"), validators=[Optional(), at_most(TEXT["addition_text"])])


class PhysicalReceivedForm(StaffForm):
    """Physical evidence handed in at the office: what it is (the time and the account are recorded)."""

    what = TextAreaField(_l("What was handed in"), validators=[
        DataRequired(_l("Say what was handed in, for example: 2 envelopes of money, 1 T-shirt.")),
        at_most(TEXT["physical_evidence"])])
