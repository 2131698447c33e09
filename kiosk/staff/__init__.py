"""The staff workspace at `/staff/`: the day's reports, their review against the law, status changes,
the daily recap and export, accounts and the audit log. Every route needs a signed-in account of the
office whose report it touches; accounts and the audit log need an office admin. On the hub it is the
provincial workspace: every office's reports, read-only, for the province's own accounts (`province`)."""
from .blueprint import bp  # noqa: F401
from . import (  # noqa: F401
    accounts,
    additions,
    assign,
    assisted,
    audit,
    auth,
    commands,
    context,
    elections,
    exports,
    listing,
    myaccount,
    notes,
    office_details,
    papers,
    report,
    rights,
    transitions,
    transferred,  # after access's guards (imported by the modules above): it runs after them
)
