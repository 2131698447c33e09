"""The report's steps: the start, the event, the reported party, the deadline, the person, the review."""
import hashlib

from flask import current_app, g, redirect, render_template, request, session, url_for
from werkzeug.datastructures import MultiDict

from kiosk.extensions import htmx
from kiosk.i18n import gettext as _
from kiosk.i18n import lazy_gettext as _l

from .. import guards, regions
from ..choices import KINDS
from ..deadlines import reporting_deadline
from ..models import Report
from ..origin import cross_site
from ..validators import parse_date
from ..web import error_context, render
from . import drafts, steps, summary
from .blueprint import bp
from .flow import form_step, go_on, page, show_form, shows, with_draft
from .forms import DeclarationForm, EventForm, identity_warnings, step_form
from . import receipt
from .receipt import tanda_terima
from .submit import check_all, create_report


# Sending the report itself on a full disk: say plainly that it has not gone.
NOT_SENT = _l("Your report has NOT been sent: the office's storage is full. Your answers are kept. Please tell "
              "the office staff, and send it again once they have made room.")


@error_context
def back_to_the_draft(code):
    """On any error page while a draft is open: the draft is safe on the server, so lead the person back to
    it (to the files after a file too large, to the review after a send on a full disk)."""
    if drafts.current_id() is None:
        return None
    if code == 413:
        return {"back": url_for("lapor.bukti")}
    if code == 507 and request.endpoint == "lapor.kirim":
        return {"back": url_for("lapor.periksa"), "message": NOT_SENT}
    return {"back": url_for("lapor.start")}


@bp.get("/")
def start():
    """Choose a formal report or an anonymous tip; a draft in progress can be continued."""
    return render("lapor/start.html", draft=drafts.current())


@bp.post("/batal")
@with_draft
def cancel(draft):
    """Delete what was typed so far and start again."""
    drafts.forget()
    return redirect(url_for("lapor.start"), code=303)


@bp.route("/kejadian", methods=["GET", "POST"])
@guards.draft_limit
def kejadian():
    """What happened, when and where; the first step, so `?jenis=formal|tip` (the start page's
    links) begins the draft, or switches its kind (not from another site's link: it shows the draft as it
    is). Without JavaScript, 'show the districts' reloads the lists for another regency."""
    draft, kind = drafts.current(), request.args.get("jenis")
    if draft is not None and cross_site():
        kind = None
    if request.method == "GET" and kind in KINDS:
        draft = drafts.start(kind) if draft is None else drafts.switch(draft, kind)
        g.page_url = steps.url("kejadian")
        response = show_form("kejadian", draft)
        response.headers["HX-Push-Url"] = g.page_url
        return response
    if draft is None:
        return redirect(url_for("lapor.start"), code=303)
    if request.method == "POST" and request.form.get("action") == "refresh":
        form = step_form("kejadian", draft.data, request.form)
        drafts.store(draft, **form.values())
        return page("kejadian", draft, form)
    return form_step("kejadian", draft)


@bp.get("/wilayah")
def wilayah():
    """For htmx, when the regency changes: the <option>s of its districts and villages."""
    form = EventForm(formdata=MultiDict({"regency": request.args.get("regency", "")}))
    return render_template("lapor/_options.html", form=form)


@bp.route("/terlapor", methods=["GET", "POST"])
@with_draft
def terlapor(draft):
    """Who is reported."""
    return form_step("terlapor", draft)


@bp.route("/batas-waktu", methods=["GET", "POST"])
@with_draft
def batas_waktu(draft):
    """The deadline for a formal report has passed: continue anyway, or send it as a tip."""
    if request.method == "POST":
        if request.form.get("choice") == "tip":
            draft.data["kind"] = "tip"
            drafts.store(draft)
            return redirect(steps.url("kontak"), code=303)
        return go_on(draft, "batas-waktu")
    return show_deadline(draft)


@shows("batas-waktu")
def show_deadline(draft):
    """The deadline notice, or the next step when the report is not late (any more)."""
    if not steps.late(draft.data):
        return go_on(draft, "batas-waktu")
    learned = parse_date(draft.data["fields"].get("learned_on"))
    return page("batas-waktu", draft, learned=learned, deadline=reporting_deadline(learned, steps.draft_rules(draft.data)))


def _fingerprint(warnings):
    """A short digest of the warnings shown, so that a second post with the same answers goes on."""
    return hashlib.sha256(repr([(f, str(m)) for f, m in warnings]).encode()).hexdigest()[:16]


@bp.route("/pelapor", methods=["GET", "POST"])
@with_draft
def pelapor(draft):
    """The reporter's identity. Where the NIK disagrees with the answers, warn once, then go on."""
    if draft.data["kind"] != "formal":
        return redirect(steps.url("kontak"), code=303)
    if request.method != "POST":
        return form_step("pelapor", draft)
    form = step_form("pelapor", draft.data, request.form)
    drafts.store(draft, **form.values())
    if not form.validate():
        return page("pelapor", draft, form)
    warnings = identity_warnings(form)
    seen = _fingerprint(warnings)
    if warnings and request.form.get("warnings_seen") != seen:
        return page("pelapor", draft, form, warnings=warnings, warnings_seen=seen)
    return go_on(draft, "pelapor")


@bp.route("/kontak", methods=["GET", "POST"])
@with_draft
def kontak(draft):
    """A tip's optional contact."""
    if draft.data["kind"] != "tip":
        return redirect(steps.url("pelapor"), code=303)
    return form_step("kontak", draft)


@bp.get("/periksa")
@with_draft
def periksa(draft):
    """Check your answers, with a change link for each, then the declaration and the send button."""
    return _review(draft, DeclarationForm(formdata=None))


@shows("periksa")
def _review(draft, declaration=None):
    """The review page, with the declaration as posted (and its error) or fresh."""
    forms, first_bad = check_all(draft.data)
    warnings = identity_warnings(forms["pelapor"]) if "pelapor" in forms and first_bad is None else []
    return page("periksa", draft, sections=summary.sections(draft.data, forms), first_bad=first_bad, warnings=warnings,
                declaration=declaration or DeclarationForm(formdata=None), late=steps.late(draft.data))


@bp.post("/kirim")
@guards.submit_limit
def kirim():
    """Store the report, once: a repeated post with the same key shows the same receipt."""
    key = request.form.get("submit_key", "")
    done = Report.select(Report.id).where(Report.submit_key == key).scalar() if key else None
    if done and key == session.get(drafts.SESSION_KEY) or done and session.get(receipt.REPORT) == str(done):
        return _to_receipt(done)
    draft = drafts.current()
    if draft is None or draft.id != key:
        return redirect(url_for("lapor.start"), code=303)
    declaration = DeclarationForm(request.form)
    if not declaration.validate():
        return _review(draft, declaration)
    if guards.too_quick(draft):  # faster than a person can write a report: ask once more
        declaration.declared_true.errors = [_("Check your answers once more, then press “Send report” again.")]
        return _review(draft, declaration)
    forms, first_bad = check_all(draft.data)
    if first_bad:  # a step has errors after all: the review says which
        return redirect(steps.url("periksa"), code=303)
    report = create_report(draft.data, key, drafts.current_key(), declared_true=True, forms=forms)[0]
    return _to_receipt(report.id)


def _to_receipt(report_id):
    """Remember the receipt for this session and show it: directly to htmx, else by redirect. The draft's
    key, now the report's, stays in the session so that the receipt can list the files by name."""
    session.pop(drafts.SESSION_KEY, None)
    receipt.remember(report_id, session.pop(drafts.KEY, None) or session.get(receipt.KEY))
    if htmx:
        g.page_url = url_for("lapor.tanda_terima")
        response = tanda_terima()
        response.headers["HX-Push-Url"] = url_for("lapor.tanda_terima")
        return response
    return redirect(url_for("lapor.tanda_terima"), code=303)


@bp.app_template_global("competent_office")
def competent_office(regency):
    """For the event step and the review: the Bawaslu competent for `regency` when it is not this office."""
    return regions.competent_office(regency, current_app.config["OFFICE_CODE"])
