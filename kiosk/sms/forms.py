"""The staff's SMS form: a reply that fits one SMS."""
from wtforms import TextAreaField
from wtforms.validators import DataRequired, ValidationError

from kiosk.i18n import lazy_gettext as _l

from ..fields import Form
from . import words


def one_sms(form, field):
    """The text goes in one SMS."""
    length, limit = words.sms_length(field.data or "")
    if length > limit:
        raise ValidationError(_l("Fit it in one SMS: %(limit)d characters (this one has %(length)d).",
                                 limit=limit, length=length))


class ReplyForm(Form):
    """A short SMS to the reporter of an SMS tip."""

    text = TextAreaField(_l("SMS to the reporter"), validators=[DataRequired(_l("Write the SMS first.")), one_sms],
                         id="sms-text")  # the report page has another form with a `text`

