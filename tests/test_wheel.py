"""A plain, non-editable install is a working `kiosk`: the wheel built from the project carries its
templates, static files, compiled translations and migrations, and serves the Indonesian report page.

The wheel is built without build isolation and installed without its dependencies, into a new
virtualenv whose site-packages holds a `.pth` file naming this (the test) virtualenv's site-packages:
tests reach no network, and what is under test is the wheel's own contents, not the libraries it needs.
A `.pth` file only adds a directory to sys.path, after the new venv's own site-packages, and runs no
`.pth` file inside it, so the editable install's finder of the test venv stays out (checked below).
Everything runs from a temporary working directory, never the repository."""
import shutil
import subprocess
import sys
import sysconfig
import urllib.request
import zipfile
from pathlib import Path

import pytest

from tests.support import html
from tests.support.servers import ROOT, Server, environment, starting

pytestmark = pytest.mark.process

# The project as a source tree: no compiled catalogues (the build must make them), no caches.
SOURCES = ("pyproject.toml", "setup.py", "README.md", "kiosk", "templates", "static", "translations")
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo")


def run(*command, cwd, env=None):
    """Run a command to its end; its stdout. Fails with its output if it fails."""
    starting(str(command[0]))
    result = subprocess.run([str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, f"{command}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


class WheelServer(Server):
    """`kiosk serve` of the new virtualenv, from the temporary working directory."""

    def __init__(self, data_dir, bin_dir, cwd, **settings):
        super().__init__(data_dir, **settings)
        self.bin_dir, self.cwd = bin_dir, cwd
        self.env.pop("PYTHONPATH", None)

    def command(self):
        return [self.bin_dir / "kiosk", "serve"]


def install_the_wheel(base):
    """Build the wheel from a copy of the sources and install it alone in a new virtualenv, the test
    venv's libraries on its path: (its bin folder, a working directory outside the repository, the wheel)."""
    source, wheels, venv, work = base / "source", base / "wheels", base / "venv", base / "work"
    source.mkdir()
    work.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=IGNORED)
        else:
            shutil.copy2(ROOT / name, source / name)
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "--quiet",
        "--wheel-dir", wheels, source, cwd=work)
    [wheel] = wheels.glob("pojok_laporan-*.whl")

    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=work)
    new_python = venv / "bin" / "python"
    run(sys.executable, "-m", "pip", "--python", new_python, "install", "--no-deps", "--no-index", "--quiet", wheel,
        cwd=work)
    site_packages = Path(run(new_python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                             cwd=work).strip())
    (site_packages / "test-venv-libraries.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv / "bin", work, wheel


def test_a_plain_install_of_the_wheel_makes_its_database_and_serves_the_indonesian_page(tmp_path):
    # One test, not three: the build is most of its time, and xdist would build it once per worker.
    bin_dir, work, wheel = install_the_wheel(tmp_path)

    names = set(zipfile.ZipFile(wheel).namelist())  # the app's own files travel in the wheel
    for expected in ("kiosk/templates/base.html", "kiosk/static/site.css", "kiosk/migrations/0001_initial.py",
                     "kiosk/translations/id/LC_MESSAGES/messages.mo", "kiosk/translations/en/LC_MESSAGES/messages.mo"):
        assert expected in names, expected
    assert not any(name.startswith("tests/") for name in names)

    data = work / "office"
    env = environment(data)
    env.pop("PYTHONPATH", None)
    found = run(bin_dir / "python", "-c", "import sys, kiosk; print(kiosk.__file__);"
                " print(' '.join(type(f).__module__ for f in sys.meta_path))", cwd=work, env=env).split("\n")
    where = Path(found[0]).resolve()
    assert where.is_relative_to(bin_dir.parent.resolve()), where  # the wheel's kiosk, inside the new venv
    assert not where.is_relative_to(ROOT), where
    assert "__editable__" not in found[1], found[1]  # the test venv's editable finder did not come along

    made = run(bin_dir / "kiosk", "init-db", cwd=work, env=env)
    assert (data / "kiosk.sqlite3").exists(), made  # the migrations are in the package
    server = WheelServer(data, bin_dir, work, office_code="36.73")
    server.start()
    try:
        newest = max(int(path.name[:4]) for path in (ROOT / "kiosk" / "migrations").glob("[0-9]*.py"))
        assert server.healthz()["schema_version"] == newest
        with urllib.request.urlopen(server.url + "/lapor/", timeout=10) as response:
            page = response.read().decode()
        assert html.h1(page) == "Buat laporan"  # translated: the wheel's own compiled Indonesian catalogue
        assert html.find(page, "html")["lang"] == "id"
        stylesheet = html.find(page, 'link[rel="stylesheet"]')["href"]
        with urllib.request.urlopen(server.url + stylesheet, timeout=10) as response:
            assert response.status == 200 and response.headers.get_content_type() == "text/css"
            assert b".site-header" in response.read()
    finally:
        server.stop()
