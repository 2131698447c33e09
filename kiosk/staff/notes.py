"""The public note each decision starts with, per office: the translated defaults (review.NOTE_TEMPLATES),
or the wording an admin of the office keeps at `/staff/catatan` (audited). Staff still edit the note of each
decision; an empty note takes the template whole."""
import peewee as pw
from flask import flash, g, redirect, request, url_for

from kiosk.i18n import gettext as _

from .. import choices
from ..db import BaseModel, writing
from ..limits import TEXT
from ..models import utcnow
from ..web import render
from . import audit
from .access import admin_only
from .blueprint import bp
from .review import NOTE_TEMPLATES


class NoteTemplate(BaseModel):
    """An office's own wording of a decision's public note."""

    office_code = pw.CharField()
    status = pw.CharField()
    text = pw.TextField()
    updated_at = pw.DateTimeField(default=utcnow)
    updated_by = pw.CharField(default="")

    class Meta:
        primary_key = pw.CompositeKey("office_code", "status")


def note_template(office_code, status):
    """The note a decision to `status` starts with at `office_code`."""
    kept = NoteTemplate.get_or_none((NoteTemplate.office_code == office_code) & (NoteTemplate.status == status))
    return kept.text if kept else str(NOTE_TEMPLATES[status])


def templates_of(office_code):
    """{status: (the note, whether it is the office's own)} for every status with a template."""
    own = {row.status: row.text for row in NoteTemplate.select().where(NoteTemplate.office_code == office_code)}
    return {status: (own.get(status, str(default)), status in own) for status, default in NOTE_TEMPLATES.items()}


@bp.route("/catatan", methods=["GET", "POST"])
@admin_only
def note_templates():
    """The office's note templates: change one, or empty it to go back to the standard wording."""
    problems = {}
    if request.method == "POST":
        typed = {status: (request.form.get(status) or "").strip() for status in NOTE_TEMPLATES}
        problems = {status: _("Use at most %(max)d characters.", max=TEXT["public_note"])
                    for status, text in typed.items() if len(text) > TEXT["public_note"]}
        if not problems:
            changed = _keep(g.staff.office_code, typed, g.staff.username)
            if changed:
                audit.record("note_templates", fields=",".join(changed))
            flash(_("The note templates are saved.") if changed else _("Nothing was changed."), "success")
            return redirect(url_for("staff.note_templates"), code=303)
    shown = templates_of(g.staff.office_code)
    if problems:
        shown = {status: (request.form.get(status) or "", own) for status, (_text, own) in shown.items()}
    return render("staff/notes.html", status=400 if problems else 200, title=_("Note templates"), templates=shown,
                  problems=problems, labels=choices.STATUSES, defaults=NOTE_TEMPLATES)


def _keep(office_code, typed, actor):
    """Keep the office's wording where it differs from the standard one (empty or standard: the standard);
    the statuses whose note changed."""
    current = templates_of(office_code)
    changed = []
    with writing():
        for status, text in typed.items():
            own = bool(text) and text != str(NOTE_TEMPLATES[status])
            if (text or str(NOTE_TEMPLATES[status])) == current[status][0] and own == current[status][1]:
                continue
            changed.append(status)
            query = NoteTemplate.delete().where((NoteTemplate.office_code == office_code) & (NoteTemplate.status == status))
            query.execute()
            if own:
                NoteTemplate.create(office_code=office_code, status=status, text=text, updated_by=actor)
    return changed


MODELS = [NoteTemplate]
