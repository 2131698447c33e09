"""The answers of a draft as readable rows, grouped by step, for 'check your answers'."""
from flask_babel import format_date

from kiosk.i18n import lazy_gettext as _l

from .. import regions
from .steps import TITLES, sequence


def _shown(field):
    """A field's answer as a person reads it."""
    data = field.data
    if field.type == "RadioField":
        return next((str(choice.label) for choice in field.iter_choices() if choice.selected), "")
    if field.type == "SelectField":
        return regions.name(data) if data else ""
    if field.type == "DateBoxField":
        return format_date(data, "long") if data else (field.raw_data or [""])[0]
    if field.type == "BooleanField":
        return str(_l("Yes")) if data else str(_l("No"))
    return (data or "").strip() if isinstance(data, str) else ""


def _witness_rows(data):
    witnesses = data.get("witnesses", [])
    if not witnesses:
        return [(_l("Witnesses"), str(_l("None")))]
    return [(_l("Witness %(number)d", number=i + 1), ", ".join(v for v in (w["name"], w.get("address"), w.get("phone"))
                                                                 if v)) for i, w in enumerate(witnesses)]


def _evidence_rows(data, form):
    files = data.get("evidence", [])
    rows = [(_l("Files"), "; ".join(item["filename"] for item in files) if files else str(_l("None")))]
    physical = (form.physical_desc.data or "").strip() if form.physical.data else ""
    rows.append((_l("Physical evidence to hand in"), physical or str(_l("None"))))
    return rows


def sections(data, forms):
    """[(step, title, [(label, answer)])] for every step the reporter went through."""
    result = []
    for step in sequence(data):
        if step == "saksi":
            rows = _witness_rows(data)
        elif step == "bukti":
            rows = _evidence_rows(data, forms["bukti"])
        elif step in forms:
            rows = [(field.label.text, _shown(field)) for field in forms[step]]
        else:
            continue
        result.append((step, TITLES[step], rows))
    return result

