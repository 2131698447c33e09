"""The kiosk's voice: each step's question, its fields and their choices read aloud, for visitors who read with
difficulty. The audio is made ahead of time (`kiosk voice`, run by `make voice`) from the translated strings
with Debian's espeak-ng and opusenc, one small Ogg Opus file per text, named by the text's SHA-256: a changed
string has no file until it is made again, and nothing is spoken at run time or sent anywhere. Only fixed
interface text is voiced, never anything a visitor typed."""
import hashlib
import subprocess
from functools import lru_cache
from pathlib import Path

import click
from flask import current_app, url_for
from flask_babel import force_locale, get_locale
from werkzeug.datastructures import MultiDict

from ..i18n import LANGUAGES
from ..paths import STATIC
from . import forms
from .blueprint import bp
from .steps import TITLES

FOLDER = "voice"  # under static/
VOICES = {"id": "id", "en": "en-gb"}  # espeak-ng's voices
MAX_CHARS = 2000  # a step's script is far shorter; a longer one is a mistake, not something to speak
SECONDS = 60  # espeak-ng and opusenc together, per file


def _field_words(field):
    """A field as spoken: its label, and for a set of choices the choices."""
    words = [str(field.label.text)]
    if field.type == "RadioField":
        words += [str(choice.label.text) for choice in field]
    return words


def script(step):
    """What the Listen button of `step` says, in the current language: the question, then each field."""
    words = [str(TITLES[step])]
    form_class = forms.STEP_FORMS.get(step)
    if form_class is not None:
        form = form_class(formdata=MultiDict())
        words += [w for field in form for w in _field_words(field) if field.type != "HiddenField"]
    sentences = [w.rstrip(".:") if w.endswith("?") else w.rstrip(".:") + "." for w in words]
    return " ".join(sentences)[:MAX_CHARS]


def file_name(text, language):
    """The audio file of `text` in `language`, under static/."""
    return f"{FOLDER}/{language}/{hashlib.sha256(text.encode()).hexdigest()[:16]}.opus"


@lru_cache(maxsize=64)
def _made(name):
    """Whether the audio file `name` exists (asked once per process: the files change only with a release)."""
    return (STATIC / name).is_file()


@bp.app_template_global("voice_url")
def audio_url(step):
    """The address of the step's audio in the page's language, or None when it has not been made."""
    if step not in TITLES:
        return None
    language = str(get_locale())
    name = file_name(script(step), language)
    return url_for("static", filename=name) if _made(name) else None


def speak(text, language, target):
    """Make `target` (Ogg Opus, 12 kbit/s speech) from `text` with espeak-ng; bounded in length and time."""
    text = text[:MAX_CHARS]
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    wave = subprocess.run(["espeak-ng", "-v", VOICES[language], "-s", "145", "--stdout", text],
                          capture_output=True, check=True, timeout=SECONDS).stdout
    subprocess.run(["opusenc", "--quiet", "--bitrate", "12", "--speech", "-", str(partial)],
                   input=wave, check=True, timeout=SECONDS)
    partial.rename(target)  # never a half-written file under its final name


def wanted():
    """{file under static/: (text, language)} for every step in every language."""
    found = {}
    for language in LANGUAGES:
        with current_app.app_context(), force_locale(language):  # a context of its own: no catalogue kept in g
            for step in TITLES:
                text = script(step)
                found[file_name(text, language)] = (text, language)
    return found


@bp.cli.command("voice")
@click.option("--check", is_flag=True, help="Only say which audio is missing; exit 1 if any is.")
def voice_command(check):
    """Make the kiosk's spoken steps (static/voice/) that are missing, and remove those no string uses now."""
    folder = Path(current_app.static_folder) / FOLDER
    files = wanted()
    missing = [name for name in files if not (STATIC / name).is_file()]
    if check:
        for name in missing:
            click.echo(f"missing: {name}")
        raise SystemExit(1 if missing else 0)
    for name in missing:
        speak(*files[name], STATIC / name)
    for old in folder.glob("*/*.opus") if folder.is_dir() else ():
        if f"{FOLDER}/{old.parent.name}/{old.name}" not in files:
            old.unlink()
    click.echo(f"{len(missing)} made, {len(files)} in all")
