"""The README keeps the project honest: every setting and every `kiosk` command is documented."""
from pathlib import Path

from kiosk.settings import SETTINGS

README = (Path(__file__).parent.parent / "README.md").read_text()


def test_every_setting_is_documented():
    missing = [f"KIOSK_{name}" for name in SETTINGS if f"KIOSK_{name}" not in README]
    assert missing == []


def test_every_command_is_documented(app):
    from kiosk import cli

    commands = set(app.cli.commands) | set(cli.main.commands) - {"run", "shell", "routes"}
    missing = [name for name in sorted(commands) if f"kiosk {name}" not in README]
    assert commands and missing == []


def test_readme_starts_with_the_two_commands():
    assert README.index("make run") < README.index("make test") < README.index("## ")
