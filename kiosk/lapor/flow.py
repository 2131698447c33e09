"""What every step shares: finding the draft, rendering the step, and moving on."""
from functools import wraps

from flask import g, redirect, request, url_for

from kiosk.extensions import htmx

from ..web import render
from . import drafts, steps
from .forms import step_form


def with_draft(view):
    """Give the view this session's draft; without one, send the person to the start."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        draft = drafts.current()
        if draft is None:
            return redirect(url_for("lapor.start"), code=303)
        return view(draft, *args, **kwargs)

    return wrapper


def returning():
    """Whether the person came from 'check your answers' and should go back there."""
    return bool(request.args.get("kembali"))


SHOW = {}  # step -> function(draft) that renders the step as a GET would


def shows(step):
    """Register how a step is shown, so that moving on can show it without a second request."""

    def register(function):
        SHOW[step] = function
        return function

    return register


def go_on(draft, step):
    """Go to the step after `step`, or back to the review when changing an answer. Without
    JavaScript: a redirect (post/redirect/get). With htmx: the next step itself, with its address
    pushed, which saves a whole round trip on a 500 ms GPRS line."""
    target = "periksa" if returning() and step != "batas-waktu" else steps.after(draft.data, step)
    return go_to(draft, target)


def go_to(draft, target):
    """Show step `target`: by redirect without JavaScript, in place (one round trip) with htmx."""
    if htmx and target in SHOW:
        g.page_url = steps.url(target)
        response = SHOW[target](draft)
        response.headers.setdefault("HX-Push-Url", steps.url(target))
        return response
    return redirect(steps.url(target), code=303)


def previous(draft, step):
    """The address of the step before `step`, or of the start."""
    order = steps.sequence(draft.data)
    if returning():
        return steps.url("periksa")
    if step in order and order.index(step) > 0:
        return steps.url(order[order.index(step) - 1])
    return url_for("lapor.start")


def page(step, draft, form=None, status=200, **context):
    """Render `step`: the whole page, or the step alone for htmx."""
    number, total = steps.progress(draft.data, step)
    action = steps.url(step, kembali=1) if returning() else steps.url(step)
    return render("lapor/step.html", f"lapor/_{step}.html", status=status, step=step, title=steps.TITLES[step],
                  form=form, draft=draft, data=draft.data, number=number, total=total, action=action,
                  back=previous(draft, step), titles=steps.TITLES, **context)


def show_form(step, draft):
    """A step's form as the draft holds it; after a 'complete it' link from the review, with its errors."""
    form = step_form(step, draft.data)
    if request.args.get("cek"):
        form.validate()
    return page(step, draft, form)


def form_step(step, draft):
    """The usual step: show the form from the draft; on post keep what was typed, and move on when
    it is valid. A failed check shows the errors and loses nothing."""
    if request.method == "POST":
        form = step_form(step, draft.data, request.form)
        drafts.store(draft, **form.values())
        if form.validate():
            return go_on(draft, step)
        return page(step, draft, form)
    return SHOW[step](draft)


for _step in ("kejadian", "terlapor", "pelapor", "kontak"):
    shows(_step)(lambda draft, _step=_step: show_form(_step, draft))
