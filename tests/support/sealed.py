"""Reading and making sealed data in the tests, with the offices' test keys (tests.support.keys): a
report's personal fields, its witnesses and evidence files, and a citizen's draft, which the database
holds only locked."""
from pathlib import Path
from types import SimpleNamespace

from kiosk import keys as crypto
from kiosk import sealing
from kiosk.models import Evidence, Witness
from kiosk.store import FileStore

from . import keys


def report_key(report):
    """The report's own key, opened with its office's test key (else the hub's)."""
    if report.key_office and report.office_code in keys.PRIVATE:
        return crypto.open_sealed(keys.PRIVATE[report.office_code], report.key_office)
    return crypto.open_sealed(keys.PRIVATE["36"], report.key_hub)


def person(report):
    """The report's sealed fields, opened."""
    return sealing.open_fields(report_key(report), report.personal, sealing.REPORT_FIELDS)


def witnesses(report):
    """The report's witnesses, opened, in order."""
    key = report_key(report)
    return [sealing.open_fields(key, w.personal, sealing.WITNESS_FIELDS)
            for w in report.witnesses.order_by(Witness.position)]


def files(report):
    """The report's evidence, opened: namespaces of row, filename, sha256 and key, in order."""
    key = report_key(report)
    return [SimpleNamespace(row=item, **vars(sealing.open_fields(key, item.personal, sealing.EVIDENCE_FIELDS)))
            for item in report.evidence.order_by(Evidence.position)]


def file_bytes(evidence_dir, report, position=0):
    """The bytes of the report's evidence file at `position`, opened with its key."""
    file = files(report)[position]
    return crypto.unlock_bytes(crypto.unb64(file.key), (Path(evidence_dir) / file.row.blob).read_bytes())


def add_witness(report, name, address="", phone="", position=0):
    """A witness of `report`, sealed under the report's key."""
    fields = {"name": name, "address": address, "phone": phone}
    return Witness.create(report=report, position=position,
                          personal=sealing.seal_fields(report_key(report), fields, sealing.WITNESS_FIELDS))


def add_evidence(report, evidence_dir, content, filename, mime, position=0, stored=True, original=None):
    """An evidence file of `report`: locked under a key of its own and, when `stored`, kept in the store at
    `evidence_dir` (the row names it either way); its name, hash and key sealed under the report's key.
    With `original` (bytes), `content` is the copy without metadata and `original` the file as sent."""
    import hashlib

    key = crypto.new_secret()
    locked = crypto.lock_bytes(key, content)
    blob = hashlib.sha256(locked).hexdigest()
    kept = crypto.lock_bytes(key, original) if original is not None else None
    if stored:
        FileStore(evidence_dir).put_bytes(locked)
        if kept:
            FileStore(evidence_dir).put_bytes(kept)
    sha256 = hashlib.sha256(original if original is not None else content).hexdigest()
    fields = {"filename": filename, "sha256": sha256, "key": crypto.b64(key),
              "stripped_sha256": hashlib.sha256(content).hexdigest() if kept else ""}
    return Evidence.create(report=report, position=position, blob=blob, mime=mime, size=len(content),
                           original=hashlib.sha256(kept).hexdigest() if kept else "",
                           personal=sealing.seal_fields(report_key(report), fields, sealing.EVIDENCE_FIELDS))


def add_addition(report, kind="brought_in", actor="petugas", **values):
    """An addition to `report` (kiosk.completion), its values sealed under a key of its own."""
    from kiosk import completion
    return completion.add(report, kind, values, actor=actor)[0]


def addition_values(addition):
    """An addition's sealed values, opened with its office's test key (else the hub's)."""
    from kiosk import completion
    if addition.key_office and addition.report.office_code in keys.PRIVATE:
        key = crypto.open_sealed(keys.PRIVATE[addition.report.office_code], addition.key_office)
    else:
        key = crypto.open_sealed(keys.PRIVATE["36"], addition.key_hub)
    return sealing.open_fields(key, addition.personal, completion.FIELDS)


def draft_of(client):
    """The answers of the draft a test client's (or a Citizen's) session is writing, opened with the
    session's key."""
    from kiosk.models import Draft

    client = getattr(client, "client", client)
    with client.session_transaction() as session:
        draft_id, key = session.get("draft"), session.get("draft_key")
    draft = Draft.get_by_id(draft_id)
    return crypto.unlock_json(crypto.unb64(key), draft.sealed)


def session_of(cookie, secret_key):
    """The Flask session in a `session` cookie's value, read with the app's secret key (a live server's)."""
    from flask import Flask
    from flask.sessions import SecureCookieSessionInterface

    app = Flask("reader")
    app.secret_key = secret_key
    return SecureCookieSessionInterface().get_signing_serializer(app).loads(cookie)


def opened_draft(sealed_text, session):
    """A draft's answers from its sealed text and the session (a dict) that holds its key."""
    return crypto.unlock_json(crypto.unb64(session["draft_key"]), sealed_text)


def witness_names(rows):
    """The witnesses' names from raw rows (office_code, key_office, witness personal), opened with the test keys."""
    names = []
    for office, key_office, personal in rows:
        key = crypto.open_sealed(keys.PRIVATE[office], key_office)
        names.append(sealing.open_fields(key, personal, sealing.WITNESS_FIELDS).name)
    return names


def draft_in_browser(page, app):
    """The answers of the draft a Playwright page's browser is writing (its session cookie read with the
    app's secret key)."""
    from kiosk.models import Draft

    cookie = next(c["value"] for c in page.context.cookies() if c["name"] == "session")
    session = session_of(cookie, app.secret_key)
    return opened_draft(Draft.get_by_id(session["draft"]).sealed, session)


def draft_file(app, item):
    """The bytes of one of a draft's files (an item of its answers' `evidence`), opened with its key."""
    return crypto.unlock_bytes(crypto.unb64(item["key"]), (Path(app.config["EVIDENCE_DIR"]) / item["blob"]).read_bytes())
