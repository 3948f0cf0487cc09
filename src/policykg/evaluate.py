"""Extraction quality: precision and recall of the built graph against the annotated sample.

The sample in ``data/annotations/`` was made by reading the sources, not by running the
extractor. The graph is read back through the same named queries a researcher uses, so what is
measured is the whole pipeline (parser, resolution, mapping), field by field. Values are compared
after collapsing whitespace; amounts as decimals.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pyoxigraph as ox

from .amounts import decimal_lexical
from .config import Settings
from .data import read_yaml
from .gazetteer import Gazetteer
from .ontology import Ontology
from .queries import load_queries
from .registry import Kind, load
from .results import rows
from .store import Store
from .text import collapse

Key = tuple[Any, ...]


@dataclass
class Score:
    field: str
    gold: int
    predicted: int
    correct: int
    missed: list[Key] = field(default_factory=list)
    spurious: list[Key] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score(name: str, gold: Iterable[Key], predicted: Iterable[Key]) -> Score:
    """Multiset precision and recall: each gold item can be matched once."""
    g, p = Counter(gold), Counter(predicted)
    correct = sum((g & p).values())
    return Score(
        name, sum(g.values()), sum(p.values()), correct,
        missed=sorted((g - p).elements(), key=str), spurious=sorted((p - g).elements(), key=str),
    )  # fmt: skip


def norm(text: object) -> str:
    return collapse(str(text or "")).casefold()


def amount(text: object) -> str:
    """An amount in canonical form ("200000", "56450.8"), so equal amounts compare equal."""
    return decimal_lexical(Decimal(str(text)))


def _select(store: Store, settings: Settings, name: str) -> list[dict[str, str]]:
    query = load_queries(settings.queries_dir)[name]
    solutions = store.query(query.text)
    assert isinstance(solutions, ox.QuerySolutions)
    variables, data = rows(solutions)
    return [dict(zip(variables, row, strict=True)) for row in data]


def action_scores(gold_doc: Any, store: Store, settings: Settings) -> list[Score]:
    """Scores for the action blocks of one progress report."""
    actions = gold_doc["actions"]
    source = gold_doc["document"]
    gold_codes = {str(a["code"]) for a in actions}

    def ours(name: str) -> list[dict[str, str]]:
        return [r for r in _select(store, settings, name) if r["code"] in gold_codes]

    def reports_in_source() -> list[dict[str, str]]:
        return [r for r in ours("action-reports") if r["source"] == source]

    results = [
        score("actions", [(str(a["code"]),) for a in actions], [(r["code"],) for r in ours("actions")]),
        score("status", [(str(a["code"]), norm(a["status"])) for a in actions],
              [(r["code"], norm(r["status"])) for r in ours("actions")]),
        score("cluster", [(str(a["code"]), str(a["cluster"])) for a in actions],
              [(r["code"], r["cluster"]) for r in ours("actions")]),
        score("ministers", [(str(a["code"]), norm(m)) for a in actions for m in a["ministers"]],
              [(r["code"], norm(r["minister"])) for r in ours("action-ministers")]),
        score("domains", [(str(a["code"]), norm(d["domain"]), bool(d["coordinating"])) for a in actions
                          for d in a["domains"]],
              [(r["code"], norm(r["domain"]), r["coordinating"] == "true") for r in ours("action-domains")]),
        score("other parties", [(str(a["code"]), norm(i)) for a in actions for i in a["involved"]],
              sorted({(r["code"], norm(r["as_written"])) for r in ours("action-involved")})),
        score("report rows", [(str(a["code"]), tuple(sorted(norm(c) for c in r["competences"]))) for a in actions
                              for r in a["reports"]],
              [(r["code"], tuple(sorted(norm(c) for c in r["competence"].split(" / ") if c)))
               for r in reports_in_source()]),
        score("report row lines", [(str(a["code"]), int(r["line"])) for a in actions for r in a["reports"]],
              [(r["code"], int(r["line"])) for r in reports_in_source()]),
        score("budget amounts", [(str(a["code"]), amount(b["amount"])) for a in actions for b in a["budgets"]],
              [(r["code"], amount(r["amount_eur"])) for r in ours("action-budgets")]),
        score("budget recipients",
              [(str(a["code"]), amount(b["amount"]), norm(b["recipient_as_written"])) for a in actions
               for b in a["budgets"] if b.get("recipient_as_written")],
              [(r["code"], amount(r["amount_eur"]), norm(r["recipient_as_written"]))
               for r in ours("action-budgets") if r["recipient_as_written"]]),
    ]  # fmt: skip
    return results


# -- events, participants and grants ---------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """A stretch of one document that an annotator read from end to end."""

    document: str
    first: int
    last: int

    def __contains__(self, place: tuple[str, int]) -> bool:
        return place[0] == self.document and self.first <= place[1] <= self.last


@dataclass(frozen=True)
class Mention:
    document: str
    first: int
    last: int


@dataclass
class Predicted:
    """An event of the graph, as the research queries give it."""

    iri: str
    date: str
    kind: str
    body: str
    place: str
    planned: bool
    end_date: str
    action: str
    mentions: list[Mention]
    participants: set[tuple[str, str]]  # (canonical name, role)


Canonical = Callable[[str, str | None, int | None], str]
"""(name as written, action code, line in the report) → the registry's canonical name."""


def _body(gold: dict[str, Any], canonical: Canonical) -> str:
    if not gold.get("body"):
        return ""
    return canonical(gold["body"], str(gold["action"]) if gold.get("action") else None, int(gold["line"]))


# A gold line is the line where the event's date is written; the graph's mention is the sentence
# holding it. A sentence may start a line or two before the page's line break puts the date.
SLACK = 2


def locate(line: int, document: str, predicted: list[Predicted]) -> list[Predicted]:
    """The graph's events with a mention that covers this line of the document."""
    return [
        p for p in predicted
        if any(m.document == document and m.first - SLACK <= line <= m.last + SLACK for m in p.mentions)
    ]  # fmt: skip


def event_scores(
    gold: list[dict[str, Any]], spans: list[Span], predicted: list[Predicted], canonical: Canonical
) -> list[Score]:
    """Events matched one to one by place in the text and by (date, kind, body); then their fields.

    ``canonical`` turns a name as the annotator wrote it into the registry's canonical name (or the
    normalised text when the registry does not know it), so bodies and participants compare as
    actors, not as spellings.
    """
    in_scope = [p for p in predicted if any((m.document, m.first) in s or (m.document, m.last) in s
                                            for m in p.mentions for s in spans)]  # fmt: skip
    matched: dict[int, Predicted] = {}
    near: dict[int, Predicted] = {}
    taken: set[str] = set()
    for index, g in enumerate(gold):
        key = (str(g["date"]), g["kind"], _body(g, canonical))
        lines = [int(g["line"]), *(int(x) for x in g.get("also_at") or [])]
        candidates = [p for line in lines for p in locate(line, g["document"], in_scope) if p.iri not in taken]
        exact = [p for p in candidates if (p.date, p.kind, norm(p.body)) == (key[0], key[1], norm(key[2]))]
        same_day = [p for p in candidates if p.date == key[0]]
        if exact:
            matched[index] = near[index] = exact[0]
            taken.add(exact[0].iri)
        elif same_day:
            near[index] = same_day[0]
    for index, p in list(near.items()):  # a date-only pairing must not steal an exact match
        if index not in matched and p.iri in taken:
            del near[index]
    for p in near.values():
        taken.add(p.iri)

    def gold_key(index: int) -> Key:
        g = gold[index]
        return (g["document"], int(g["line"]), str(g["date"]), g["kind"], g.get("body") or "")

    def pred_key(p: Predicted) -> Key:
        first = min(p.mentions, key=lambda m: (m.document, m.first))
        return (first.document, first.first, p.date, p.kind, p.body)

    def paired(pairs: dict[int, Predicted], name: str, value: Callable[[dict[str, Any], Predicted], bool]) -> Score:
        """Of the paired events, how many agree on one field (precision = recall = accuracy)."""
        right = [i for i, p in pairs.items() if value(gold[i], p)]
        wrong = [(*gold_key(i), "->", *pred_key(pairs[i])) for i, p in pairs.items() if not value(gold[i], p)]
        return Score(name, len(pairs), len(pairs), len(right), missed=wrong)

    unmatched_pred = [p for p in in_scope if p.iri not in {q.iri for q in matched.values()}]
    scores = [
        Score("events", len(gold), len(in_scope), len(matched),
              missed=[gold_key(i) for i in range(len(gold)) if i not in matched],
              spurious=[pred_key(p) for p in unmatched_pred]),
        Score("event dates", len(gold), len(in_scope), len(near),
              missed=[gold_key(i) for i in range(len(gold)) if i not in near],
              spurious=[pred_key(p) for p in in_scope if p.iri not in taken]),
        paired(near, "event kind", lambda g, p: g["kind"] == p.kind),
        paired(near, "event body", lambda g, p: norm(_body(g, canonical)) == norm(p.body)),
        paired(near, "event end date", lambda g, p: str(g.get("end_date") or "") == p.end_date),
        paired(near, "event planned", lambda g, p: bool(g.get("planned")) == p.planned),
        paired(near, "event action", lambda g, p: str(g.get("action") or "") == p.action),
    ]  # fmt: skip

    # Participants over all events: those of a missed event are missed, those of a spurious one spurious.
    # Strictly, events pair only when date, kind and body agree; "by date" pairs them by place in the text
    # and date alone, so that who took part is measured apart from how the event was classified.
    for label, pairs in (("", matched), (" (events paired by date)", near)):
        gold_people: list[Key] = []
        gold_roles: list[Key] = []
        for index, g in enumerate(gold):
            event = pairs[index].iri if index in pairs else f"gold:{index}"
            action = str(g["action"]) if g.get("action") else None
            for person in g.get("participants") or []:
                name = canonical(person["name"], action, int(g["line"]))
                gold_people.append((event, norm(name)))
                gold_roles.append((event, norm(name), person["role"]))
        ours = [(p.iri, norm(name)) for p in in_scope for name, _ in p.participants]
        scores.append(score(f"participants{label}", gold_people, sorted(set(ours))))
        roles = [(p.iri, norm(name), role) for p in in_scope for name, role in p.participants]
        scores.append(score(f"participant roles{label}", gold_roles, roles))
    return scores


def grant_scores(
    gold: list[dict[str, Any]], in_scope: Callable[[str], bool], predicted: list[dict[str, str]],
    canonical: Canonical,
) -> list[Score]:
    """Grants as (action, recipient, amount), recipients compared as registry actors."""

    def money(value: object) -> str:
        return amount(value) if value not in (None, "") else ""

    ours = [r for r in predicted if in_scope(r["code"])]
    return [
        score("grants", [(str(g["action"]), norm(canonical(g["recipient"], str(g["action"]), int(g["line"]))),
                          money(g.get("amount"))) for g in gold],
              [(r["code"], norm(r["recipient"]), money(r["amount_eur"])) for r in ours]),
        score("grant amounts", [(str(g["action"]), money(g.get("amount"))) for g in gold if g.get("amount")],
              [(r["code"], money(r["amount_eur"])) for r in ours if r["amount_eur"]]),
    ]  # fmt: skip


def _predicted_events(store: Store, settings: Settings) -> list[Predicted]:
    events = {r["event"]: r for r in _select(store, settings, "events")}
    mentions: dict[str, list[Mention]] = {}
    for r in _select(store, settings, "event-mentions"):
        mentions.setdefault(r["event"], []).append(Mention(r["source"], int(r["line"]), int(r["line_end"])))
    people: dict[str, set[tuple[str, str]]] = {}
    for r in _select(store, settings, "event-participants"):
        people.setdefault(r["event"], set()).add((r["participant"], r["role"]))
    return [
        Predicted(iri, r["date"], r["kind"], r["body"], r["place"], r["planned"] == "true", r["end_date"],
                  r["action"], mentions.get(iri, []), people.get(iri, set()))
        for iri, r in events.items()
    ]  # fmt: skip


def _canonical_names(settings: Settings, rows: dict[str, list[tuple[int, tuple[str, ...]]]]) -> Canonical:
    """Names as written → the registry's canonical name (unknown names stay as written).

    A name is read in the context the annotator read it in: the action and the reporting row
    (``rows``: per action, the first line and competences of each row), so that "het aanspreekpunt
    radicalisering" in an Onderwijs row is the education contact point, as the reader knows.
    """
    ontology = Ontology.load(settings.ontology_dir)
    levels, types = ontology.codes("level"), ontology.codes("actor-type")
    registry = load(settings.registry_dir, settings.root, levels, types).registry

    gazetteer = Gazetteer(registry)

    def competences(action: str | None, line: int | None) -> tuple[str, ...]:
        starts = [c for first, c in rows.get(action or "", []) if line is not None and first <= line]
        return starts[-1] if starts else ()

    def canonical(written: str, action: str | None = None, line: int | None = None) -> str:
        row = competences(action, line)
        found = registry.resolve(written, None, row, action)
        if found is not None and len(found.agents) == 1:
            return found.agents[0].name
        # An annotator may write a name with its description ("vzw de Keerkring, centrum voor
        # opvoedingsondersteuning"): a registry name that opens the phrase is the actor. A name
        # further in ("... van de gevangenis van Gent") is not.
        # A count before the name is not part of it ("twee ondersteunende experten"); a person named
        # at the end of a description is that person ("bevoegde NRW-minister Herbert Reul").
        found = gazetteer.find(written, competences=row, action=action)
        leading = [m for m in found if re.fullmatch(r"(?:vzw|VZW|de|het|twee|drie|vier|vijf|\d+|\W)*\s*",
                                                     written[: m.start])]  # fmt: skip
        if leading and len(leading[0].resolution.agents) == 1:
            return leading[0].resolution.agents[0].name
        trailing = [m for m in found if not written[m.end :].strip(" .,)") and len(m.resolution.agents) == 1
                    and m.resolution.agents[0].kind is Kind.PERSON]  # fmt: skip
        if trailing:
            return trailing[0].resolution.agents[0].name
        return collapse(written)

    return canonical


def _spans(doc: Any) -> list[Span]:
    return [Span(s["document"], int(s["from"]), int(s["to"])) for s in doc["scope"]]


def evaluate_release(store: Store, settings: Settings) -> list[Score]:
    scores: list[Score] = []
    gold_events: list[dict[str, Any]] = []
    gold_grants: list[dict[str, Any]] = []
    spans: list[Span] = []
    for path in sorted(settings.annotations_dir.glob("*.yaml")):
        doc, _ = read_yaml(path, settings.root)
        if "actions" in doc:
            scores += action_scores(doc, store, settings)
        if "events" in doc:
            gold_events += doc["events"]
            gold_grants += doc.get("grants") or []
            spans += _spans(doc)
    if gold_events:
        reports = _select(store, settings, "action-reports")
        rows: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
        for r in sorted(reports, key=lambda r: int(r["line"])):
            labels = tuple(c for c in r["competence"].split(" / ") if c)
            rows.setdefault(r["code"], []).append((int(r["line"]), labels))
        canonical = _canonical_names(settings, rows)
        scores += event_scores(gold_events, spans, _predicted_events(store, settings), canonical)
        # A grant is in scope when its action's report is: the first row of the action's table.
        first_row: dict[str, tuple[str, int]] = {}
        for r in reports:
            place = (r["source"], int(r["line"]))
            first_row[r["code"]] = min(first_row.get(r["code"], place), place)

        def action_in_scope(code: str) -> bool:
            return code in first_row and any(first_row[code] in s for s in spans)

        scores += grant_scores(gold_grants, action_in_scope, _select(store, settings, "grants"), canonical)
    return scores


def render(scores: list[Score], details: bool = True, limit: int | None = 15) -> str:
    """The table of figures, then (``details``) the misses and spurious items of each field.

    ``limit`` caps the items listed per field; ``None`` lists them all, each with its file and line,
    which is what someone grouping the errors by cause needs.
    """
    width = max([20, *(len(s.field) for s in scores)])
    lines = [f"{'field':<{width}} {'gold':>5} {'pred':>5} {'ok':>5}  {'precision':>9} {'recall':>7} {'F1':>6}"]
    for s in scores:
        counts = f"{s.field:<{width}} {s.gold:>5} {s.predicted:>5} {s.correct:>5}"
        lines.append(f"{counts}  {s.precision:>9.3f} {s.recall:>7.3f} {s.f1:>6.3f}")
    if details:
        for s in scores:
            for item in s.missed[:limit]:
                lines.append(f"  missed   {s.field}: {item}")
            for item in s.spurious[:limit]:
                lines.append(f"  spurious {s.field}: {item}")
    return "\n".join(lines)
