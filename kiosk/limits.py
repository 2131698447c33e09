"""How long each text may be: one table for the citizen's forms, the staff's forms and the hub's checks of
the rows offices send (kiosk.sync.checks). A field's value is never stored longer than this, except in a
draft, which keeps what was typed up to twice the limit so that the person sees the error and loses
nothing (kiosk.lapor.drafts); anything longer is cut there, before it is stored. A field not in the table
(a code from a fixed list, a date as typed, a tick box) may be at most CODE characters."""

NAME = 200
ADDRESS = 500
PHONE = 40
EMAIL = 200
SHORT = 100
NOTE = 2000
USERNAME = 50
CODE = 40

TEXT = {
    # the event
    "place_detail": ADDRESS,
    "description": 5000,
    # the reported party
    "terlapor_name": NAME,
    "terlapor_address": ADDRESS,
    "terlapor_phone": PHONE,
    # the reporter, or a tip's contact
    "reporter_name": NAME,
    "reporter_nik": 16,
    "reporter_birth_place": SHORT,
    "reporter_occupation": SHORT,
    "reporter_nationality": SHORT,
    "reporter_address": ADDRESS,
    "reporter_phone": PHONE,
    "reporter_email": EMAIL,
    # witnesses
    "witness_name": NAME,
    "witness_address": ADDRESS,
    "witness_phone": PHONE,
    # evidence
    "physical_desc": 1000,
    "physical_evidence": 1000,
    "filename": 120,
    # staff
    "public_note": NOTE,
    "internal_note": NOTE,
    "agency_name": NAME,
    "username": USERNAME,
    # what a reporter (or staff) adds to a report after filing (kiosk.completion)
    "addition_text": 5000,
    # the office's contact details (kiosk.office)
    "office_address": ADDRESS,
    "office_phone": PHONE,
    "office_email": EMAIL,
    "office_hours": NAME,
    "evidence_desk": ADDRESS,
}


def of(name):
    """The most characters the field `name` may have."""
    return TEXT.get(name, CODE)


def as_kept(name, value):
    """`value` (text) as a draft may keep it: at most twice the field's limit."""
    return value[:2 * of(name)] if isinstance(value, str) else value
