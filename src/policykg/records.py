"""What the parsers read out of the documents, before any resolution or RDF.

Parsers return these plain records, each with the span it was read from; resolving names against
the registry and minting IRIs happen later, in :mod:`policykg.mapping`. Keeping the two apart lets
the parsers be tested on text alone and lets the evaluation compare records with a hand annotation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .text import Span


@dataclass(frozen=True)
class Problem:
    """Something a parser met and could not read; reported with file and line, never guessed at."""

    doc: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.doc}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Named:
    """A name as written, with where it was written."""

    text: str
    span: Span


@dataclass(frozen=True)
class PolicyLineRecord:
    number: int
    title: str
    span: Span


@dataclass(frozen=True)
class ClusterRecord:
    number: int
    title: str
    policy_line: int | None
    span: Span


@dataclass(frozen=True)
class DomainRecord:
    text: str
    coordinating: bool
    span: Span


@dataclass(frozen=True)
class BudgetRecord:
    """One amount of an action's budget column."""

    amount: Decimal
    span: Span
    competences: tuple[str, ...]
    row: int
    recipient: Named | None = None
    period: str | None = None
    note: str | None = None
    breakdown_of: int | None = None
    """Index (in the action's budgets) of the total this amount is a part of."""


@dataclass(frozen=True)
class ReportRowRecord:
    """One row of an action's reporting table: competence cell, description, budget column text."""

    index: int
    competences: tuple[str, ...]
    text: str
    budget_text: str
    span: Span
    lines: tuple[tuple[int, str], ...] = ()
    """The row's description lines (number, text), without labels, budget column or page markers."""


@dataclass(frozen=True)
class ActionRecord:
    code: str
    cluster: int
    title: str
    description: str
    title_span: Span
    description_span: Span
    description_lines: tuple[tuple[int, str], ...]
    status: Named
    ministers: tuple[Named, ...]
    domains: tuple[DomainRecord, ...]
    involved: tuple[Named, ...]
    rows: tuple[ReportRowRecord, ...]
    budgets: tuple[BudgetRecord, ...]
    span: Span


@dataclass(frozen=True)
class ProgressReportRecord:
    policy_lines: tuple[PolicyLineRecord, ...]
    clusters: tuple[ClusterRecord, ...]
    actions: tuple[ActionRecord, ...]
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class FieldOfActionRecord:
    number: int
    title: str
    span: Span


@dataclass(frozen=True)
class MemberRecord:
    """A member of a collaboration as a document lists it."""

    text: str
    role: str
    span: Span


@dataclass(frozen=True)
class CollaborationRecord:
    """A collaboration (platform, network) and the members a document lists for it."""

    name: Named
    members: tuple[MemberRecord, ...]


@dataclass(frozen=True)
class ConceptNoteRecord:
    fields_of_action: tuple[FieldOfActionRecord, ...]
    collaborations: tuple[CollaborationRecord, ...]
    problems: tuple[Problem, ...] = field(default_factory=tuple)
