"""The curated actor registry and name resolution against it.

The registry is what turns "de VVSG", "Vereniging van Vlaamse Steden en Gemeenten" and
"VVSG-werkgroep" into the same few resources. It is curated by people, in YAML and CSV under
``data/registry/``; this module checks those records (ids, codes, parents, aliases) and answers
"which actor is this name?". It never guesses: a name is either an alias, a deliberate decision
written down in ``decisions.yaml``, or unresolved, and unresolved names are reported with file and
line by the caller.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from .data import DataError, LocatedDict, LocatedList, Where, parse_csv, read_text, read_yaml
from .text import Text, collapse

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class Kind(StrEnum):
    """What sort of registry entry an agent is; decides its IRI path and its RDF classes."""

    ORGANISATION = "organisation"
    COLLABORATION = "collaboration"
    MUNICIPALITY = "municipality"
    PROVINCE = "province"
    REGION = "region"
    PERSON = "person"
    POST = "post"
    PORTFOLIO = "portfolio"
    GROUP = "group"


IRI_SEGMENT: Mapping[Kind, str] = {
    Kind.ORGANISATION: "organisation",
    Kind.COLLABORATION: "organisation",
    Kind.MUNICIPALITY: "municipality",
    Kind.PROVINCE: "province",
    Kind.REGION: "organisation",
    Kind.PERSON: "person",
    Kind.POST: "post",
    Kind.PORTFOLIO: "post",
    Kind.GROUP: "group",
}


@dataclass(frozen=True)
class Agent:
    """One curated actor: an organisation, network, municipality, person, post or portfolio."""

    id: str
    kind: Kind
    name: str
    where: Where
    name_en: str | None = None
    acronyms: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    type: str | None = None
    level: str | None = None
    parent: str | None = None
    domain: str | None = None
    public: bool = False
    note: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def iri_path(self) -> str:
        """The part of the IRI after ``{base}id/``."""
        return f"{IRI_SEGMENT[self.kind]}/{self.id}"


@dataclass(frozen=True)
class Domain:
    """A policy domain, with the competence labels its reporting rows use."""

    id: str
    notation: str
    name: str
    where: Where
    name_en: str | None = None
    competences: tuple[str, ...] = ()
    department: str | None = None
    funder: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Plan:
    """A plan version or policy framework the documents report on."""

    id: str
    kind: str
    title: str
    where: Where
    title_en: str | None = None
    adopted: date | None = None
    adopted_by: str | None = None
    revises: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Project:
    """A named project, curated with the document lines it was read from."""

    id: str
    name: str
    where: Where
    aliases: tuple[str, ...] = ()
    implementers: tuple[str, ...] = ()
    funder: str | None = None
    start: str | None = None
    end: str | None = None
    period_text: str | None = None
    action: str | None = None
    source_document: str | None = None
    source_lines: tuple[int, int] | None = None
    note: str | None = None


@dataclass(frozen=True)
class Decision:
    """A curator's written decision about a name that is not simply an alias of one actor."""

    as_written: str
    to: tuple[str, ...]
    where: Where
    note: str


@dataclass(frozen=True)
class Government:
    id: str
    name: str
    organisation: str
    start: date
    end: date
    where: Where


@dataclass(frozen=True)
class Resolution:
    """The outcome of resolving a name: zero or more agents, and how they were found."""

    as_written: str
    agents: tuple[Agent, ...]
    via: str
    decision: Decision | None = None


_DASHES = re.compile(r"[–—−]")
_PARENTHESISED = re.compile(r"^\((.*)\)$")
_LEADING = re.compile(r"^(?:(?:de|het|'t|the|een|vzw|v\.z\.w\.|asbl)\s+)+")
_TRAILING_FORM = re.compile(r"(?:\s+(?:vzw|v\.z\.w\.|asbl))+$")


@functools.lru_cache(maxsize=65536)
def normalise(name: str) -> str:
    """The matching key of a name: case, quotes, dashes, articles and legal forms do not count.

    Cached: the gazetteer asks for the same word runs of every sentence again and again (and most
    runs are new, so the patterns are compiled once here rather than looked up on every call).
    """
    text = unicodedata.normalize("NFKC", name)
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = _DASHES.sub("-", text).replace("-", " ")
    text = collapse(text).lower().strip(" .,;:'\"")
    text = _PARENTHESISED.sub(r"\1", text)
    text = _LEADING.sub("", text)
    text = _TRAILING_FORM.sub("", text)
    return collapse(text)


_ENTITY_PREFIXES: tuple[tuple[str, frozenset[Kind]], ...] = (
    ("stad ", frozenset({Kind.MUNICIPALITY})),
    ("gemeente ", frozenset({Kind.MUNICIPALITY})),
    ("provincie ", frozenset({Kind.PROVINCE})),
)


class Registry:
    """All curated entries, validated, with a name index for resolution."""

    def __init__(
        self,
        agents: Iterable[Agent],
        domains: Iterable[Domain],
        plans: Iterable[Plan],
        decisions: Iterable[Decision],
        government: Government | None,
        derived_aliases: Mapping[str, str] | None = None,
        projects: Iterable[Project] = (),
    ) -> None:
        self.projects: dict[str, Project] = {}
        for project in projects:
            if project.id in self.projects:
                raise project.where.error(f"duplicate project id {project.id!r}")
            self.projects[project.id] = project
        self.agents: dict[str, Agent] = {}
        for agent in agents:
            if agent.id in self.agents:
                first = self.agents[agent.id].where
                raise agent.where.error(f"duplicate id {agent.id!r} (first defined at {first.file}:{first.line})")
            self.agents[agent.id] = agent
        self.domains: dict[str, Domain] = {}
        for domain in domains:
            if domain.id in self.domains:
                raise domain.where.error(f"duplicate domain id {domain.id!r}")
            self.domains[domain.id] = domain
        self.plans = {plan.id: plan for plan in plans}
        self.government = government
        self.decisions: dict[str, Decision] = {}
        for decision in decisions:
            key = normalise(decision.as_written)
            if key in self.decisions:
                first = self.decisions[key].where
                raise decision.where.error(
                    f"a decision for {decision.as_written!r} already exists at {first.file}:{first.line}"
                )
            for target in decision.to:
                if target not in self.agents:
                    raise decision.where.error(f"decision points to unknown registry id {target!r}")
            self.decisions[key] = decision
        self._check_references()
        self.index: dict[str, str] = {}
        self._index_names()
        for alias, agent_id in (derived_aliases or {}).items():
            self.index.setdefault(normalise(alias), agent_id)
        self._domain_index = self._index_domains()
        # Generic phrases that name an entry only in a context: "het aanspreekpunt" inside a reporting
        # row of one competence, "de stuurgroep" inside the report of one action.
        self.row_aliases: dict[str, list[tuple[str, frozenset[str]]]] = {}
        self.action_aliases: dict[str, list[tuple[str, frozenset[str]]]] = {}
        for agent in self.agents.values():
            for alias in agent.extra.get("row_aliases", ()):
                competences = frozenset(normalise(c) for c in agent.extra.get("competences", ()))
                self.row_aliases.setdefault(normalise(alias), []).append((agent.id, competences))
            for alias in agent.extra.get("action_aliases", ()):
                actions = frozenset(agent.extra["in_actions"])
                for other_id, other_actions in self.action_aliases.get(normalise(alias), []):
                    if other_actions & actions:
                        raise agent.where.error(
                            f"action alias {alias!r} already names {other_id!r} in action(s) "
                            f"{', '.join(sorted(other_actions & actions))}"
                        )
                self.action_aliases.setdefault(normalise(alias), []).append((agent.id, actions))

    # -- validation -------------------------------------------------------------------------

    def _check_references(self) -> None:
        for agent in self.agents.values():
            if agent.parent is not None and agent.parent not in self.agents:
                raise agent.where.error(f"parent {agent.parent!r} of {agent.id!r} is not a registry id")
            if agent.domain is not None and agent.domain not in self.domains:
                raise agent.where.error(f"domain {agent.domain!r} of {agent.id!r} is not a policy domain id")
            for key in ("holder", "in", "region", "organisation"):
                target = agent.extra.get(key)
                if target is not None and target not in self.agents:
                    raise agent.where.error(f"{key} {target!r} of {agent.id!r} is not a registry id")
        for domain in self.domains.values():
            for key, target in (("department", domain.department), ("funder", domain.funder)):
                if target is not None and target not in self.agents:
                    raise domain.where.error(f"{key} {target!r} is not a registry id")
        for project in self.projects.values():
            for target in (*project.implementers, project.funder):
                if target is not None and target not in self.agents:
                    raise project.where.error(f"project {project.id!r}: {target!r} is not a registry id")
        for plan in self.plans.values():
            if plan.revises is not None and plan.revises not in self.plans:
                raise plan.where.error(f"plan {plan.id!r} revises unknown plan {plan.revises!r}")
            if plan.adopted_by is not None and plan.adopted_by not in self.agents:
                raise plan.where.error(f"plan {plan.id!r} adopted by unknown registry id {plan.adopted_by!r}")
        if self.government and self.government.organisation not in self.agents:
            raise self.government.where.error(f"government organisation {self.government.organisation!r} unknown")

    def _index_names(self) -> None:
        """Index names, acronyms and aliases; one key naming two actors is a curation error."""
        owners: dict[str, tuple[Agent, str]] = {}
        for agent in self.agents.values():
            names = [agent.name, *agent.acronyms, *agent.aliases]
            if agent.name_en:
                names.append(agent.name_en)
            for name in names:
                key = normalise(name)
                if not key:
                    raise agent.where.error(f"empty name or alias in {agent.id!r}")
                if key in self.decisions:
                    continue  # a written decision overrides the plain alias
                if key in owners and owners[key][0].id != agent.id:
                    other, other_name = owners[key]
                    raise agent.where.error(
                        f"alias {name!r} of {agent.id!r} also names {other.id!r} "
                        f"({other.where.file}:{other.where.line}, as {other_name!r}); "
                        "make the aliases distinct or record a decision in decisions.yaml"
                    )
                owners[key] = (agent, name)
        self.index = {key: agent.id for key, (agent, _) in owners.items()}

    def _index_domains(self) -> dict[str, Domain]:
        index: dict[str, Domain] = {}
        for domain in self.domains.values():
            for name in (domain.notation, domain.name, domain.id):
                index[normalise(name)] = domain
        return index

    # -- queries ----------------------------------------------------------------------------

    def resolve(
        self,
        written: str,
        kinds: Iterable[Kind] | None = None,
        competences: Iterable[str] = (),
        action: str | None = None,
    ) -> Resolution | None:
        """Resolve a name as written; ``None`` means unresolved (the caller reports it).

        ``competences`` are those of the reporting row the name stands in, ``action`` the code of
        the action whose report it is in; they make generic phrases resolve in context ("het
        aanspreekpunt" to the post of that row's domain, "de stuurgroep" to that action's one).
        """
        wanted = frozenset(kinds) if kinds is not None else None
        key = normalise(written)
        if not key:
            return None
        row = {normalise(c) for c in competences}
        if row and key in self.row_aliases and key not in self.index:
            for agent_id, post_competences in self.row_aliases[key]:
                agent = self.agents[agent_id]
                if post_competences & row and (wanted is None or agent.kind in wanted):
                    return Resolution(collapse(written), (agent,), "row alias")
        if action is not None and key in self.action_aliases and key not in self.index:
            for agent_id, actions in self.action_aliases[key]:
                agent = self.agents[agent_id]
                if action in actions and (wanted is None or agent.kind in wanted):
                    return Resolution(collapse(written), (agent,), "action alias")
        decision = self.decisions.get(key)
        if decision is not None:
            agents = tuple(self.agents[i] for i in decision.to)
            return Resolution(collapse(written), agents, "decision", decision)
        candidates = [(key, wanted)]
        for prefix, prefix_kinds in _ENTITY_PREFIXES:
            if key.startswith(prefix):
                narrowed = prefix_kinds if wanted is None else prefix_kinds & wanted
                candidates.append((key[len(prefix) :], narrowed))
        for candidate, allowed in candidates:
            agent_id = self.index.get(candidate)
            if agent_id is None:
                continue
            agent = self.agents[agent_id]
            if allowed is not None and agent.kind not in allowed:
                continue
            return Resolution(collapse(written), (agent,), "alias")
        return None

    def domain(self, written: str) -> Domain | None:
        return self._domain_index.get(normalise(written))

    def competence_domain(self, competence: str) -> Domain | None:
        key = normalise(competence)
        for domain in self.domains.values():
            if any(normalise(c) == key for c in domain.competences):
                return domain
        return None

    @property
    def competence_labels(self) -> tuple[str, ...]:
        """Every competence label, longest first so that prefixes do not shadow longer labels."""
        labels = {c for d in self.domains.values() for c in d.competences}
        return tuple(sorted(labels, key=lambda c: (-len(c), c)))

    def by_kind(self, *kinds: Kind) -> list[Agent]:
        return [a for a in self.agents.values() if a.kind in kinds]


# -- building typed entries from located YAML -----------------------------------------------


class EntryReader:
    """Reads one located YAML mapping field by field, with errors that name file and line."""

    def __init__(self, entry: Any, where: Where, allowed: Iterable[str]) -> None:
        if not isinstance(entry, LocatedDict):
            raise where.error("expected a mapping of fields")
        self.entry = entry
        self.where = entry.where
        unknown = sorted(set(entry) - set(allowed))
        if unknown:
            key = unknown[0]
            raise DataError(
                self.where.file,
                entry.line_of(key),
                f"unknown field {key!r} (allowed: {', '.join(sorted(allowed))})",
            )

    def error(self, key: str, message: str) -> DataError:
        return DataError(self.where.file, self.entry.line_of(key), message)

    def text(self, key: str, *, required: bool = False) -> str | None:
        value = self.entry.get(key)
        if value is None:
            if required:
                raise self.where.error(f"missing required field {key!r}")
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise self.error(key, f"field {key!r} must be text, not {type(value).__name__}")
        text = collapse(str(value))
        if required and not text:
            raise self.error(key, f"field {key!r} is empty")
        return text or None

    def required(self, key: str) -> str:
        value = self.text(key, required=True)
        assert value is not None
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.entry.get(key)
        if value is None:
            return ()
        if not isinstance(value, LocatedList):
            raise self.error(key, f"field {key!r} must be a list")
        out = []
        for item, line in zip(value, value.item_lines, strict=True):
            if not isinstance(item, str | int) or isinstance(item, bool):
                raise DataError(self.where.file, line, f"items of {key!r} must be text")
            out.append(collapse(str(item)))
        return tuple(out)

    def boolean(self, key: str, default: bool) -> bool:
        value = self.entry.get(key, default)
        if not isinstance(value, bool):
            raise self.error(key, f"field {key!r} must be true or false")
        return value

    def day(self, key: str) -> date | None:
        value = self.entry.get(key)
        if value is None:
            return None
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError as exc:
            raise self.error(key, f"field {key!r} must be a date YYYY-MM-DD, got {value!r}") from exc

    def ident(self, key: str = "id") -> str:
        value = self.required(key)
        if not ID_RE.match(value):
            raise self.error(key, f"id {value!r} must be lowercase letters, digits and hyphens")
        return value

    def code(self, key: str, allowed: frozenset[str], what: str, *, required: bool = True) -> str | None:
        value = self.text(key, required=required)
        if value is not None and value not in allowed:
            raise self.error(
                key,
                f"unknown {what} {value!r}; it is not declared in ontology/schemes.ttl "
                f"(known: {', '.join(sorted(allowed))})",
            )
        return value


ORG_FIELDS = (
    "id",
    "name",
    "name_en",
    "acronyms",
    "aliases",
    "type",
    "level",
    "parent",
    "domain",
    "public",
    "note",
    "action_aliases",
    "in_actions",
)


def organisations_from(
    entries: Any, where: Where, kind: Kind, levels: frozenset[str], types: frozenset[str]
) -> list[Agent]:
    """Organisations or collaborations from a located YAML list."""
    if entries is None:
        return []
    if not isinstance(entries, LocatedList):
        raise where.error("expected a list of entries")
    agents = []
    for entry in entries:
        r = EntryReader(entry, where, ORG_FIELDS)
        action_aliases, in_actions = r.texts("action_aliases"), r.texts("in_actions")
        if bool(action_aliases) != bool(in_actions):
            raise r.error("action_aliases", "action_aliases and in_actions go together")
        agents.append(
            Agent(
                id=r.ident(),
                kind=kind,
                name=r.required("name"),
                where=r.where,
                name_en=r.text("name_en"),
                acronyms=r.texts("acronyms"),
                aliases=r.texts("aliases"),
                type=r.code("type", types, "actor type"),
                level=r.code("level", levels, "governance level"),
                parent=r.text("parent"),
                domain=r.text("domain"),
                public=r.boolean("public", False),
                note=r.text("note"),
                extra={"action_aliases": action_aliases, "in_actions": in_actions} if action_aliases else {},
            )
        )
    return agents


def domains_from(entries: Any, where: Where) -> list[Domain]:
    if not isinstance(entries, LocatedList):
        raise where.error("expected a list of policy domains")
    domains = []
    for entry in entries:
        r = EntryReader(
            entry, where, ("id", "notation", "name", "name_en", "competences", "department", "funder", "note")
        )
        domains.append(
            Domain(
                id=r.ident(),
                notation=r.required("notation"),
                name=r.required("name"),
                where=r.where,
                name_en=r.text("name_en"),
                competences=r.texts("competences"),
                department=r.text("department"),
                funder=r.text("funder"),
                note=r.text("note"),
            )
        )
    return domains


def plans_from(entries: Any, where: Where, kinds: frozenset[str]) -> list[Plan]:
    if not isinstance(entries, LocatedList):
        raise where.error("expected a list of plans")
    plans = []
    for entry in entries:
        r = EntryReader(entry, where, ("id", "kind", "title", "title_en", "adopted", "adopted_by", "revises", "note"))
        plans.append(
            Plan(
                id=r.ident(),
                kind=r.code("kind", kinds, "plan kind") or "",
                title=r.required("title"),
                where=r.where,
                title_en=r.text("title_en"),
                adopted=r.day("adopted"),
                adopted_by=r.text("adopted_by"),
                revises=r.text("revises"),
                note=r.text("note"),
            )
        )
    return plans


def decisions_from(entries: Any, where: Where) -> list[Decision]:
    if entries is None:
        return []
    if not isinstance(entries, LocatedList):
        raise where.error("expected a list of decisions")
    decisions = []
    for entry in entries:
        r = EntryReader(entry, where, ("as_written", "to", "note"))
        note = r.text("note")
        if not note:
            raise r.where.error("every decision needs a note saying why")
        decisions.append(Decision(r.required("as_written"), r.texts("to"), r.where, note))
    return decisions


def government_from(doc: Any, where: Where) -> tuple[Government, list[Agent]]:
    """The government, its members (persons) and their portfolios (posts) from government.yaml."""
    r = EntryReader(doc, where, ("government", "persons", "portfolios"))
    g = EntryReader(r.entry.get("government"), r.where, ("id", "name", "organisation", "start", "end"))
    start, end = g.day("start"), g.day("end")
    if start is None or end is None:
        raise g.where.error("the government needs a start and an end date")
    government = Government(g.ident(), g.required("name"), g.required("organisation"), start, end, g.where)
    agents: list[Agent] = []
    for entry in r.entry.get("persons") or []:
        p = EntryReader(entry, r.where, ("id", "name", "public_office", "role", "organisation", "aliases", "note"))
        agents.append(
            Agent(
                id=p.ident(),
                kind=Kind.PERSON,
                name=p.required("name"),
                where=p.where,
                aliases=p.texts("aliases"),
                public=p.boolean("public_office", False),
                note=p.text("note"),
                extra={k: v for k in ("role", "organisation") if (v := p.text(k)) is not None},
            )
        )
    for entry in r.entry.get("portfolios") or []:
        p = EntryReader(entry, r.where, ("id", "name", "holder", "as_written", "start", "end", "note"))
        agents.append(
            Agent(
                id=p.ident(),
                kind=Kind.PORTFOLIO,
                name=p.required("name"),
                where=p.where,
                aliases=p.texts("as_written"),
                public=True,
                note=p.text("note"),
                extra={
                    "holder": p.required("holder"),
                    "in": government.organisation,
                    "start": p.day("start") or government.start,
                    "end": p.day("end") or government.end,
                },
            )
        )
    return government, agents


def posts_from(entries: Any, where: Where) -> list[Agent]:
    if entries is None:
        return []
    if not isinstance(entries, LocatedList):
        raise where.error("expected a list of posts")
    posts = []
    for entry in entries:
        r = EntryReader(entry, where, ("id", "name", "name_en", "in", "aliases", "holder", "competences",
                                       "row_aliases", "note"))  # fmt: skip
        extra: dict[str, Any] = {"in": r.required("in")}
        holder = r.text("holder")
        if holder:
            extra["holder"] = holder
        row_aliases = r.texts("row_aliases")
        competences = r.texts("competences")
        if row_aliases and not competences:
            raise r.error("row_aliases", "row_aliases need the competences of the rows they apply in")
        extra["row_aliases"] = row_aliases
        extra["competences"] = competences
        posts.append(
            Agent(
                id=r.ident(),
                kind=Kind.POST,
                name=r.required("name"),
                where=r.where,
                name_en=r.text("name_en"),
                aliases=r.texts("aliases"),
                public=True,
                note=r.text("note"),
                extra=extra,
            )
        )
    return posts


def places_from(doc: Any, where: Where, municipalities: list[Agent]) -> tuple[list[Agent], dict[str, str]]:
    """Regions and provinces (as agents) and extra municipality aliases from places.yaml."""
    r = EntryReader(doc, where, ("regions", "provinces", "municipality_aliases"))
    agents: list[Agent] = []
    for entry in r.entry.get("regions") or []:
        e = EntryReader(entry, r.where, ("id", "nis", "name", "name_en", "level", "aliases", "note"))
        agents.append(
            Agent(
                id=e.ident(),
                kind=Kind.REGION,
                name=e.required("name"),
                where=e.where,
                name_en=e.text("name_en"),
                aliases=e.texts("aliases"),
                type="region-or-community",
                level=e.required("level"),
                public=True,
                note=e.text("note"),
                extra={"nis": e.required("nis")},
            )
        )
    municipal_names = {normalise(m.name) for m in municipalities}
    for entry in r.entry.get("provinces") or []:
        e = EntryReader(entry, r.where, ("nis", "name", "region", "aliases", "note"))
        name = e.required("name")
        nis = e.required("nis")
        if not nis.isdigit():
            raise e.error("nis", f"NIS code {nis!r} must be digits")
        # A province whose bare name is also a municipality's ("Antwerpen", "Limburg") is matched only
        # as "provincie X"; the city keeps the bare name unless a decision says otherwise.
        aliases = tuple(a for a in e.texts("aliases") if normalise(a) not in municipal_names)
        agents.append(
            Agent(
                id=nis,
                kind=Kind.PROVINCE,
                name=f"Provincie {name}",
                where=e.where,
                aliases=((name,) if normalise(name) not in municipal_names else ()) + aliases,
                type="province",
                level="provincial",
                public=True,
                note=e.text("note"),
                extra={"nis": nis, "region": e.required("region"), "short_name": name},
            )
        )
    extra_aliases: dict[str, str] = {}
    known = {m.id for m in municipalities}
    for entry in r.entry.get("municipality_aliases") or []:
        e = EntryReader(entry, r.where, ("nis", "alias", "note"))
        nis = e.required("nis")
        if nis not in known:
            raise e.error("nis", f"no municipality with NIS code {nis!r} in municipalities.csv")
        extra_aliases[e.required("alias")] = nis
    return agents, extra_aliases


MUNICIPALITY_COLUMNS = (
    "NIS_code",
    "municipality_NL",
    "municipality_FR",
    "province_NL",
    "region_NL",
    "inhabitants",
)


def municipality_from(fields: Mapping[str, str], where: Where) -> Agent:
    nis = fields["NIS_code"].strip()
    if not nis.isdigit() or len(nis) != 5:
        raise where.error(f"NIS code {nis!r} must be five digits")
    name = collapse(fields["municipality_NL"])
    if not name:
        raise where.error("municipality without a Dutch name")
    inhabitants = fields["inhabitants"].replace(",", "").strip()
    if inhabitants and not inhabitants.isdigit():
        raise where.error(f"inhabitants {fields['inhabitants']!r} is not a whole number")
    region = collapse(fields["region_NL"])
    return Agent(
        id=nis,
        kind=Kind.MUNICIPALITY,
        name=name,
        where=where,
        type="municipality",
        level="local",
        public=True,
        extra={
            "nis": nis,
            "name_fr": collapse(fields["municipality_FR"]),
            "province": collapse(fields["province_NL"]),
            "region": region,
            "population": int(inhabitants) if inhabitants else None,
        },
    )


def french_aliases(municipalities: list[Agent]) -> dict[str, str]:
    """French names as aliases, except where a French name is another municipality's Dutch name."""
    dutch = {normalise(m.name) for m in municipalities}
    counts: dict[str, int] = {}
    for m in municipalities:
        key = normalise(str(m.extra.get("name_fr") or ""))
        counts[key] = counts.get(key, 0) + 1
    out = {}
    for m in municipalities:
        fr = str(m.extra.get("name_fr") or "")
        key = normalise(fr)
        if key and key not in dutch and counts[key] == 1:
            out[fr] = m.id
    return out


# -- loading the registry folder --------------------------------------------------------------


@dataclass(frozen=True)
class LoadedRegistry:
    """The registry and the text of each of its files (registry facts quote their lines)."""

    registry: Registry
    texts: Mapping[str, Text]


PLAN_KINDS = frozenset({"action-plan", "policy-framework"})


def load(folder: Path, root: Path, levels: frozenset[str], types: frozenset[str]) -> LoadedRegistry:
    """Read and check every file of ``data/registry``; the first error names its file and line."""
    texts: dict[str, Text] = {}

    def yaml_file(name: str, *, optional: bool = False) -> tuple[Any, Where]:
        path = folder / name
        if optional and not path.exists():
            return None, Where(name, 1, 1)
        doc, text = read_yaml(path, root)
        texts[text.doc] = text
        return doc, Where(text.doc, 1, max(len(text), 1))

    orgs, where = yaml_file("organisations.yaml")
    agents = organisations_from(orgs, where, Kind.ORGANISATION, levels, types)
    collabs, where = yaml_file("collaborations.yaml")
    agents += organisations_from(collabs, where, Kind.COLLABORATION, levels, types)
    groups, where = yaml_file("groups.yaml", optional=True)
    agents += organisations_from(groups, where, Kind.GROUP, levels, types)
    persons, where = yaml_file("persons.yaml", optional=True)
    agents += persons_from(persons, where)
    gov_doc, where = yaml_file("government.yaml")
    government, members = government_from(gov_doc, where)
    agents += members
    posts, where = yaml_file("posts.yaml", optional=True)
    agents += posts_from(posts, where)
    domain_doc, where = yaml_file("domains.yaml")
    domains = domains_from(domain_doc, where)
    plan_doc, where = yaml_file("plans.yaml")
    plans = plans_from(plan_doc, where, PLAN_KINDS)
    decision_doc, where = yaml_file("decisions.yaml", optional=True)
    decisions = decisions_from(decision_doc, where)
    project_doc, where = yaml_file("projects.yaml", optional=True)
    projects = projects_from(project_doc, where)

    csv_text = read_text(folder / "municipalities.csv", root)
    texts[csv_text.doc] = csv_text
    municipalities = [municipality_from(row.fields, row.where) for row in parse_csv(csv_text, MUNICIPALITY_COLUMNS)]
    places_doc, where = yaml_file("places.yaml")
    place_agents, extra_aliases = places_from(places_doc, where, municipalities)
    for agent in place_agents:
        if agent.level is not None and agent.level not in levels:
            raise agent.where.error(f"unknown governance level {agent.level!r}")
    municipalities = _link_municipalities(municipalities, place_agents, extra_aliases)
    agents += place_agents + municipalities
    registry = Registry(agents, domains, plans, decisions, government, french_aliases(municipalities), projects)
    return LoadedRegistry(registry, texts)


def _link_municipalities(
    municipalities: list[Agent], places: list[Agent], extra_aliases: Mapping[str, str]
) -> list[Agent]:
    """Point each municipality at its province and region entries, and add curated aliases."""
    provinces = {str(p.extra["short_name"]): p.id for p in places if p.kind is Kind.PROVINCE}
    regions = {p.name: p.id for p in places if p.kind is Kind.REGION}
    aliases: dict[str, list[str]] = {}
    for alias, nis in extra_aliases.items():
        aliases.setdefault(nis, []).append(alias)
    linked = []
    for m in municipalities:
        province_name = str(m.extra.get("province") or "")
        region_name = str(m.extra.get("region") or "")
        if province_name and province_name not in provinces:
            raise m.where.error(f"province {province_name!r} has no entry in places.yaml")
        if region_name not in regions:
            raise m.where.error(f"region {region_name!r} has no entry in places.yaml")
        extra = dict(m.extra)
        extra["province"] = provinces.get(province_name)
        extra["region"] = regions[region_name]
        linked.append(replace(m, extra=extra, aliases=m.aliases + tuple(aliases.get(m.id, ()))))
    return linked


def persons_from(entries: Any, where: Where) -> list[Agent]:
    """People other than the government's members (persons.yaml)."""
    if entries is None:
        return []
    if not isinstance(entries, LocatedList):
        raise where.error("expected a list of persons")
    persons = []
    for entry in entries:
        r = EntryReader(
            entry, where, ("id", "name", "public_office", "public_role", "role", "organisation", "aliases", "note")
        )
        persons.append(
            Agent(
                id=r.ident(),
                kind=Kind.PERSON,
                name=r.required("name"),
                where=r.where,
                aliases=r.texts("aliases"),
                public=r.boolean("public_office", False),
                note=r.text("note"),
                extra={k: v for k in ("role", "organisation", "public_role") if (v := r.text(k)) is not None},
            )
        )
    return persons


def projects_from(entries: Any, where: Where) -> list[Project]:
    if entries is None:
        return []
    if not isinstance(entries, LocatedList):
        raise where.error("expected a list of projects")
    projects = []
    for entry in entries:
        r = EntryReader(entry, where, ("id", "name", "aliases", "implementer", "funder", "start", "end", "period_text",
                                       "action", "source", "note"))  # fmt: skip
        source = r.entry.get("source")
        document = lines = None
        if source is not None:
            s = EntryReader(source, r.where, ("document", "lines"))
            document = s.required("document")
            m = re.fullmatch(r"(\d+)(?:-(\d+))?", s.required("lines"))
            if not m:
                raise s.error("lines", "lines must be 'N' or 'N-M'")
            lines = (int(m.group(1)), int(m.group(2) or m.group(1)))
        dates = {}
        for key in ("start", "end"):
            value = r.entry.get(key)
            if value is not None:
                text = value.isoformat() if isinstance(value, date) else str(value)
                if not re.fullmatch(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", text):
                    raise r.error(key, f"{key} must be YYYY, YYYY-MM or YYYY-MM-DD")
                dates[key] = text
        projects.append(
            Project(
                id=r.ident(),
                name=r.required("name"),
                where=r.where,
                aliases=r.texts("aliases"),
                implementers=r.texts("implementer"),
                funder=r.text("funder"),
                start=dates.get("start"),
                end=dates.get("end"),
                period_text=r.text("period_text"),
                action=r.text("action"),
                source_document=document,
                source_lines=lines,
                note=r.text("note"),
            )
        )
    return projects
