"""The CSV export: UTF-8 with a BOM so that Excel reads it right, every cell safe against formula
injection, the reporter's personal data only in an admin's export, streamed as it is read."""
import collections
import csv
import datetime as dt
import functools
import io
import itertools
import operator
import re

import peewee as pw
from flask_babel import get_timezone

from kiosk.i18n import lazy_gettext as _l

from .. import choices, inputs, regions
from ..models import Evidence, Report, Witness

BOM = "\ufeff"
# A spreadsheet runs a cell starting with these as a formula (=HYPERLINK(...), +cmd|...); a leading
# apostrophe makes it text (OWASP, "CSV injection"). A spreadsheet that splits a cell again on the other
# separator (a comma CSV opened as semicolon-separated, or text pasted into columns) starts new cells
# after each of them: those are defused too.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
SEPARATORS = {"comma": ",", "semicolon": ";"}
CHUNK = 500  # reports read, counted and written at a time
AFTER_SEPARATOR = re.compile(r"([,;])(\s*)(?=[=+\-@\t\r\n])")


def safe(value):
    """The cell's text without direction controls or zero-width characters, with a quote in front when a
    spreadsheet would read it (or a cell split from it at either separator) as a formula."""
    text = "" if value is None else str(value)
    if not text.isascii():  # every invisible character is outside ASCII: most cells skip the search
        text = inputs.neutral(text)
    if "," in text or ";" in text:
        text = AFTER_SEPARATOR.sub(r"\1\2'", text)
    return "'" + text if text.lstrip(" ").startswith(FORMULA_STARTS) else text


def _iso(day):
    return day.isoformat() if day else ""


def _yes(flag):
    return str(_l("Yes")) if flag else str(_l("No"))


def _when(r, n):
    """The time received, as babel's 'yyyy-MM-dd HH:mm' in the user's zone writes it, at a fraction of its cost."""
    return r.submitted_at.replace(tzinfo=dt.timezone.utc).astimezone(n["zone"]).strftime("%Y-%m-%d %H:%M")


# (title, the cell of a report, the column the cell depends on alone, whose cells are then made once per value)
REPORT_COLUMNS = [
    (_l("Receipt number"), lambda r, n: r.receipt_no, None),
    (_l("Received"), _when, None),
    (_l("Type"), lambda r, n: choices.label(choices.KINDS, r.kind), "kind"),
    (_l("Way in"), lambda r, n: choices.label(choices.CHANNELS, r.channel), "channel"),
    (_l("Category"), lambda r, n: choices.label(choices.CATEGORY_SHORT, r.category), "category"),
    (_l("Legal category"), lambda r, n: choices.LEGAL_CATEGORY_SHORT.get(r.legal_category, ""), "legal_category"),
    (_l("Status"), lambda r, n: choices.label(choices.STATUSES, r.status), "status"),
    (_l("Registration number"), lambda r, n: r.registration_no or "", None),
    (_l("Initial review due"), lambda r, n: _iso(r.kajian_awal_due), "kajian_awal_due"),
    (_l("Past the reporting deadline"), lambda r, n: _yes(r.late), "late"),
    (_l("Date of the event"), lambda r, n: _iso(r.occurred_on), "occurred_on"),
    (_l("Date found out"), lambda r, n: _iso(r.learned_on), "learned_on"),
    (_l("Regency or city"), lambda r, n: regions.name(r.regency_code), "regency_code"),
    (_l("District (kecamatan)"), lambda r, n: regions.name(r.district_code), "district_code"),
    (_l("Village (desa/kelurahan)"), lambda r, n: regions.name(r.village_code), "village_code"),
    (_l("Exact place"), lambda r, n: r.place_detail, None),
    (_l("What happened"), lambda r, n: r.description, None),
    (_l("Reported party"), lambda r, n: r.terlapor_name, None),
    (_l("Role of the reported party"), lambda r, n: choices.TERLAPOR_ROLES.get(r.terlapor_role, ""), "terlapor_role"),
    (_l("Forwarded to"), lambda r, n: choices.AGENCIES.get(r.forwarded_to, ""), "forwarded_to"),
    (_l("Outcome"), lambda r, n: choices.OUTCOMES.get(r.outcome, ""), "outcome"),
    (_l("Evidence files"), lambda r, n: n["evidence"].get(r.id, 0), None),
    (_l("Witnesses"), lambda r, n: n["witnesses"].get(r.id, 0), None),
]
# On the hub, where the rows come from every office: first, whose report it is.
OFFICE_COLUMNS = [
    (_l("Office code"), lambda r, n: r.office_code, "office_code"),
    (_l("Office"), lambda r, n: regions.office_name(r.office_code), "office_code"),
]
# Personal data: only in an office admin's export, opened with the admin's office key (`n["person"]`).
SEALED = str(_l("(sealed)"))


def _person(name):
    """A sealed field of the row's reporter, or '(sealed)' when this session cannot open it."""
    return lambda r, n: getattr(n["person"](r), name) if n["person"](r) else SEALED


PERSONAL_COLUMNS = [
    (_l("Reporter's name"), _person("reporter_name"), None),
    (_l("NIK"), _person("reporter_nik"), None),
    (_l("Place of birth"), _person("reporter_birth_place"), None),
    (_l("Date of birth"), _person("reporter_birth_date"), None),
    (_l("Sex"), lambda r, n: choices.SEXES.get(_person("reporter_sex")(r, n), SEALED), None),
    (_l("Occupation"), _person("reporter_occupation"), None),
    (_l("Nationality"), _person("reporter_nationality"), None),
    (_l("Address"), _person("reporter_address"), None),
    (_l("Phone number"), _person("reporter_phone"), None),
    (_l("Email"), _person("reporter_email"), None),
    (_l("Address of the reported party"), _person("terlapor_address"), None),
    (_l("Phone of the reported party"), _person("terlapor_phone"), None),
]


def _counts(model, reports, chunk):
    """{report id: rows of `model`} for the reports of `chunk` (and any others of the query `reports` received
    in the same span: the chunk is a run of them in the order received)."""
    span = reports.select(Report.id).order_by().where(Report.submitted_at.between(chunk[0].submitted_at,
                                                                                   chunk[-1].submitted_at))
    query = (model.select(model.report, pw.fn.COUNT(model.id)).where(model.report.in_(span))
             .group_by(model.report).tuples())
    return dict(query)


def needed(personal=False):
    """The report columns the CSV reads (the sealed ones only for `personal`): a narrow row is a cheap one."""
    names = {"id", "office_code", "receipt_no", "submitted_at", "registration_no", "place_detail", "description",
             "terlapor_name"} | {key for _title, _cell, key in REPORT_COLUMNS if key}
    if personal:
        names |= {"personal", "key_office", "key_hub"}
    return [field for field in Report._meta.sorted_fields if field.name in names]


def _records(query):
    """The rows of `query` as named tuples, read one at a time; a text column as stored, any other column's
    stored value converted once per distinct value (dates and codes repeat; peewee converts every cell)."""
    fields = query._returning
    record = collections.namedtuple("Record", [field.name for field in fields])
    converters = [None if type(field) in (pw.CharField, pw.TextField) else _once(field.python_value)
                  for field in fields]
    for raw in query.model._meta.database.execute(query):
        yield record._make([value if convert is None else convert(value) for convert, value in zip(converters, raw)])


def _once(convert, most=10_000):
    """`convert` remembering up to `most` values (a column of unique values, as ids, just converts)."""
    made = {}

    def converted(value):
        if value in made:
            return made[value]
        result = convert(value)
        if len(made) < most:
            made[value] = result
        return result
    return converted


def _chunks(rows, size):
    rows = iter(rows)
    while chunk := list(itertools.islice(rows, size)):
        yield chunk


def stream(reports, personal=None, separator=",", office=False):
    """The CSV (with its BOM) of the query `reports` a piece at a time: the heading, then CHUNK reports a piece,
    read as they are written (constant memory, whatever the range). The personal-data columns when `personal`
    (a function opening a report's sealed fields, or None for this export), the office's code and name first
    when `office` (the hub's export of several offices). Call within the request (stream_with_context)."""
    columns = (OFFICE_COLUMNS if office else []) + REPORT_COLUMNS + (PERSONAL_COLUMNS if personal else [])
    counted = {"zone": get_timezone(), "person": functools.lru_cache(maxsize=1)(personal) if personal else None}
    makers = [_maker(cell, key, counted) for _title, cell, key in columns]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator, lineterminator="\r\n", quoting=csv.QUOTE_ALL)  # every field quoted
    writer.writerow([safe(title) for title, _cell, _key in columns])
    yield BOM + _taken(out)
    for chunk in _chunks(_records(reports.select(*needed(bool(personal)))), CHUNK):
        counted.update(evidence=_counts(Evidence, reports, chunk), witnesses=_counts(Witness, reports, chunk))
        writer.writerows([[make(report) for make in makers] for report in chunk])
        yield _taken(out)


def _maker(cell, key, counted):
    """A function making a column's defused cell of a report; a coded column's made once per value."""
    if key is None:
        return lambda report: safe(cell(report, counted))
    memo, value_of = {}, operator.attrgetter(key)

    def coded(report):
        value = value_of(report)
        made = memo.get(value)
        if made is None:
            made = memo[value] = safe(cell(report, counted))
        return made
    return coded


def _taken(out):
    """What `out` holds, emptied."""
    text = out.getvalue()
    out.seek(0)
    out.truncate()
    return text
