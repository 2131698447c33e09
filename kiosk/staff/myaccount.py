"""Every staff member's own account at `/staff/saya`: changing the password, and the second factor (an
authenticator app with its QR code, drawn by this server, and ten recovery codes shown once). Each change
is in the audit log."""
from flask import current_app, flash, g, redirect, request, session, url_for

from kiosk.i18n import gettext as _

from .. import regions
from ..db import writing
from ..office import totp_required
from ..qr import qr_svg
from ..web import render
from . import audit, sessions, twofactor
from .access import SESSION_KEY
from .blueprint import bp
from .forms import ConfirmForm, PasswordChangeForm, TotpForm


def _page(password_form=None, totp_form=None, codes=None, status=200):
    """The account page, with the forms as posted (and their errors) or fresh."""
    me, live = g.staff, g.staff_session
    enrolling = live.enrolling
    return render("staff/my_account.html", status=status, title=_("My account"),
                  password_form=password_form or PasswordChangeForm(formdata=None),
                  totp_form=totp_form or TotpForm(formdata=None), confirm=ConfirmForm(formdata=None),
                  enrolled=bool(me.totp_box), required=totp_required(me.office_code), enrolling=enrolling,
                  qr=qr_svg(twofactor.uri(enrolling, me.username, regions.office_name(me.office_code)),
                            _("QR code of your two-factor secret")) if enrolling else None,
                  codes=codes, codes_left=twofactor.codes_left(live.staff_key, me.totp_box) if me.totp_box else 0,
                  must_enrol=live.must_enrol)


@bp.get("/saya")
def my_account():
    """The signed-in member's own account."""
    return _page()


@bp.post("/saya/sandi")
def change_password():
    """Change one's own password (the same key, locked under the new one); other sessions end."""
    me = g.staff
    form = PasswordChangeForm(request.form)
    form.for_username = me.username
    if form.validate() and not me.open_key(form.current.data):
        form.current.errors.append(_("That is not your current password."))
    if form.errors:
        return _page(password_form=form, status=400)
    me.rewrap(g.staff_session.staff_key, form.password.data, current_app.config["KDF_MEMORY_MB"])
    with writing():
        me.save()
        audit.record("password_change", target=me.username)
    sessions.end_all(me.id, but=session.get(SESSION_KEY))
    flash(_("Your password is changed. Your other sessions are signed out."), "success")
    return redirect(url_for("staff.my_account"), code=303)


@bp.post("/saya/dua-langkah/mulai")
def totp_start():
    """Begin setting up an authenticator app: a new secret, shown as a QR code, confirmed by its first code."""
    g.staff_session.enrolling = twofactor.new_secret()
    return redirect(url_for("staff.my_account", _anchor="dua-langkah"), code=303)


@bp.post("/saya/dua-langkah")
def totp_confirm():
    """The app's first code confirms the secret: the second factor is on, and the recovery codes shown once."""
    me, live = g.staff, g.staff_session
    form = TotpForm(request.form)
    if not live.enrolling:
        return redirect(url_for("staff.my_account", _anchor="dua-langkah"), code=303)
    if form.validate() and not twofactor.valid_now(live.enrolling, form.code.data):
        form.code.errors.append(_("That code is not right: type the 6 digits the app shows now."))
    if form.errors:
        return _page(totp_form=form, status=400)
    codes = twofactor.new_codes()
    me.totp_box = twofactor.lock(live.staff_key, live.enrolling, codes)
    with writing():
        me.save()
        audit.record("totp_on", target=me.username)
    live.enrolling, live.must_enrol = None, False
    return _page(codes=codes)


def _confirmed():
    """Whether the posted ConfirmForm carries the member's own password."""
    form = ConfirmForm(request.form)
    return form.validate() and g.staff.open_key(form.your_password.data) is not None


@bp.post("/saya/dua-langkah/kode-baru")
def totp_codes():
    """Ten new recovery codes in place of the old ones (the password typed again)."""
    me, live = g.staff, g.staff_session
    if not me.totp_box or not _confirmed():
        flash(_("Type your own password to make new recovery codes."), "error")
        return redirect(url_for("staff.my_account", _anchor="dua-langkah"), code=303)
    codes = twofactor.new_codes()
    secret = twofactor.secret_of(live.staff_key, me.totp_box)
    me.totp_box = twofactor.lock(live.staff_key, secret, codes)
    with writing():
        me.save()
        audit.record("totp_codes", target=me.username)
    return _page(codes=codes)


@bp.post("/saya/dua-langkah/mati")
def totp_off():
    """Turn the second factor off (not where the office requires it; the password typed again)."""
    me = g.staff
    if totp_required(me.office_code):
        flash(_("Your office requires the second factor: it cannot be turned off."), "error")
    elif not _confirmed():
        flash(_("Type your own password to turn the second factor off."), "error")
    else:
        me.totp_box = None
        with writing():
            me.save()
            audit.record("totp_off", target=me.username)
        flash(_("The second factor is off: signing in needs only your password."), "success")
    return redirect(url_for("staff.my_account", _anchor="dua-langkah"), code=303)
