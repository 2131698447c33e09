"""How reporters reach the office: its admins keep the address, phone, WhatsApp, email, opening hours
and evidence desk at `/staff/kantor` (audited); `kiosk office-profile` sets them at installation. Both
check the values with the same form (staff.forms.OfficeForm)."""
import click
from flask import current_app, flash, g, redirect, request, url_for
from werkzeug.datastructures import MultiDict

from kiosk.i18n import gettext as _

from .. import regions
from ..office import CONTACT_FIELDS, contact, set_contact
from ..web import render
from . import audit
from .access import admin_only
from .blueprint import bp
from .forms import OfficeForm


def _page(form, status=200):
    return render("staff/office.html", status=status, title=_("The office's contact details"), form=form,
                  profile=contact(g.staff.office_code))


@bp.route("/kantor", methods=["GET", "POST"])
@admin_only
def office():
    """The office's contact details, as reporters see them, and the form to change them."""
    if request.method == "GET":
        return _page(OfficeForm(formdata=None, obj=contact(g.staff.office_code)))
    form = OfficeForm(request.form)
    if not form.validate():
        return _page(form, status=400)
    changed = set_contact(g.staff.office_code, form.values())
    if changed:
        audit.record("office_contact", fields=",".join(changed))
    flash(_("The office's contact details are saved.") if changed else _("Nothing was changed."), "success")
    return redirect(url_for("staff.office"), code=303)


@bp.cli.command("office-profile")
@click.option("--office", default=None, help="Kemendagri code of the office (default: KIOSK_OFFICE_CODE).")
@click.option("--address", default=None, help="The office's street address.")
@click.option("--phone", default=None, help="Its phone number, e.g. '(0254) 123456'.")
@click.option("--whatsapp", default=None, help="Its WhatsApp number (a mobile number).")
@click.option("--email", default=None, help="Its email address.")
@click.option("--hours", default=None, help="Opening hours, e.g. 'Senin-Jumat 08.00-16.00 WIB'.")
@click.option("--all-day-from", default=None, help="First day open 24 hours (quiet period), YYYY-MM-DD.")
@click.option("--all-day-to", default=None, help="Last day open 24 hours (voting day), YYYY-MM-DD.")
@click.option("--evidence-desk", default=None, help="Where physical evidence is handed in.")
@click.option("--placeholder", is_flag=True, help="Mark the details as made up (the demo office).")
@click.option("--if-empty", is_flag=True, help="Change nothing when the office has contact details already.")
def office_profile(office, placeholder, if_empty, **given):
    """Set the office's contact details; options left out keep their value. Prints what it keeps."""
    office = office or current_app.config["OFFICE_CODE"]
    if office not in regions.office_codes():
        raise click.BadParameter(f"unknown office; one of {', '.join(regions.office_codes())}", param_hint="--office")
    profile = contact(office)
    if if_empty and profile.has_contact:
        return
    values = MultiDict({name: (given[name] if given.get(name) is not None else _as_text(getattr(profile, name)))
                        for name in CONTACT_FIELDS})
    with current_app.test_request_context():
        form = OfficeForm(values)
        if not form.validate():
            problems = "; ".join(f"--{name.replace('_', '-')}: {' '.join(map(str, errors))}"
                                 for name, errors in form.errors.items())
            raise click.UsageError(problems)
        changed = set_contact(office, form.values(), placeholder=placeholder)
        if changed:
            audit.record("office_contact", actor="cli", office_code=office, fields=",".join(changed))
    for name in CONTACT_FIELDS:
        click.echo(f"{name.replace('_', '-')}: {_as_text(getattr(contact(office), name))}")


def _as_text(value):
    return value.isoformat() if hasattr(value, "isoformat") else (value or "")
