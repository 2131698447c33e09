"""Opening a report's sealed personal data for the signed-in account: with the office key its session
holds (at the hub, the hub's key). An account that does not hold it yet sees that the data is sealed, and
why; nothing else changes for it."""
from types import SimpleNamespace

from flask import g

from .. import completion, sealing, search
from ..models import Addition
from .access import is_hub


def private_key():
    """The office's (at the hub, the hub's) private key in this session, or None."""
    return g.staff_session.office_key if g.get("staff_session") else None


def searching_key():
    """The private key for a search of sealed fields, after indexing the reports taken since the last
    search (a few hundred at a time); None when this session holds no key. Only searches pay for it."""
    key = private_key()
    if key:
        search.index_pending(key, hub=is_hub())
    return key


def report_key(report):
    """The report's key, opened for this session; Unreadable when it cannot be."""
    return sealing.report_key(report, private_key(), hub=is_hub())


def opened(report, items=None):
    """Everything sealed in the report, opened with this session's key (sealing.open_report), or None when
    this session cannot open it. `items`: the report's evidence rows in order, when the caller has them."""
    try:
        return sealing.open_report(report, report_key(report), items, addition_key=addition_key)
    except sealing.Unreadable:
        return None


def key_or_none(report):
    """The report's key, opened for this session, or None when it cannot be."""
    try:
        return report_key(report)
    except sealing.Unreadable:
        return None


def person_of(report):
    """The report's sealed fields opened (a namespace), or None when this session cannot open them."""
    try:
        return sealing.open_fields(report_key(report), report.personal, sealing.REPORT_FIELDS)
    except sealing.Unreadable:
        return None


def file_of(report, item):
    """The name, SHA-256 and key of one evidence row of `report`; None when this session cannot open it."""
    try:
        key = report_key(report) if item.addition_id is None else addition_key(item.addition)
        return sealing.open_fields(key, item.personal, sealing.EVIDENCE_FIELDS)
    except sealing.Unreadable:
        return None


def addition_key(addition):
    """An addition's own key, opened for this session; Unreadable when it cannot be."""
    return completion.addition_key(addition, private_key(), hub=is_hub())


def additions(report):
    """The report's additions, oldest first, each opened (`values`: its text and identity fields; None
    when this session cannot open it)."""
    shown = []
    for addition in report.additions.order_by(Addition.at):
        try:
            values = sealing.open_fields(addition_key(addition), addition.personal, completion.FIELDS)
        except sealing.Unreadable:
            values = None
        shown.append(SimpleNamespace(row=addition, values=values))
    return shown
