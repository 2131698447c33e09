"""The accounts' and keys' commands: `kiosk create-staff` (an account, the password read from standard
input), `kiosk init-keys` (the office's key pair and its recovery key, printed once, and the first admin)
and `kiosk recover` (the recovery key hands the office key to an admin account)."""
import re
import sys

import click
from flask import current_app

from .. import keys, legacy, regions
from ..db import db, writing
from ..keyring import Keyring, NoKeys
from .blueprint import bp
from .choices import ROLES
from . import passwords
from .forms import MIN_PASSWORD
from .models import AuditLog, Staff

USERNAME = re.compile(r"^[a-z0-9._-]{3,30}$")
LOSS = ("Losing every staff password AND this recovery key loses every report's personal data for good: "
        "nobody, not even the developers, can get it back.")


def _username(username):
    if not USERNAME.match(username):
        raise click.BadParameter("use 3 to 30 lowercase letters, digits, dots, dashes or underscores",
                                 param_hint="--username")
    return username


def _password(from_stdin, prompt="Password", username=""):
    """A new password: the next line of standard input, or asked for twice; refused when easy to guess."""
    password = sys.stdin.readline().rstrip("\r\n") if from_stdin else \
        click.prompt(prompt, hide_input=True, confirmation_prompt=True)
    if len(password) < MIN_PASSWORD:
        raise click.UsageError(f"the password needs at least {MIN_PASSWORD} characters")
    if passwords.problem(password, username):
        raise click.UsageError("the password is too easy to guess (a common password or close to one): "
                               "choose a longer phrase")
    return password


def _new_account(office, username, role, password):
    """An account with its own key pair locked under `password` (not saved)."""
    account = Staff(office_code=office, username=username, role=role)
    account.set_password(password, current_app.config["KDF_MEMORY_MB"])
    return account


@bp.cli.command("create-staff")
@click.option("--office", required=True, help="Kemendagri code of the office, e.g. 36.73.")
@click.option("--username", required=True, help="3 to 30 lowercase letters, digits, dots, dashes or underscores.")
@click.option("--role", required=True, type=click.Choice(list(ROLES)), help="petugas (staff) or admin.")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input.")
def create_staff(office, username, role, password_stdin):
    """Create a staff account of an office (asks for the password unless --password-stdin)."""
    if office not in regions.office_codes():
        raise click.BadParameter(f"unknown office; one of {', '.join(regions.office_codes())}", param_hint="--office")
    _username(username)
    password = _password(password_stdin)
    with db.connection_context():
        if Staff.find(office, username):
            raise click.UsageError(f"office {office} already has an account named {username}")
        account = _new_account(office, username, role, password)
        with writing():
            account.save()
            AuditLog.record(office, "(command line)", "account_add", username, role=role)
        has_keys = Keyring.exists(office)
    click.echo(f"created {role} account {username} of {regions.office_name(office)} ({office})")
    if has_keys:
        click.echo("It can read reporters' personal data once an account holding the office key signs in "
                   "(or after `kiosk recover`).")
    else:
        click.echo("The office has no keys yet: `kiosk init-keys` gives it them, and this account the key.")


@bp.cli.command("init-keys")
@click.option("--admin", default=None, help="Also create the office's first admin account with this username.")
@click.option("--password-stdin", is_flag=True, help="Read the admin's password from the first line of standard input.")
@click.option("--if-missing", is_flag=True, help="Do nothing (and succeed) when the office already has its keys.")
def init_keys(admin, password_stdin, if_missing):
    """Give this office (or the hub) its key pair, print its recovery key once, and grant the key to its
    accounts (and to a first admin, --admin)."""
    office = current_app.config["OFFICE_CODE"]
    with db.connection_context():
        if Keyring.exists(office):
            if if_missing:
                return
            raise click.ClickException(f"{office} already has its keys; `kiosk recover` hands them to an admin")
        if admin and Staff.find(office, _username(admin)):
            raise click.UsageError(f"office {office} already has an account named {admin}")
        account = _new_account(office, admin, "admin", _password(password_stdin)) if admin else None
        holders = []

        def grant_all(office_key):  # in the transaction that makes the keys: never keys nobody holds
            if account:
                account.save()
                AuditLog.record(office, "(command line)", "account_add", account.username, role="admin")
            holders.extend(Staff.of_office(office).where(Staff.public_key != "", Staff.active == True))  # noqa: E712
            for holder in holders:
                holder.give_office_key(office_key)
                holder.save()
                AuditLog.record(office, "(command line)", "key_grant", holder.username)
            AuditLog.record(office, "(command line)", "keys_created")

        summary = ""
        if legacy.has_readable():
            printed, summary = legacy.seal_existing(current_app.config, office, grant_all)
        else:
            with writing():
                office_key, printed = Keyring.create_for(office)
                grant_all(office_key)
    click.echo(f"{regions.office_name(office)} ({office}) has its keys; "
               f"granted to: {', '.join(h.username for h in holders) or 'no account yet'}.")
    if summary:
        click.echo(summary)
    click.echo("RECOVERY KEY (shown only now; print it or write it down and keep it in the office safe):")
    click.echo(printed)
    click.echo(LOSS)


@bp.cli.command("recover")
@click.option("--username", required=True, help="The admin account to hand the office key to (made if missing).")
@click.option("--stdin", "from_stdin", is_flag=True,
              help="Read the recovery key, then the account's new password, from the first two lines of standard input.")
def recover(username, from_stdin):
    """Unlock the office key with the recovery key and hand it to an admin account, with a new password."""
    office = current_app.config["OFFICE_CODE"]
    _username(username)
    printed = sys.stdin.readline().strip() if from_stdin else click.prompt("Recovery key", hide_input=True)
    with db.connection_context():
        try:
            office_key = Keyring.recover(office, printed)
        except NoKeys:
            raise click.ClickException(f"{office} has no keys yet: run `kiosk init-keys`")
        except keys.Locked:
            raise click.ClickException("that is not this office's recovery key")
        password = _password(from_stdin, "New password")
        account = Staff.find(office, username)
        with writing():
            if account is None:
                account = Staff(office_code=office, username=username, role="admin")
            account.set_password(password, current_app.config["KDF_MEMORY_MB"])
            account.active = True
            account.give_office_key(office_key)
            account.save()
            AuditLog.record(office, "(command line)", "key_recover", account.username, role=account.role)
    click.echo(f"{account.username} ({account.role}) of {regions.office_name(office)} holds the office key, "
               "with the new password. It hands the key on to the other accounts as they sign in.")
