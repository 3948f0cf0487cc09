"""Extraction quality against the hand annotation (data/annotations/actions.yaml).

The annotation was made by reading the progress report, independently of the parser. These
thresholds are the issue's targets; the measured figures are printed by `policykg evaluate`.
"""

from __future__ import annotations

import pytest

from policykg.evaluate import evaluate_release, score

TARGETS = {
    "status": 0.98, "ministers": 0.98, "domains": 0.98, "other parties": 0.98, "budget amounts": 0.95,
    "actions": 1.0, "cluster": 0.98,
}  # fmt: skip


@pytest.fixture(scope="module")
def scores(built_project, store):
    settings, _ = built_project
    return {s.field: s for s in evaluate_release(store, settings)}


@pytest.mark.parametrize("field", sorted(TARGETS))
def test_extraction_meets_target(scores, field):
    s = scores[field]
    assert s.gold > 0
    assert s.f1 >= TARGETS[field], (s.missed[:5], s.spurious[:5])


def test_scoring_counts_each_gold_item_once():
    s = score("x", [("1.1", "a"), ("1.1", "a"), ("1.2", "b")], [("1.1", "a"), ("1.3", "c")])
    assert (s.gold, s.predicted, s.correct) == (3, 2, 1)
    assert s.precision == 0.5 and round(s.recall, 3) == 0.333
    assert s.missed == [("1.1", "a"), ("1.2", "b")] and s.spurious == [("1.3", "c")]


def test_annotated_names_compare_as_the_actors_they_name(built_project):
    # The annotators write names as the text does: "twee ondersteunende experten" (001 l. 1097, the
    # group of the houses of justice), "bevoegde NRW-minister Herbert Reul" (the person). A description
    # that names people of an organisation is not the organisation: "leerlingen van 6 ASO van Rozenberg S.O.".
    from policykg.evaluate import _canonical_names

    settings, _ = built_project
    canonical = _canonical_names(settings, {})
    assert canonical("twee ondersteunende experten") == "ondersteunende experten"
    assert canonical("bevoegde NRW-minister Herbert Reul") == "Herbert Reul"
    assert canonical("leerlingen van 6 ASO van Rozenberg S.O.") == "leerlingen van 6 ASO van Rozenberg S.O."
