"""The CSV export: UTF-8 with a BOM so that Excel reads it right, every cell safe against formula
injection, and the reporter's personal data only in an admin's export."""
import csv
import functools
import io
import re

import peewee as pw
from flask_babel import format_datetime

from kiosk.i18n import lazy_gettext as _l

from .. import choices, inputs, regions
from ..models import Evidence, Witness

BOM = "\ufeff"
# A spreadsheet runs a cell starting with these as a formula (=HYPERLINK(...), +cmd|...); a leading
# apostrophe makes it text (OWASP, "CSV injection"). A spreadsheet that splits a cell again on the other
# separator (a comma CSV opened as semicolon-separated, or text pasted into columns) starts new cells
# after each of them: those are defused too.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
SEPARATORS = {"comma": ",", "semicolon": ";"}
AFTER_SEPARATOR = re.compile(r"([,;])(\s*)(?=[=+\-@\t\r\n])")


def safe(value):
    """The cell's text without direction controls or zero-width characters, with a quote in front when a
    spreadsheet would read it (or a cell split from it at either separator) as a formula."""
    text = inputs.neutral("" if value is None else str(value))
    text = AFTER_SEPARATOR.sub(r"\1\2'", text)
    return "'" + text if text.lstrip(" ").startswith(FORMULA_STARTS) else text


def _iso(day):
    return day.isoformat() if day else ""


def _yes(flag):
    return str(_l("Yes")) if flag else str(_l("No"))


REPORT_COLUMNS = [
    (_l("Receipt number"), lambda r, n: r.receipt_no),
    (_l("Received"), lambda r, n: format_datetime(r.submitted_at, "yyyy-MM-dd HH:mm")),
    (_l("Type"), lambda r, n: choices.label(choices.KINDS, r.kind)),
    (_l("Way in"), lambda r, n: choices.label(choices.CHANNELS, r.channel)),
    (_l("Category"), lambda r, n: choices.label(choices.CATEGORY_SHORT, r.category)),
    (_l("Legal category"), lambda r, n: choices.LEGAL_CATEGORY_SHORT.get(r.legal_category, "")),
    (_l("Status"), lambda r, n: choices.label(choices.STATUSES, r.status)),
    (_l("Registration number"), lambda r, n: r.registration_no or ""),
    (_l("Initial review due"), lambda r, n: _iso(r.kajian_awal_due)),
    (_l("Past the reporting deadline"), lambda r, n: _yes(r.late)),
    (_l("Date of the event"), lambda r, n: _iso(r.occurred_on)),
    (_l("Date found out"), lambda r, n: _iso(r.learned_on)),
    (_l("Regency or city"), lambda r, n: regions.name(r.regency_code)),
    (_l("District (kecamatan)"), lambda r, n: regions.name(r.district_code)),
    (_l("Village (desa/kelurahan)"), lambda r, n: regions.name(r.village_code)),
    (_l("Exact place"), lambda r, n: r.place_detail),
    (_l("What happened"), lambda r, n: r.description),
    (_l("Reported party"), lambda r, n: r.terlapor_name),
    (_l("Role of the reported party"), lambda r, n: choices.TERLAPOR_ROLES.get(r.terlapor_role, "")),
    (_l("Forwarded to"), lambda r, n: choices.AGENCIES.get(r.forwarded_to, "")),
    (_l("Outcome"), lambda r, n: choices.OUTCOMES.get(r.outcome, "")),
    (_l("Evidence files"), lambda r, n: n["evidence"].get(r.id, 0)),
    (_l("Witnesses"), lambda r, n: n["witnesses"].get(r.id, 0)),
]
# On the hub, where the rows come from every office: first, whose report it is.
OFFICE_COLUMNS = [
    (_l("Office code"), lambda r, n: r.office_code),
    (_l("Office"), lambda r, n: regions.office_name(r.office_code)),
]
# Personal data: only in an office admin's export, opened with the admin's office key (`n["person"]`).
SEALED = str(_l("(sealed)"))


def _person(name):
    """A sealed field of the row's reporter, or '(sealed)' when this session cannot open it."""
    return lambda r, n: getattr(n["person"](r), name) if n["person"](r) else SEALED


PERSONAL_COLUMNS = [
    (_l("Reporter's name"), _person("reporter_name")),
    (_l("NIK"), _person("reporter_nik")),
    (_l("Place of birth"), _person("reporter_birth_place")),
    (_l("Date of birth"), _person("reporter_birth_date")),
    (_l("Sex"), lambda r, n: choices.SEXES.get(_person("reporter_sex")(r, n), SEALED)),
    (_l("Occupation"), _person("reporter_occupation")),
    (_l("Nationality"), _person("reporter_nationality")),
    (_l("Address"), _person("reporter_address")),
    (_l("Phone number"), _person("reporter_phone")),
    (_l("Email"), _person("reporter_email")),
    (_l("Address of the reported party"), _person("terlapor_address")),
    (_l("Phone of the reported party"), _person("terlapor_phone")),
]


def _counts(model, reports):
    """{report id: rows of `model`} for the reports."""
    ids = [r.id for r in reports]
    if not ids:
        return {}
    query = (model.select(model.report, pw.fn.COUNT(model.id).alias("n")).where(model.report.in_(ids))
             .group_by(model.report))
    return {row.report_id: row.n for row in query}


def build(reports, personal=None, separator=",", office=False):
    """The CSV text (with its BOM) of `reports`; the personal-data columns when `personal` (a function
    opening a report's sealed fields, or None for this export), the office's code and name first when
    `office` (the hub's export of several offices)."""
    reports = list(reports)
    columns = (OFFICE_COLUMNS if office else []) + REPORT_COLUMNS + (PERSONAL_COLUMNS if personal else [])
    counted = {"evidence": _counts(Evidence, reports), "witnesses": _counts(Witness, reports),
               "person": functools.lru_cache(maxsize=1)(personal) if personal else None}
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator, lineterminator="\r\n", quoting=csv.QUOTE_ALL)  # every field quoted
    writer.writerow([safe(title) for title, _ in columns])
    for report in reports:
        writer.writerow([safe(value(report, counted)) for _, value in columns])
    return BOM + out.getvalue()
