"""Elections at the office (`/staff/pemilihan`, admins): add one from its preset, with any rule changed,
open or close it; and a report's election, corrected by staff, with every deadline counted again."""
import click
from flask import abort, current_app, flash, g, redirect, request, url_for
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from kiosk.i18n import gettext as _
from kiosk.i18n import lazy_gettext as _l

from .. import elections
from ..db import writing
from ..deadlines import is_late, kajian_awal_due, local_date, completion_due, office_rules
from ..elections import Election
from ..fields import date_field, options
from ..models import Report, StatusEvent, utcnow
from ..web import render
from . import audit
from .access import admin_only, own_report
from .blueprint import bp
from .forms import StaffForm
from .models import AuditLog
from .workflow import due_on

DAY_RULES = ("report_days", "kajian_days", "completion_days", "decision_days", "extension_days")
WORKING_RULES = ("report_working", "kajian_working", "completion_working", "decision_working")
RULE_LABELS = {
    "report_days": _l("Days to report after learning of it"), "kajian_days": _l("Days for the initial review"),
    "completion_days": _l("Days for the reporter to complete"), "decision_days": _l("Days to decide after registration"),
    "extension_days": _l("Extra days when more information is needed"),
    "report_working": _l("Reporting days are working days"), "kajian_working": _l("Review days are working days"),
    "completion_working": _l("Completion days are working days"),
    "decision_working": _l("Decision days are working days"),
    "registration_pattern": _l("Registration number pattern"), "notice_form": _l("Status notice form"),
}


def _days(name):
    return IntegerField(RULE_LABELS[name], validators=[Optional(), NumberRange(0, 60, _l("From 0 to 60 days."))])


class ElectionForm(StaffForm):
    """A new election: its kind and name, voting day, and any rule that differs from its preset."""

    kind = SelectField(_l("Kind"), choices=options(elections.KINDS), validators=[InputRequired()])
    level = SelectField(_l("For a Pilkada: which"), choices=options(elections.LEVELS, _l("Not a Pilkada")),
                        validate_choice=False)
    name = StringField(_l("Name, as citizens read it"), validators=[DataRequired(_l("Enter the election's name.")),
                                                                      Length(max=100)])
    voting_day = date_field(_l("Voting day"), InputRequired(_l("Enter the voting day.")))
    report_days, kajian_days, completion_days = _days("report_days"), _days("kajian_days"), _days("completion_days")
    decision_days, extension_days = _days("decision_days"), _days("extension_days")
    registration_pattern = StringField(RULE_LABELS["registration_pattern"], validators=[Optional(), Length(max=60)])

    def validate_level(self, field):
        if self.kind.data == "pilkada" and field.data not in elections.LEVELS:
            raise ValidationError(_l("Choose which Pilkada it is."))

    def validate_registration_pattern(self, field):
        problem = field.data and elections.pattern_problem(field.data)
        if problem:
            raise ValidationError(problem)

    def rules(self):
        """The rules typed in (the blank ones come from the preset)."""
        typed = {name: self[name].data for name in DAY_RULES if self[name].data is not None}
        if self.registration_pattern.data:
            typed["registration_pattern"] = self.registration_pattern.data.strip()
        return typed


class ReportElectionForm(StaffForm):
    """The election a report is about, corrected by staff."""

    election = SelectField(_l("Election"), validate_choice=False)


@bp.route("/pemilihan", methods=["GET", "POST"])
@admin_only
def elections_page():
    """The office's elections and their rules; add one."""
    form = ElectionForm(request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate():
        election = elections.add(g.staff.office_code, form.kind.data, form.name.data.strip(), form.voting_day.data,
                                 level=form.level.data or "", rules=form.rules())
        audit.record("election_add", target=election.name, kind=election.kind, **election.rules)
        flash(_("The election “%(name)s” is added.", name=election.name), "success")
        return redirect(url_for("staff.elections_page"), code=303)
    shown = [(election, election.rule_set) for election in Election.of_office(g.staff.office_code)]
    return render("staff/elections.html", status=400 if request.method == "POST" else 200, title=_("Elections"),
                  form=form, elections=shown, kinds=elections.KINDS, levels=elections.LEVELS,
                  rule_labels=RULE_LABELS, default_rules=office_rules())


@bp.post("/pemilihan/<election_id>/buka")
@admin_only
def election_open(election_id):
    """Open or close an election: citizens are asked only about the open ones."""
    election = Election.get_or_none((Election.id == election_id) & (Election.office_code == g.staff.office_code))
    if election is None:
        abort(404)
    with writing():
        election.open = request.form.get("open") == "1"
        election.save()
    audit.record("election_open" if election.open else "election_close", target=election.name)
    return redirect(url_for("staff.elections_page"), code=303)


def change_election(report, election, actor):
    """Move `report` to `election` (None: the office's default rules) and count its deadlines again: whether it
    was filed late, the initial review, the completion window and the decision. Audited."""
    rules = election.rule_set if election else office_rules()
    with writing():
        report = Report.get_by_id(report.id)
        previous = report.election_id
        received_on = local_date(report.submitted_at)
        report.election_id = election.id if election else ""
        report.late = is_late(report.learned_on, received_on, rules)
        report.kajian_awal_due = kajian_awal_due(received_on, rules)
        if report.completion_due:
            noticed = (StatusEvent.select(StatusEvent.at).where((StatusEvent.report == report)
                       & (StatusEvent.status == "perlu_dilengkapi")).order_by(StatusEvent.at.desc()).scalar())
            if noticed:
                report.completion_due = completion_due(local_date(noticed), rules)
        report.due_on, report.updated_at = due_on(report, rules), utcnow()
        report.save()
        audit.record("election_change", target=report.receipt_no, actor=actor.username, office_code=actor.office_code,
                     **{"from": previous, "to": report.election_id})
    return report


@bp.post("/laporan/<uuid:report_id>/pemilihan")
def report_election(report_id):
    """Correct the election a report is about."""
    report = own_report(report_id)
    form = ReportElectionForm(request.form)
    wanted = form.election.data or ""
    election = Election.get_or_none((Election.id == wanted) & (Election.office_code == report.office_code))
    if wanted and election is None:
        flash(_("Choose an election from the list."), "error")
    else:
        change_election(report, election, g.staff)
        flash(_("The report's election is changed; its deadlines are counted again."), "success")
    return redirect(url_for("staff.report", report_id=report.id), code=303)


@bp.cli.group("elections")
def elections_command():
    """The office's elections and their rules."""


@elections_command.command("add")
@click.option("--kind", type=click.Choice(list(elections.KINDS)), required=True)
@click.option("--level", type=click.Choice(list(elections.LEVELS)), default=None, help="for a Pilkada")
@click.option("--name", required=True, help="as citizens read it, e.g. 'Pilkada Kota Serang 2029'")
@click.option("--voting-day", type=click.DateTime(["%Y-%m-%d"]), required=True)
@click.option("--rule", "rules", multiple=True, metavar="NAME=VALUE", help="a rule changed from the preset")
def elections_add(kind, level, name, voting_day, rules):
    """Add an election, with its kind's preset rules."""
    if kind == "pilkada" and not level:
        raise click.UsageError("a Pilkada needs --level (gubernur, bupati or walikota)")
    changed = dict(_rule(text) for text in rules)
    office = current_app.config["OFFICE_CODE"]
    election = elections.add(office, kind, name, voting_day.date(), level=level or "", rules=changed)
    with writing():
        AuditLog.record(office, "(command line)", "election_add", election.name, kind=kind, **election.rules)
    click.echo(f"{election.id}  {election.name}")


def _rule(text):
    """A NAME=VALUE rule from the command line, checked."""
    name, _sep, value = text.partition("=")
    if name in DAY_RULES and value.isdigit() and int(value) <= 60:
        return name, int(value)
    if name in WORKING_RULES and value in ("true", "false"):
        return name, value == "true"
    if name == "registration_pattern" and not elections.pattern_problem(value):
        return name, value
    if name == "notice_form" and value in ("", "A.17"):
        return name, value
    raise click.BadParameter(f"{text!r}: not a rule (days 0-60, *_working true|false, a registration pattern)",
                             param_hint="--rule")


@elections_command.command("list")
def elections_list():
    """The office's elections and their rules."""
    for election in Election.of_office(current_app.config["OFFICE_CODE"]):
        rules = election.rule_set
        state = "open" if election.open else "closed"
        click.echo(f"{election.id}  {election.kind:<7} {election.voting_day}  {state:<6}  {election.name}")
        click.echo("    " + ", ".join(f"{name}={value}" for name, value in rules.as_dict().items()))
