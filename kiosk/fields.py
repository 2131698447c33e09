"""What the citizen's and the staff's forms share: the base form, choices from the fixed lists, the
length limit and the date field. CSRFProtect guards every post, so forms carry no token of their own
(templates add it with the `m.csrf()` macro)."""
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import DateField
from wtforms.fields.choices import SelectChoice
from wtforms.utils import unset_value
from wtforms.validators import Length, Optional

from kiosk.i18n import gettext
from kiosk.i18n import lazy_gettext as _l

from .validators import DateProblem, date_parts, parts_to_date


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


class DateBoxField(DateField):
    """A date typed as three boxes, day, month and year (GOV.UK's date input), in Indonesian order.
    Posted as `name-day`, `name-month`, `name-year`; a single `name` (an old draft, a link, ISO or
    d/m/Y) is read too. Kept in a draft as 'd/m/Y' exactly as typed, so a wrong box is shown again."""

    PARTS = ("day", "month", "year")
    widget = None  # rendered by the date_boxes macro in _macros.html

    def process(self, formdata, data=unset_value, extra_filters=None):
        """Join the three boxes into one value before the usual processing."""
        if formdata is not None and any(f"{self.name}-{part}" in formdata for part in self.PARTS):
            typed = [(formdata.get(f"{self.name}-{part}") or "").strip() for part in self.PARTS]
            formdata = MultiDict({self.name: "/".join(typed) if any(typed) else ""})
        self.bad_part = None
        super().process(formdata, data, extra_filters)

    def process_formdata(self, valuelist):
        """Parse strictly; a problem names the box it is in."""
        self.data = None
        if not valuelist or not valuelist[0]:
            return
        try:
            self.data = parts_to_date(*date_parts(valuelist[0]))
        except DateProblem as problem:
            self.bad_part = problem.part
            raise ValueError(gettext("“%(question)s”: %(problem)s", question=self.label.text, problem=problem.message)) from None

    def _value(self):
        """The value kept in a draft: d/m/Y as typed."""
        return self.raw_data[0] if self.raw_data else (self.data.strftime("%d/%m/%Y") if self.data else "")

    def boxes(self):
        """(part, text) for the three boxes: the date without leading zeros, or what was typed."""
        if self.data and not self.bad_part:
            values = (str(self.data.day), str(self.data.month), str(self.data.year))
        else:
            values = date_parts(self._value()) if self._value() else ("", "", "")
        return list(zip(self.PARTS, values))

    def part_in_error(self):
        """The box to mark and to jump to from the error summary."""
        return self.bad_part or ("day" if self.errors else None)


def date_field(label, *validators):
    """A date typed in three boxes; optional unless `validators` say otherwise."""
    return DateBoxField(label, validators=list(validators) or [Optional()])
