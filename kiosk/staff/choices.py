"""The fixed lists of the back office (docs/domain.md): roles, legal categories, the kajian awal
checklist, reasons, agencies, outcomes and the kinds of audit entries, each with its label."""
from kiosk.i18n import lazy_gettext as _l

ROLES = {
    "petugas": _l("Staff (petugas)"),
    "admin": _l("Office admin"),
}

# Set by staff during review (docs/domain.md); each points to where the case goes.
LEGAL_CATEGORIES = {
    "administratif": _l("Administrative violation (pelanggaran administratif)"),
    "kode_etik": _l("Code of ethics (kode etik), to DKPP"),
    "pidana": _l("Election crime (tindak pidana pemilu), to Sentra Gakkumdu"),
    "peraturan_lain": _l("Other laws and regulations (e.g. ASN neutrality), to BKN"),
}

LEGAL_CATEGORY_SHORT = {
    "administratif": _l("Administrative"),
    "kode_etik": _l("Code of ethics"),
    "pidana": _l("Election crime"),
    "peraturan_lain": _l("Other regulations"),
}

# The kajian awal: syarat formal, then syarat materiel (Perbawaslu 7/2022).
FORMAL_CHECKS = {
    "identity": _l("Reporter's identity is complete"),
    "terlapor": _l("Reported party is named"),
    "deadline": _l("Filed within the reporting deadline"),
}
MATERIEL_CHECKS = {
    "time_place": _l("Time and place of the event"),
    "description": _l("Description of the event"),
    "evidence": _l("Evidence (files, items or witnesses)"),
}
CHECKS = {**FORMAL_CHECKS, **MATERIEL_CHECKS}

NOT_REGISTERED_REASONS = {
    "formal": _l("Does not meet the formal requirements (syarat formal)"),
    "materiel": _l("Does not meet the material requirements (syarat materiel)"),
    "late": _l("Filed after the reporting deadline"),
    "not_violation": _l("Not an election violation (for example a process dispute, for SIPS)"),
    "duplicate": _l("Already reported and being handled"),
    "other": _l("Another reason (say which in the note)"),
}

AGENCIES = {
    "kpu": _l("KPU (General Elections Commission)"),
    "dkpp": _l("DKPP (Election Organisers' Ethics Council)"),
    "gakkumdu": _l("Sentra Gakkumdu (police and prosecutors)"),
    "bkn": _l("BKN (National Civil Service Agency)"),
    "other": _l("Another agency"),
}

OUTCOMES = {
    "violation": _l("Violation found: recommendation or decision issued"),
    "no_violation": _l("Not a violation"),
    "forwarded_done": _l("Handled by the agency it was forwarded to"),
    "informasi_awal": _l("Kept as initial information (informasi awal) for Bawaslu's own inquiry"),
    "withdrawn": _l("Withdrawn or stopped"),
}

AUDIT_ACTIONS = {
    "login": _l("Signed in"),
    "login_failed": _l("Failed sign-in"),
    "login_locked": _l("Sign-in while locked"),
    "logout": _l("Signed out"),
    "view_report": _l("Viewed a report with personal data"),
    "download_evidence": _l("Downloaded evidence"),
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
}
