"""`kiosk create-staff`: an account from the command line, the password read from standard input."""
import re
import sys

import click

from .. import regions
from ..db import db, writing
from .blueprint import bp
from .choices import ROLES
from .forms import MIN_PASSWORD
from .models import AuditLog, Staff

USERNAME = re.compile(r"^[a-z0-9._-]{3,30}$")


@bp.cli.command("create-staff")
@click.option("--office", required=True, help="Kemendagri code of the office, e.g. 36.73.")
@click.option("--username", required=True, help="3 to 30 lowercase letters, digits, dots, dashes or underscores.")
@click.option("--role", required=True, type=click.Choice(list(ROLES)), help="petugas (staff) or admin.")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input.")
def create_staff(office, username, role, password_stdin):
    """Create a staff account of an office (asks for the password unless --password-stdin)."""
    if office not in regions.office_codes():
        raise click.BadParameter(f"unknown office; one of {', '.join(regions.office_codes())}", param_hint="--office")
    if not USERNAME.match(username):
        raise click.BadParameter("use 3 to 30 lowercase letters, digits, dots, dashes or underscores",
                                 param_hint="--username")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < MIN_PASSWORD:
        raise click.UsageError(f"the password needs at least {MIN_PASSWORD} characters")
    with db.connection_context():
        if Staff.find(office, username):
            raise click.UsageError(f"office {office} already has an account named {username}")
        account = Staff(office_code=office, username=username, role=role)
        account.set_password(password)
        with writing():
            account.save()
            AuditLog.record(office, "(command line)", "account_add", username, role=role)
    click.echo(f"created {role} account {username} of {regions.office_name(office)} ({office})")
