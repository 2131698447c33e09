"""The audit log's model: who did what, when, in an office. Staff write it (kiosk.staff.audit) and so do the
operator's jobs (retention, the evidence check, the sync), which is why it lives outside the staff package:
those jobs must not import the staff blueprint. Not replicated; never holds a citizen's NIK, phone or address."""
import peewee as pw

from .db import BaseModel
from .models import JSONText, utcnow

AUDIT_TEXT = 200  # characters of any one audit field
AUDIT_DETAIL = 20  # details of one entry


class AuditLog(BaseModel):
    """Who did what, when, in an office: sign-ins, personal-data views, status changes, exports and
    account changes. `target` is a receipt number, a username or a date range, never personal data."""

    at = pw.DateTimeField(default=utcnow, index=True)
    actor = pw.CharField(default="")
    office_code = pw.CharField(index=True)
    action = pw.CharField(index=True)
    target = pw.CharField(default="")
    detail = JSONText(default=dict)

    @classmethod
    def record(cls, office_code, actor, action, target="", **detail):
        """Write one entry; call inside a write transaction or on its own (it commits itself). Every field
        is bounded (AUDIT_TEXT characters each, AUDIT_DETAIL keys), whatever a caller passes."""
        detail = {str(key)[:AUDIT_TEXT]: value if isinstance(value, (bool, int, float)) or value is None
                  else str(value)[:AUDIT_TEXT] for key, value in list(detail.items())[:AUDIT_DETAIL]}
        return cls.create(office_code=str(office_code)[:AUDIT_TEXT], actor=str(actor)[:AUDIT_TEXT],
                          action=str(action)[:AUDIT_TEXT], target=str(target)[:AUDIT_TEXT], detail=detail)
