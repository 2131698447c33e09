"""The kiosk's voice: every step has current audio in both languages (a changed string without `make voice`
fails here), the kiosk's steps offer it, a phone does not, and it is served as a small static file."""
import pytest
from flask_babel import force_locale

from kiosk.lapor import voice
from kiosk.lapor.steps import TITLES
from kiosk.paths import STATIC
from tests.support import html

MAX_BYTES = 200_000  # the longest step (who are you, 11 questions) is about a minute of speech


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("step", list(TITLES))
def test_every_step_has_current_audio(app, step, language):
    with app.test_request_context("/"), force_locale(language):
        text, question = voice.script(step), str(TITLES[step])
    assert text.startswith(question.rstrip("."))  # the question comes first
    path = STATIC / voice.file_name(text, language)
    assert path.is_file(), f"no audio for {step} ({language}) as its strings read now: run `make voice`"
    audio = path.read_bytes()
    assert audio[:4] == b"OggS" and b"OpusHead" in audio[:64] and len(audio) < MAX_BYTES


def test_the_script_reads_the_question_and_its_choices(app):
    with app.test_request_context("/"), force_locale("id"):
        text = voice.script("kejadian")
    assert text.startswith("Apa yang terjadi? ")
    assert "Politik uang" in text and "Kapan kejadiannya?" in text  # a choice, another question


def test_the_kiosk_offers_listen_and_serves_the_file(make_app):
    app = make_app("kiosk", DEVICES="127.0.0.1")
    client = app.test_client()
    client.get("/kiosk", environ_base={"REMOTE_ADDR": "127.0.0.1"})
    page = client.get("/lapor/kejadian?jenis=formal")
    button = html.find(page, "[data-listen]")
    assert button.get_text(strip=True).endswith("Dengarkan")
    audio = client.get(button["data-listen"])
    assert audio.status_code == 200 and audio.mimetype == "audio/ogg"
    assert "immutable" in audio.headers["Cache-Control"]  # fingerprinted: fetched once


def test_a_phone_has_no_listen_button(client):
    page = client.get("/lapor/kejadian?jenis=formal")
    assert not html.has(page, "[data-listen]")


def test_check_says_what_is_missing(app, tmp_path, monkeypatch):
    """`kiosk voice --check` fails while a string has no audio (as after a changed translation)."""
    runner = app.test_cli_runner()
    assert runner.invoke(args=["voice", "--check"]).exit_code == 0
    monkeypatch.setattr(voice, "STATIC", tmp_path)  # as if nothing had been made yet
    result = runner.invoke(args=["voice", "--check"])
    assert result.exit_code == 1 and result.output.count("missing: voice/") == 2 * len(TITLES)
