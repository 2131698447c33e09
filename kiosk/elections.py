"""The elections an office handles and the rules each runs by. A Pemilu (UU 7/2017 Pasal 454, Perbawaslu
7/2022) counts working days; a Pilkada (UU 1/2015 as amended, Pasal 134; Perbawaslu 8/2020 as amended by
9/2024) counts calendar days and decides faster. Both ship as presets; every rule can be changed per election."""
import datetime as dt
import string
import uuid

import peewee as pw

from kiosk.i18n import lazy_gettext as _l

from . import regions
from .db import BaseModel, writing
from .deadlines import RULE_FIELDS, Rules, office_rules
from .models import JSONText, utcnow

KINDS = {"pemilu": _l("Pemilu (general election)"), "pilkada": _l("Pilkada (regional head election)")}
LEVELS = {"gubernur": _l("Governor"), "bupati": _l("Regent (bupati)"), "walikota": _l("Mayor (walikota)")}
# The registration-number code of a Pilkada by level (Perbawaslu 8/2020's form: PG, PB, PW).
PILKADA_CODES = {"gubernur": "PG", "bupati": "PB", "walikota": "PW"}
PLACEHOLDERS = {"seq", "level", "office", "month", "year"}
QUIET_DAYS = 3  # the quiet period (masa tenang): the three days before voting day


def pilkada_rules(level="bupati"):
    """The Pilkada preset: 7 days to report (UU 1/2015 Pasal 134(4)), calendar days throughout, the
    initial review in 2 days, the reporter completes within 2×24 hours, a decision in 3 days plus 2 with
    more information (Pasal 134(5)-(6)), the status notice on Formulir Model A.17."""
    code = PILKADA_CODES.get(level, "PB")
    return Rules(report_days=7, report_working=False, kajian_days=2, kajian_working=False, completion_days=2,
                 completion_working=False, decision_days=3, decision_working=False, extension_days=2,
                 registration_pattern="{seq:02d}/Reg/L.P/" + code + "/{level}/{office}/{month}/{year}",
                 notice_form="A.17")


def preset(kind, level=""):
    """The rules an election of `kind` starts with: the Pemilu's are the office's settings."""
    return pilkada_rules(level) if kind == "pilkada" else office_rules()


def pattern_problem(pattern):
    """Why `pattern` cannot number registrations (unknown placeholders, a format other than digits), or None."""
    try:
        parts = list(string.Formatter().parse(pattern))
    except ValueError:
        return _l("The pattern has an unmatched brace.")
    for _text, name, spec, conversion in parts:
        if name is not None and (name not in PLACEHOLDERS or conversion or (spec and spec not in ("02d", "03d", "04d"))):
            return _l("Use only {seq}, {seq:03d}, {level}, {office}, {month} and {year}.")
    if "seq" not in {name for _text, name, _spec, _conv in parts}:
        return _l("The pattern needs {seq}, the registration's sequence number.")
    return None


class Election(BaseModel):
    """One election the office takes reports about, with its rules."""

    id = pw.CharField(primary_key=True, default=lambda: uuid.uuid4().hex)
    office_code = pw.CharField(index=True)
    kind = pw.CharField()  # KINDS
    level = pw.CharField(default="")  # LEVELS, for a Pilkada
    name = pw.CharField()  # as citizens read it: "Pilkada Kota Serang 2029"
    voting_day = pw.DateField()
    quiet_start = pw.DateField(null=True)
    quiet_end = pw.DateField(null=True)
    rules = JSONText(default=dict)
    open = pw.BooleanField(default=True)  # reports are still taken about it
    created_at = pw.DateTimeField(default=utcnow)

    @property
    def rule_set(self):
        """The election's rules, its preset's where a rule is not stored."""
        stored = {name: value for name, value in (self.rules or {}).items() if name in RULE_FIELDS}
        return Rules(**{**preset(self.kind, self.level).as_dict(), **stored})

    def is_quiet(self, day):
        """Whether `day` is in the quiet period or is voting day (the office takes reports around the clock)."""
        return day == self.voting_day or bool(self.quiet_start and self.quiet_start <= day <= (self.quiet_end or day))

    @classmethod
    def of_office(cls, office_code):
        """The office's elections, the newest voting day first."""
        return cls.select().where(cls.office_code == office_code).order_by(cls.voting_day.desc(), cls.name)

    @classmethod
    def open_of(cls, office_code):
        """The elections of the office that reports are still taken about, the nearest voting day first."""
        return list(cls.select().where((cls.office_code == office_code) & (cls.open == True))  # noqa: E712
                    .order_by(cls.voting_day, cls.name))


def add(office_code, kind, name, voting_day, level="", rules=None, quiet_start=None, quiet_end=None):
    """Store a new election of `kind` with its preset's rules, `rules` ({name: value}) on top."""
    quiet_start = quiet_start or voting_day - dt.timedelta(days=QUIET_DAYS)
    quiet_end = quiet_end or voting_day - dt.timedelta(days=1)
    with writing():
        election = Election(office_code=office_code, kind=kind, level=level if kind == "pilkada" else "",
                            name=name, voting_day=voting_day, quiet_start=quiet_start, quiet_end=quiet_end,
                            rules={**preset(kind, level).as_dict(), **(rules or {})})
        election.save(force_insert=True)
    return election


def election_of(report):
    """The report's election, or None (its office's default rules apply)."""
    return Election.get_or_none(Election.id == report.election_id) if report.election_id else None


def rules_of(report):
    """The rules the report's deadlines are counted by."""
    election = election_of(report)
    return election.rule_set if election else office_rules()


def default_for(office_code):
    """The election a report belongs to when the citizen is not asked: the office's only open one, or None."""
    opened = Election.open_of(office_code)
    return opened[0] if len(opened) == 1 else None


def chosen(office_code, election_id):
    """The open election of the office a citizen chose (`election_id`), else the office's only open one, or None."""
    picked = next((e for e in Election.open_of(office_code) if e.id == election_id), None) if election_id else None
    return picked or default_for(office_code)


def label(election):
    """How an election is named to a citizen or in a list."""
    return election.name if election else _l("Pemilu (the office's default rules)")


def region_label(office_code):
    """The office's region name, for an election's default name ('Pilkada Kota Serang 2029')."""
    return regions.name(office_code) if office_code != regions.PROVINCE else "Banten"


MODELS = [Election]
