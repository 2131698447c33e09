"""The hub's record of the requests it refused, against the office they claim to come from: the latest
reason (a wrong clock, a bad signature, a revoked office, a malformed request, rows it would not apply), so
that the provincial overview says why an office is not getting through the same night, not only after 36
hours of silence. One write per office and reason a minute at most: a flood of forged requests cannot turn
this into a flood of writes."""
import datetime as dt

from ..db import writing
from ..models import utcnow
from .models import HubOffice
from .signing import OFFICE_SHAPE

QUIET = dt.timedelta(minutes=1)
NOT_REFUSALS = ("enrol",)  # part of the protocol: the office enrols its key and asks again


def describe(error):
    """The stored form of a `Refused`: {"reason", ...}; a clock's error in whole minutes (+ ahead, - behind)."""
    reason = error.extra.get("reason", "rows")
    if reason == "clock":
        seconds = int(error.extra.get("skew", 0))
        return {"reason": "clock", "minutes": max(round(abs(seconds) / 60), 1) * (1 if seconds >= 0 else -1)}
    return {"reason": reason, "status": error.status, "message": error.message[:200]}


def record(code, error):
    """Note `error` (a Refused) against the registered office `code`, if there is one."""
    entry = describe(error)
    if error.extra.get("gap") or entry["reason"] in NOT_REFUSALS or not OFFICE_SHAPE.fullmatch(code or ""):
        return
    office = HubOffice.get_or_none(HubOffice.code == code)
    now = utcnow()
    if office is None or (office.refusal == entry and office.refused_at and now - office.refused_at < QUIET):
        return
    with writing():
        HubOffice.update(refused_at=now, refusal=entry).where(HubOffice.code == code).execute()
