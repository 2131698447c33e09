"""What the citizen's and the staff's forms share: the base form, choices from the fixed lists, the
length limit and the date field. CSRFProtect guards every post, so forms carry no token of their own
(templates add it with the `m.csrf()` macro)."""
from flask_wtf import FlaskForm
from wtforms import DateField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from kiosk.i18n import lazy_gettext as _l

from .validators import DATE_FORMATS, DATE_INVALID


class Form(FlaskForm):
    """A form of this site: its token is checked by CSRFProtect, not by the form."""

    class Meta:
        csrf = False


def options(mapping, blank=None):
    """WTForms choices from a {code: label} mapping, in its order, after an optional blank choice."""
    pairs = ([("", blank)] if blank else []) + list(mapping.items())
    return [SelectChoice(code, label) for code, label in pairs]


def at_most(limit):
    """A text of at most `limit` characters."""
    return Length(max=limit, message=_l("Use at most %(max)d characters.", max=limit))


def date_field(label, *validators):
    """A date typed in any of the accepted formats; optional unless `validators` say otherwise."""
    return DateField(label, format=DATE_FORMATS, invalid_value_message=DATE_INVALID,
                     validators=list(validators) or [Optional()])
