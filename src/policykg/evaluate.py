"""Extraction quality: precision and recall of the built graph against the annotated sample.

The sample in ``data/annotations/`` was made by reading the sources, not by running the
extractor. The graph is read back through the same named queries a researcher uses, so what is
measured is the whole pipeline (parser, resolution, mapping), field by field. Values are compared
after collapsing whitespace; amounts as decimals.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pyoxigraph as ox

from .amounts import decimal_lexical
from .config import Settings
from .data import read_yaml
from .queries import load_queries
from .results import rows
from .store import EmbeddedStore
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


def _select(store: EmbeddedStore, settings: Settings, name: str) -> list[dict[str, str]]:
    query = load_queries(settings.queries_dir)[name]
    solutions = store.query(query.text)
    assert isinstance(solutions, ox.QuerySolutions)
    variables, data = rows(solutions)
    return [dict(zip(variables, row, strict=True)) for row in data]


def action_scores(gold_doc: Any, store: EmbeddedStore, settings: Settings) -> list[Score]:
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


def evaluate_release(store: EmbeddedStore, settings: Settings) -> list[Score]:
    scores: list[Score] = []
    for path in sorted(settings.annotations_dir.glob("*.yaml")):
        doc, _ = read_yaml(path, settings.root)
        if "actions" in doc:
            scores += action_scores(doc, store, settings)
    return scores


def render(scores: list[Score], details: bool = True) -> str:
    lines = [f"{'field':<20} {'gold':>5} {'pred':>5} {'ok':>5}  {'precision':>9} {'recall':>7} {'F1':>6}"]
    for s in scores:
        counts = f"{s.field:<20} {s.gold:>5} {s.predicted:>5} {s.correct:>5}"
        lines.append(f"{counts}  {s.precision:>9.3f} {s.recall:>7.3f} {s.f1:>6.3f}")
    if details:
        for s in scores:
            for item in s.missed[:15]:
                lines.append(f"  missed   {s.field}: {item}")
            for item in s.spurious[:15]:
                lines.append(f"  spurious {s.field}: {item}")
    return "\n".join(lines)
