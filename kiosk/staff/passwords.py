"""What a new password must be: long enough, and not a common password or close to one. The common ones
are zxcvbn's list of 30,000 (shipped with the zxcvbn package) and, for an Indonesian office, the words its
staff would try first: the office, the region, the election, the everyday favourites."""
from kiosk.i18n import lazy_gettext as _l

from .. import regions

MIN_LENGTH = 10
MIN_SCORE = 3  # zxcvbn's 0-4: 3 is 'safely unguessable' against an online attack, well beyond a throttled one
LOCAL_WORDS = (
    "bawaslu", "pemilu", "pilkada", "pojok", "laporan", "lapor", "pengawas", "pengawasan", "petugas", "admin",
    "kpu", "panwaslu", "gakkumdu", "dkpp", "banten", "indonesia", "merdeka", "garuda", "pancasila", "nkri",
    "rahasia", "katasandi", "sandi", "sayang", "sayangku", "cinta", "cintaku", "bismillah", "alhamdulillah",
    "allahuakbar", "assalamualaikum", "kantor", "serang", "cilegon", "tangerang", "pandeglang", "lebak",
    "selatan", "kota", "kabupaten", "provinsi", "jakarta", "bandung", "surabaya", "persija", "persib",
)
PROBLEM = _l("This password is too easy to guess: it is a common password, or close to one. Choose a longer "
             "phrase of several words that nobody would link to you or to the office.")


def problem(password, username="", office_code=""):
    """Why `password` is refused for the account, or None."""
    if len(password) < MIN_LENGTH:
        return _l("Use at least %(min)d characters.", min=MIN_LENGTH)
    from zxcvbn import zxcvbn  # here: its lists load in 40 ms that no other `kiosk` command needs

    places = [regions.name(code).lower() for code in regions.office_codes()]
    hints = [*LOCAL_WORDS, username, office_code, *places, *(place.replace(" ", "") for place in places)]
    if zxcvbn(password[:72], user_inputs=[hint for hint in hints if hint])["score"] < MIN_SCORE:
        return PROBLEM
    return None
