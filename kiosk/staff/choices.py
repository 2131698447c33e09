"""The back office's own lists: the roles of its accounts and the kinds of audit entries, each with its
label. The lists of the law (legal categories, the checklist, reasons, agencies, outcomes) are kiosk.choices'."""
from kiosk.i18n import lazy_gettext as _l

ROLES = {
    "petugas": _l("Staff (petugas)"),
    "admin": _l("Office admin"),
}

AUDIT_ACTIONS = {
    "login": _l("Signed in"),
    "login_failed": _l("Failed sign-in"),
    "login_locked": _l("Sign-in while locked"),
    "logout": _l("Signed out"),
    "view_report": _l("Viewed a report with personal data"),
    "download_evidence": _l("Downloaded evidence"),
    "download_original": _l("Downloaded evidence as it was sent, with location and camera data"),
    "preview_evidence": _l("Viewed a preview of evidence"),
    "status_change": _l("Changed a status"),
    "kajian": _l("Confirmed the initial-review checklist"),
    "legal_category": _l("Set the legal category"),
    "assisted_start": _l("Started an assisted report"),
    "export": _l("Exported reports"),
    "search_personal": _l("Searched by personal data"),
    "retention_erase": _l("Destroyed personal data at the end of its retention"),
    "pdp_search": _l("Looked for a reporter's data (UU PDP request)"),
    "pdp_export": _l("Gave a reporter a copy of their data"),
    "pdp_correct": _l("Corrected a reporter's data"),
    "account_add": _l("Added an account"),
    "account_disable": _l("Disabled an account"),
    "account_enable": _l("Enabled an account"),
    "account_reset": _l("Reset a password"),
    "keys_created": _l("Created the office's keys"),
    "login_totp": _l("Signed in with the second factor"),
    "password_change": _l("Changed their own password"),
    "totp_on": _l("Turned the second factor on"),
    "totp_off": _l("Turned the second factor off"),
    "totp_codes": _l("Made new recovery codes"),
    "totp_required": _l("Required the second factor for the office"),
    "totp_optional": _l("Stopped requiring the second factor"),
    "key_grant": _l("Granted the office key to an account"),
    "key_recover": _l("Used the recovery key"),
    "office_contact": _l("Changed the office's contact details"),
    "note_templates": _l("Changed the note templates"),
    "addition": _l("Added to a report (the reporter's completion, material brought in, physical evidence)"),
    "identity_completed": _l("Took the identity details a reporter completed into the report"),
    "evidence_damaged": _l("Found an evidence file damaged or lost"),
    "evidence_repaired": _l("Repaired an evidence file from a good copy"),
}
