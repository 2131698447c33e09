"""Tracking codes: 16 random digits, the last a Damm check digit, so that any single wrong digit
or swapped neighbours are caught before a lookup."""
import re
import secrets
import unicodedata

from stdnum import damm

LENGTH = 16


def new_code():
    """A fresh random tracking code, 16 digits with the check digit last."""
    body = "".join(secrets.choice("0123456789") for _ in range(LENGTH - 1))
    return body + damm.calc_check_digit(body)


def digits_of(text):
    """The digits of what a person typed, spaces and dashes dropped; digits of another script (a
    phone keyboard's full-width １２３) read as the ASCII ones."""
    text = re.sub(r"[\s\-.]", "", text or "")
    return "".join(str(unicodedata.decimal(char)) if char.isdecimal() else char for char in text)


def is_well_formed(digits):
    """Whether `digits` has 16 ASCII digits and a correct check digit."""
    return len(digits) == LENGTH and digits.isascii() and digits.isdigit() and damm.is_valid(digits)


def grouped(digits):
    """'1234 5678 9012 3456': the code as people read and type it."""
    return " ".join(digits[i:i + 4] for i in range(0, len(digits), 4))


def dashed(digits):
    """'1234-5678-9012-3456': the code as it travels in an address (no spaces to escape)."""
    return grouped(digits).replace(" ", "-")
