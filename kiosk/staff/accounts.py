"""The office's accounts, managed by its admins: add one, disable or enable it, reset its password.
Every change is written to the audit log."""
from flask import abort, current_app, flash, g, redirect, request, url_for

from kiosk.i18n import gettext as _

from ..db import writing
from ..models import utcnow
from ..office import OfficeProfile, totp_required
from ..web import render
from . import audit, sessions
from .blueprint import bp
from .access import admin_only
from .forms import AccountForm, ResetForm
from .models import Staff


def hand_on_the_office_key(account):
    """Grant the office key this admin holds to `account` (whose password the admin just set)."""
    if g.staff_session and g.staff_session.office_key:
        account.give_office_key(g.staff_session.office_key)


def _own_account(staff_id):
    """An account of the admin's office; 404 for any other office's."""
    account = Staff.get_or_none((Staff.id == staff_id) & (Staff.office_code == g.staff.office_code))
    if account is None:
        abort(404)
    return account


def _list(form, status=200):
    """The accounts page with the add form as given."""
    return render("staff/accounts.html", status=status, title=_("Accounts"), form=form,
                  accounts=list(Staff.of_office(g.staff.office_code)), totp_required=totp_required(g.staff.office_code))


@bp.route("/akun", methods=["GET", "POST"])
@admin_only
def accounts():
    """The office's accounts, and a form to add one."""
    if request.method == "GET":
        return _list(AccountForm(formdata=None))
    form = AccountForm(request.form)
    form.for_username = request.form.get("username", "")
    if form.validate() and Staff.find(g.staff.office_code, form.username.data):
        form.username.errors.append(_("This office already has an account with that username."))
    if form.errors:
        return _list(form, status=400)
    account = Staff(office_code=g.staff.office_code, username=form.username.data, role=form.role.data)
    account.set_password(form.password.data, current_app.config["KDF_MEMORY_MB"])
    hand_on_the_office_key(account)
    with writing():
        account.save()
        audit.record("account_add", target=account.username, role=account.role)
    flash(_("The account %(username)s is added.", username=account.username), "success")
    return redirect(url_for("staff.accounts"), code=303)


@bp.post("/akun/<int:staff_id>/aktif")
@admin_only
def toggle(staff_id):
    """Disable an account (it is signed out at once) or enable it again."""
    account = _own_account(staff_id)
    if account.id == g.staff.id:
        flash(_("You cannot disable your own account."), "error")
        return redirect(url_for("staff.accounts"), code=303)
    enable = request.form.get("active") == "1"
    with writing():
        account.active = enable
        account.save()
        audit.record("account_enable" if enable else "account_disable", target=account.username)
    if not enable:
        sessions.end_all(account.id)
    flash((_("%(username)s is enabled.") if enable else _("%(username)s is disabled.")) % {
        "username": account.username}, "success")
    return redirect(url_for("staff.accounts"), code=303)


@bp.post("/akun/dua-langkah")
@admin_only
def require_totp():
    """Require, or stop requiring, a second factor for signing in to this office."""
    required = request.form.get("required") == "1"
    with writing():
        profile = OfficeProfile.of(g.staff.office_code)
        profile.require_totp, profile.updated_at = required, utcnow()
        profile.save(force_insert=not OfficeProfile.select().where(
            OfficeProfile.office_code == g.staff.office_code).exists())
        audit.record("totp_required" if required else "totp_optional")
    flash(_("Signing in to this office now needs a second factor.") if required else
          _("The second factor is now each account's own choice."), "success")
    return redirect(url_for("staff.accounts"), code=303)


@bp.route("/akun/<int:staff_id>/sandi", methods=["GET", "POST"])
@admin_only
def reset_password(staff_id):
    """Set a new password for an account (a new key pair, granted the office key); it is signed out
    everywhere."""
    account = _own_account(staff_id)
    form = ResetForm(request.form if request.method == "POST" else None)
    form.for_username = account.username
    if request.method == "POST" and form.validate() and g.staff.open_key(form.your_password.data) is None:
        form.your_password.errors.append(_("That is not your own password."))
    if request.method == "POST" and not form.errors:
        account.set_password(form.password.data, current_app.config["KDF_MEMORY_MB"])
        hand_on_the_office_key(account)
        with writing():
            account.save()
            audit.record("account_reset", target=account.username)
        sessions.end_all(account.id)
        flash(_("The password of %(username)s is reset. Give it to them in person.", username=account.username),
              "success")
        return redirect(url_for("staff.accounts"), code=303)
    return render("staff/reset.html", status=400 if request.method == "POST" else 200, account=account, form=form,
                  title=_("Reset the password of %(username)s", username=account.username))
