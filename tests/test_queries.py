"""The research queries on the built corpus: columns, completeness, values read in the text, binding."""

from __future__ import annotations

import csv
import io
import re

import pyoxigraph as ox
import pytest

from policykg.cli import main
from policykg.queries import QueryError, load_queries
from policykg.results import rows

COLUMNS = {
    "actions": ["code", "title", "status", "cluster"],
    "action-ministers": ["code", "minister", "person"],
    "action-domains": ["code", "domain", "coordinating"],
    "action-involved": ["code", "agent", "as_written"],
    "action-budgets": ["code", "amount_eur", "recipient", "recipient_as_written", "competence"],
}


def run(store, settings, name, **params):
    query = load_queries(settings.queries_dir)[name]
    solutions = store.query(query.bound(params))
    assert isinstance(solutions, ox.QuerySolutions)
    variables, data = rows(solutions)
    return variables, [dict(zip(variables, r, strict=True)) for r in data]


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_columns_are_exactly_as_documented(built_project, store, name):
    settings, _ = built_project
    variables, _ = run(store, settings, name)
    assert variables == COLUMNS[name]


def test_all_62_actions_with_status_and_cluster(built_project, store):
    settings, _ = built_project
    _, actions = run(store, settings, "actions")
    assert len(actions) == 62
    assert [a["code"] for a in actions][:3] == ["1.1", "1.2", "1.3"]
    assert actions[-1]["code"] == "14.8"
    by_code = {a["code"]: a for a in actions}
    # "Status actie Op te starten" is printed once, for action 7.2 (line 3738).
    assert [c for c, a in by_code.items() if a["status"] == "Op te starten"] == ["7.2"]
    assert by_code["10.2"]["cluster"] == "10"


def test_ministers_as_written_with_their_holders(built_project, store):
    settings, _ = built_project
    _, ministers = run(store, settings, "action-ministers", code="6.2")
    # Action 6.2 (lines 3288-3292) names five portfolios, one in an unusual wording.
    assert {(m["minister"], m["person"]) for m in ministers} == {
        ("Minister van Wonen en Inburgering en Integratie", "Liesbeth Homans"),
        ("Minister van Onderwijs", "Hilde Crevits"),
        ("Minister van Welzijn", "Jo Vandeurzen"),
        ("Minister van Cultuur", "Sven Gatz"),
        ("Minister van Werk en Sport", "Philippe Muyters"),
    }


def test_domains_with_the_coordinating_one(built_project, store):
    settings, _ = built_project
    _, domains = run(store, settings, "action-domains", code="1.1")
    assert {(d["domain"], d["coordinating"]) for d in domains} == {
        ("KB", "true"), ("OV", "false"), ("WVG", "false"), ("CJM", "false"), ("Sport Vlaanderen", "false"),
        ("WSE", "false"),
    }  # fmt: skip


def test_other_parties_resolve_to_canonical_names(built_project, store):
    settings, _ = built_project
    _, parties = run(store, settings, "action-involved", code="4.1")
    # "Andere betrokkenen Aalst, Antwerpen, Gent, Maaseik, Mechelen, Menen, Oostende, Vilvoorde, Zele" (l. 1301)
    assert sorted(p["as_written"] for p in parties) == [
        "Aalst", "Antwerpen", "Gent", "Maaseik", "Mechelen", "Menen", "Oostende", "Vilvoorde", "Zele",
    ]  # fmt: skip
    assert all(p["agent"] == p["as_written"] for p in parties)


def test_budget_amounts_with_recipients_and_breakdown(built_project, store):
    settings, _ = built_project
    _, budgets = run(store, settings, "action-budgets", code="4.2")
    # "854.000 euro (Dilbeek) 641.000 euro (Halle) 1.550.000 euro (Vilvoorde)" (l. 1370-1377)
    assert [(b["amount_eur"], b["recipient"], b["recipient_as_written"]) for b in budgets] == [
        ("854000", "Dilbeek", "Dilbeek"), ("641000", "Halle", "Halle"), ("1550000", "Vilvoorde", "Vilvoorde"),
    ]  # fmt: skip
    _, amif = run(store, settings, "action-budgets", code="4.6")
    assert [b["amount_eur"] for b in amif] == ["1606641.63", "1204985.71", "401661.92"]
    assert {b["competence"] for b in amif} == {"Integratie"}


def test_parameters_are_bound_not_pasted(built_project, store):
    settings, _ = built_project
    _, none = run(store, settings, "action-ministers", code='1.1" } UNION { ?action ?p ?o . BIND("x" AS ?code)')
    assert none == []
    query = load_queries(settings.queries_dir)["actions"]
    with pytest.raises(QueryError, match="no parameter"):
        query.substitutions({"nope": "1"})


def test_cli_query_csv(built_project, monkeypatch, capsysbinary):
    settings, _ = built_project
    monkeypatch.setenv("POLICYKG_ROOT", str(settings.root))
    assert main(["query", "action-domains", "--param", "code=2.3", "--format", "csv"]) == 0
    out = capsysbinary.readouterr().out.decode()
    table = list(csv.reader(io.StringIO(out)))
    assert table == [["code", "domain", "coordinating"], ["2.3", "OV", "false"]]


@pytest.mark.parametrize("fmt", ["tsv", "json", "xml"])
def test_cli_query_writes_every_w3c_result_format(built_project, monkeypatch, capsysbinary, fmt):
    # Action 2.3's report names one domain, OV, not the coordinating one (as the csv test reads it):
    # every result format the command line writes parses back to that one row.
    import pyoxigraph as ox

    settings, _ = built_project
    monkeypatch.setenv("POLICYKG_ROOT", str(settings.root))
    assert main(["query", "action-domains", "--param", "code=2.3", "--format", fmt]) == 0
    formats = {"tsv": ox.QueryResultsFormat.TSV, "json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML}
    solutions = ox.parse_query_results(capsysbinary.readouterr().out, formats[fmt])
    assert [v.value for v in solutions.variables] == ["code", "domain", "coordinating"]
    assert [[t.value for t in row] for row in solutions] == [["2.3", "OV", "false"]]


def _normalised(cell: str) -> str:
    # A decimal's lexical form is left to the engine (Oxigraph writes the sum 5470499.40 as 5470499.4):
    # compare the value.
    if re.fullmatch(r"-?\d+\.\d+", cell):
        return cell.rstrip("0").rstrip(".")
    # GROUP_CONCAT's order is left to the engine: compare the concatenated parts as a set.
    for separator in (" / ", "; ", ", "):
        if separator in cell:
            return separator.join(sorted(cell.split(separator)))
    return cell


def test_library_queries_give_the_same_answers_in_rdflib(built_project, store):
    """A researcher who loads the N-Quads dump into rdflib gets what the endpoint gives.

    This also pins down the default graph as the merge (a set) of the named graphs: a fact stated
    in two documents is one row, not two, in both engines.
    """
    from collections import Counter

    from rdflib import Dataset

    settings, result = built_project
    dataset = Dataset(default_union=True)
    dataset.parse(result.release / "policykg.nq", format="nquads")
    for name, query in sorted(load_queries(settings.queries_dir).items()):
        text = query.bound({})
        ours = Counter(tuple(_normalised(cell) for cell in row) for row in rows(store.query(text))[1])
        theirs = Counter(
            tuple(_normalised("" if cell is None else str(cell)) for cell in row) for row in dataset.query(text)
        )
        assert ours == theirs, name
