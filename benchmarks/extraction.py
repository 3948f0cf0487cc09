"""Extraction quality of a fresh build, field by field, against data/annotations (recorded, not asserted)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from policykg.build import build
from policykg.config import Settings
from policykg.evaluate import evaluate_release
from policykg.store import EmbeddedStore

ROOT = Path(__file__).resolve().parent.parent


def run(repeat: int = 1) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as out:
        settings = Settings(root=ROOT, build_dir=Path(out))
        result = build(settings, progress=False)
        scores = evaluate_release(EmbeddedStore.open(result.release), settings)
    lines = ["| field | gold | predicted | correct | precision | recall | F1 |", "|---|---|---|---|---|---|---|"]
    lines += [
        f"| {s.field} | {s.gold} | {s.predicted} | {s.correct} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} |"
        for s in scores
    ]
    return {
        "scores": {s.field: {"precision": s.precision, "recall": s.recall, "f1": s.f1, "gold": s.gold} for s in scores},
        "table": "\n".join(lines),
    }
