"""The completion form on the status page: the reporter's answer to what staff asked, and the identity
fields staff marked missing, checked as the filing form checks them (its own fields, reused)."""
from wtforms import HiddenField, TextAreaField
from wtforms.validators import Optional

from kiosk.i18n import lazy_gettext as _l

from ..fields import Form, at_most
from ..lapor.forms import ReporterForm
from ..limits import TEXT


class AnswerForm(Form):
    """What the reporter adds: an answer, and files (handled apart)."""

    kode = HiddenField()
    text = TextAreaField(_l("Your answer to what staff asked"),
                         validators=[Optional(), at_most(TEXT["addition_text"])])


def answer_form(missing, formdata=None):
    """The form for a report whose staff marked `missing` identity fields (filing's own fields and rules)."""
    fields = {name: getattr(ReporterForm, name) for name in missing}
    return type("CompletionAnswerForm", (AnswerForm,), fields)(formdata=formdata)
