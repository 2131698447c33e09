"""The build's one extra step: compile the translations (.po to .mo) into the wheel. The compiled
catalogues are build output, never committed; `make compile` makes them for a checkout."""
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithCatalogues(build_py):
    """setuptools' build_py, then every kiosk/translations/*/LC_MESSAGES/messages.po compiled beside it."""

    def run(self):
        super().run()
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for source in Path("kiosk/translations").glob("*/LC_MESSAGES/messages.po"):
            target = Path(self.build_lib) / source.with_suffix(".mo")
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(source, "rb") as handle:
                catalogue = read_po(handle, locale=source.parts[-3])
            with open(target, "wb") as handle:
                write_mo(handle, catalogue)


setup(cmdclass={"build_py": BuildWithCatalogues})
