"""Fill the English catalogue: the source strings are English, so each msgstr is its msgid.
Run by `make update` after pybabel has merged new strings in; leaves edited entries alone."""
import sys

from babel.messages.pofile import read_po, write_po

PATH = "translations/en/LC_MESSAGES/messages.po"


def main(path=PATH):
    with open(path, "rb") as handle:
        catalog = read_po(handle, locale="en")
    filled = 0
    for message in catalog:
        strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
        if not message.id or (all(strings) and not message.fuzzy):
            continue
        message.string = message.id if isinstance(message.id, str) else tuple(message.id)
        message.flags.discard("fuzzy")
        filled += 1
    with open(path, "wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False)
    print(f"{path}: {filled} entries filled")


if __name__ == "__main__":
    main(*sys.argv[1:])
