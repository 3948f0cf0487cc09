"""The scale generator makes releases the same load and validation accept, at the size asked for."""

from __future__ import annotations

import json

import pyoxigraph as ox

from benchmarks.scale import generate
from policykg.shapes import load_shapes, validate_triples


def test_a_synthetic_release_conforms_and_its_manifest_counts_what_it_holds(built_project, tmp_path):
    settings, result = built_project
    release = generate(result.release, 20_000, tmp_path)
    manifest = json.loads((release / "manifest.json").read_text())
    assert 20_000 <= manifest["synthetic"]["triples"] < 25_000
    counts: dict[str, int] = {}
    for quad in ox.parse(path=str(release / "policykg.nq"), format=ox.RdfFormat.N_QUADS):
        counts[quad.graph_name.value] = counts.get(quad.graph_name.value, 0) + 1  # type: ignore[union-attr]
    assert counts == manifest["graphs"]
    merged = list(ox.parse(path=str(release / "policykg.ttl"), format=ox.RdfFormat.TURTLE))
    assert len(merged) == len(set(merged)) == manifest["triples"]
    assert validate_triples(merged, load_shapes(settings.shapes_dir)) == []
    # skewed participation: the busiest actor is at many more events than the median one
    store = ox.Store()
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in merged)
    per_actor = sorted(int(r["n"].value) for r in store.query(  # type: ignore[union-attr]
        "SELECT ?a (COUNT(?e) AS ?n) WHERE { ?e <https://w3id.org/policykg/ns#participant> ?a } GROUP BY ?a"))
    assert per_actor[-1] >= 10 * per_actor[len(per_actor) // 2]
    assert generate(result.release, 20_000, tmp_path / "again").joinpath("policykg.nq").read_bytes() == (
        release / "policykg.nq").read_bytes()  # seeded: the same size gives the same bytes
