"""The build's one extra step: the wheel carries the app's own files inside the package (templates,
static files, and the translations compiled from .po to .mo), which a checkout keeps beside it."""
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithFiles(build_py):
    """setuptools' build_py, then templates/ and static/ copied into the package and every
    translations/*/LC_MESSAGES/messages.po compiled into it (compiled catalogues are never committed)."""

    def run(self):
        super().run()
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        package = Path(self.build_lib) / "kiosk"
        for folder in ("templates", "static"):
            shutil.copytree(folder, package / folder, dirs_exist_ok=True)
        for source in Path("translations").glob("*/LC_MESSAGES/messages.po"):
            target = package / source.with_suffix(".mo")
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(source, "rb") as handle:
                catalogue = read_po(handle, locale=source.parts[-3])
            with open(target, "wb") as handle:
                write_mo(handle, catalogue)


setup(cmdclass={"build_py": BuildWithFiles})
