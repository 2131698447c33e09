"""The fixed lists a report is described with and decided by (docs/domain.md): kinds, ways in, categories,
roles, statuses, and the review's legal categories, checklist, reasons, agencies and outcomes, each code with
its translated label."""
from kiosk.i18n import lazy_gettext as _l

KINDS = {
    "formal": _l("Formal report"),
    "tip": _l("Anonymous tip"),
}

CHANNELS = {
    "kiosk": _l("Office kiosk"),
    "web": _l("Phone or web"),
    "assisted": _l("Assisted by staff"),
    "sms": _l("SMS"),
}

# Plain-language categories for citizens; staff set the legal category during review.
CATEGORIES = {
    "politik_uang": _l("Money politics: money, goods or promises to buy votes"),
    "kampanye": _l("Campaigning outside the schedule or in a forbidden place (house of worship, school, government office)"),
    "netralitas": _l("A civil servant, TNI/Polri member or village head taking sides"),
    "penyelenggara": _l("An election organiser (KPU, PPK, PPS, KPPS, Panwaslu) acting unfairly"),
    "tps": _l("Cheating at a polling station (TPS) or in the count"),
    "intimidasi": _l("Intimidation or violence"),
    "apk": _l("Unlawful campaign materials (banners, posters, stickers)"),
    "hoaks": _l("Hoaxes, hate speech or SARA content"),
    "hak_pilih": _l("Voter list or right-to-vote problems"),
    "lainnya": _l("Something else"),
}

# Short labels for lists and receipts, where the full sentence is too long.
CATEGORY_SHORT = {
    "politik_uang": _l("Money politics"),
    "kampanye": _l("Campaign violation"),
    "netralitas": _l("Neutrality"),
    "penyelenggara": _l("Election organiser"),
    "tps": _l("Polling station or count"),
    "intimidasi": _l("Intimidation or violence"),
    "apk": _l("Campaign materials"),
    "hoaks": _l("Hoax, hate speech, SARA"),
    "hak_pilih": _l("Right to vote"),
    "lainnya": _l("Other"),
}

TERLAPOR_ROLES = {
    "calon": _l("Candidate"),
    "partai": _l("Political party"),
    "tim_kampanye": _l("Campaign team"),
    "asn": _l("Civil servant (ASN)"),
    "tni_polri": _l("TNI or Polri member"),
    "kepala_desa": _l("Village head or village official"),
    "penyelenggara": _l("Election organiser"),
    "lainnya": _l("Other or not known"),
}

REPORTER_TYPES = {
    "pemilih": _l("Indonesian citizen with the right to vote"),
    "peserta": _l("Election participant (party, candidate or their team)"),
    "pemantau": _l("Accredited election monitor"),
}

SEXES = {
    "L": _l("Male"),
    "P": _l("Female"),
}

STATUSES = {
    "diterima": _l("Received"),
    "kajian_awal": _l("Initial review"),
    "perlu_dilengkapi": _l("Needs completion"),
    "diregistrasi": _l("Registered"),
    "tidak_diregistrasi": _l("Not registered"),
    "diteruskan": _l("Forwarded"),
    "selesai": _l("Closed"),
    "dilimpahkan": _l("Transferred"),  # to the Bawaslu competent for it (kiosk.transfers)
}

# Why a report is transferred (dilimpahkan) to another office.
TRANSFER_REASONS = {
    "wilayah": _l("The event happened in the other office's regency or city"),
    "kewenangan": _l("The other office is competent for another reason"),
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


def label(mapping, code):
    """The label for `code` in `mapping`, or the code itself when it is unknown."""
    return mapping.get(code, code)
