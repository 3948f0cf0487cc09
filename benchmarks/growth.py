"""What everything costs as the graph grows: each size through the same load, validation and queries.

For every size (synthetic triples on top of the corpus, :mod:`benchmarks.scale`) and every store
kind, a fresh child process (so that its peak memory is its own) measures:

- load: embedded, the store the query workers answer from (Oxigraph in memory up to the
  service's ``MEMORY_QUADS``, else the on-disk store), filled from the release's dumps as the
  service does it; the on-disk store's load is reported beside it; remote,
  :func:`policykg.loading.load_release` (upload, count check, SHACL on what the store holds,
  switch), the SHACL part reported as validation;
- validation (embedded): the shapes on the release's merge, the build's own engine and call;
- every research query's median latency over ``repeat`` runs after a warm-up, as a researcher
  waits for it: from the query text to every row of the answer serialised as ``policykg query``
  writes it (TSV); beside it the time to the same rows as Python dicts (``select``, what the
  network and the evaluation read), which builds a Python object per term;
- the network measures: the co-attendance graph (actors linked by shared events, weighted by their
  number) read with one query and analysed with networkx (PageRank, and betweenness estimated
  from 200 sampled sources, seeded);
- peak memory: the child's maximum resident set, and the server's for a remote store.

Targets at 1 million triples (embedded): load < 15 s, validation < 60 s, every query's median
< 1 s, peak memory < 4 GiB.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = {"100k": 100_000, "1M": 1_000_000, "5M": 5_000_000}
DEFAULT_SIZES = ("100k", "1M")
STORES = ("embedded", "oxigraph", "virtuoso")
TARGETS = {"load_s": 15.0, "validate_s": 60.0, "query_max_ms": 1000.0, "peak_mib": 4096.0}
BETWEENNESS_SAMPLES = 200
NOTES = (
    "Sizes are synthetic triples added to the corpus release, so every research query keeps its real "
    "answers; the triples column gives each run's total, corpus included. "
    "Load: embedded, the store the query workers answer from, filled from the release's dumps (in memory "
    "up to {memory:,} quads, as the service holds it; the on-disk store's load, the two dumps loaded on two "
    "threads, in the next column); remote, the whole safe load (upload, counts, "
    "SHACL on what the store holds, switch), whose SHACL part is the validation column. Queries: the {queries} "
    "research queries at their default parameters, median of the runs after a warm-up, from the query text to "
    "every row serialised as `policykg query` writes it (TSV; the endpoint gives at most its row limit), and, in "
    "the column after, the slowest as Python dicts (`select`, what the network code reads). Each size and store "
    "runs in a fresh process under nice; the 2 CPUs may be shared with other work, so each run "
    "keeps the one-minute load average at its start and end (`load_avg` in results.json)."
)
CO_ATTENDANCE = """PREFIX pkg: <https://w3id.org/policykg/ns#>
SELECT ?event ?agent WHERE { ?event a pkg:Event ; pkg:participant ?agent }"""


def _network(select: object) -> dict[str, float]:
    import networkx as nx

    started = time.perf_counter()
    rows = select(CO_ATTENDANCE)  # type: ignore[operator]
    read = time.perf_counter() - started
    events: dict[str, list[str]] = {}
    for row in rows:
        events.setdefault(row["event"].value, []).append(row["agent"].value)
    graph = nx.Graph()
    for agents in events.values():
        unique = sorted(set(agents))
        for i, first in enumerate(unique):
            for second in unique[i + 1 :]:
                weight = graph.get_edge_data(first, second, {"weight": 0})["weight"]
                graph.add_edge(first, second, weight=weight + 1)
    built = time.perf_counter()
    nx.pagerank(graph, weight="weight")
    pagerank = time.perf_counter() - built
    k = min(BETWEENNESS_SAMPLES, graph.number_of_nodes())
    nx.betweenness_centrality(graph, k=k, seed=7)
    betweenness = time.perf_counter() - built - pagerank
    return {"network_read_s": read, "network_build_s": built - started - read, "pagerank_s": pagerank,
            "betweenness_s": betweenness, "actors": graph.number_of_nodes(),
            "edges": graph.number_of_edges()}  # fmt: skip


def _median_ms(run: object, repeat: int) -> float:
    run()  # type: ignore[operator]
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def _queries(store: object, repeat: int) -> tuple[dict[str, float], dict[str, float]]:
    """Each research query's median: answered as the command line writes it, and as dicts."""
    from policykg.queries import load_queries
    from policykg.results import serialise

    answered, selected = {}, {}
    for name, query in load_queries(ROOT / "queries").items():
        text = query.bound({})
        answered[name] = _median_ms(lambda t=text: serialise(store.query(t), "tsv"), repeat)  # type: ignore[attr-defined]
        selected[name] = _median_ms(lambda t=text: store.select(t), repeat)  # type: ignore[attr-defined]
    return answered, selected


def _child(release: Path, kind: str, repeat: int, work: Path) -> dict[str, object]:
    """One size and store kind, in this (child) process."""
    import pyoxigraph as ox

    from policykg.shapes import load_shapes, validate_ntriples
    from policykg.store import DUMP_NQUADS, DUMP_TURTLE, EmbeddedStore, fill_from_release, write_store
    from policykg.webapp import MEMORY_QUADS

    out: dict[str, object] = {"load_avg": [round(os.getloadavg()[0], 2)]}
    server = None
    if kind == "embedded":
        # The two stores a release has: on disk (written beside the build, read by the pages and,
        # above MEMORY_QUADS, by the query workers) and in memory (what each query worker loads up
        # to MEMORY_QUADS). Both from the release's dumps, as the service does it.
        started = time.perf_counter()
        write_store(work / "store", release / DUMP_NQUADS, release / DUMP_TURTLE, ox.RdfFormat.TURTLE, together=True)
        out["disk_load_s"] = time.perf_counter() - started
        # The merge as N-Triples text straight from the store (no Python object per triple, which
        # at 5 million triples held 10 GiB), validated as the build validates its own.
        started = time.perf_counter()
        disk = ox.Store.read_only(str(work / "store"))
        merged = disk.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
        violations = validate_ntriples(merged, load_shapes(ROOT / "shapes"))
        out["validate_s"] = time.perf_counter() - started
        out["violations"] = len(violations)
        del disk, merged, violations
        quads = int(json.loads((release / "manifest.json").read_text())["quads"])
        if quads <= MEMORY_QUADS:
            started = time.perf_counter()
            memory = ox.Store()
            fill_from_release(memory, release)
            out["load_s"] = time.perf_counter() - started
            out["query_store"] = "memory"
            store = EmbeddedStore(memory, release)
        else:
            out["load_s"] = out["disk_load_s"]
            out["query_store"] = "disk"
            store = EmbeddedStore(ox.Store.read_only(str(work / "store")), release)
    else:
        from policykg.loading import load_release
        from policykg.remote import RemoteStore
        from policykg.servers import local

        server = local(kind, work / kind, timeout=600).start()
        remote = RemoteStore(server.config, "https://w3id.org/policykg/")
        started = time.perf_counter()
        result = load_release(remote, release, ROOT / "shapes")
        out["load_s"] = time.perf_counter() - started
        out["validate_s"] = result.timings.get("validate", 0.0)
        out["load_steps"] = result.timings
        out["violations"] = 0
        store = remote
    try:
        out["queries_ms"], out["select_ms"] = _queries(store, repeat)
        out.update(_network(store.select))
        if server is not None and server.process is not None:
            status = Path(f"/proc/{server.process.pid}/status").read_text()
            peak = next(x for x in status.splitlines() if x.startswith("VmHWM"))
            out["server_peak_mib"] = int(peak.split()[1]) / 1024
    finally:
        if server is not None:
            server.stop()
    out["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out["load_avg"].append(round(os.getloadavg()[0], 2))  # type: ignore[attr-defined]
    return out


def run(repeat: int = 5, sizes: tuple[str, ...] = DEFAULT_SIZES, stores: tuple[str, ...] = STORES) -> dict[str, object]:
    from policykg.build import build, current_release
    from policykg.config import load_settings

    from .scale import generate

    settings = load_settings()
    corpus = current_release(settings) or build(settings, progress=False).release
    stored_file = Path(__file__).resolve().parent / "results.json"
    previous = json.loads(stored_file.read_text()).get("scale", {}) if stored_file.exists() else {}
    runs: dict[str, dict[str, object]] = dict(previous.get("runs", {}))
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="policykg-scale-") as tmp:
            started = time.perf_counter()
            release = generate(corpus, SIZES[size], Path(tmp))
            generated = time.perf_counter() - started
            manifest = json.loads((release / "manifest.json").read_text())
            for kind in stores:
                print(f"   {size} {kind} ...", file=sys.stderr, flush=True)
                work = Path(tmp) / f"work-{kind}"
                work.mkdir()
                child = subprocess.run(
                    [sys.executable, "-m", "benchmarks.growth", str(release), kind, str(repeat), str(work)],
                    capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                )  # fmt: skip
                if child.returncode != 0:
                    raise RuntimeError(f"{size} {kind} failed:\n{child.stderr[-3000:]}")
                measured = json.loads(child.stdout.strip().splitlines()[-1])
                measured.update(size=size, store=kind, triples=manifest["triples"], graphs=len(manifest["graphs"]),
                                generate_s=generated)  # fmt: skip
                runs[f"{size}/{kind}"] = measured
                print(f"   {json.dumps(measured)}", file=sys.stderr, flush=True)
                _keep(stored_file, f"{size}/{kind}", measured)
    from policykg.queries import load_queries
    from policykg.webapp import MEMORY_QUADS

    notes = NOTES.format(memory=MEMORY_QUADS, queries=len(load_queries(ROOT / "queries")))
    return {"runs": runs, "table": _table(runs), "notes": notes}


def _keep(stored_file: Path, key: str, measured: dict[str, object]) -> None:
    """Record a run as soon as it is measured: a 5M run takes long, and a failure later must not lose it."""
    stored = json.loads(stored_file.read_text()) if stored_file.exists() else {}
    scale = stored.setdefault("scale", {})
    scale.setdefault("runs", {})[key] = measured
    scale["table"] = _table(scale["runs"])
    stored_file.write_text(json.dumps(stored, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def _table(runs: dict[str, dict[str, object]]) -> str:
    order = sorted(runs.values(), key=lambda r: (STORES.index(str(r["store"])), int(r["triples"])))  # type: ignore[call-overload]
    lines = [
        "| size | store | triples | graphs | load (s) | on-disk store load (s) | validation (s) | query median of medians (ms) | slowest query median (ms) | slowest as dicts (ms) | co-attendance read (s) | PageRank (s) | betweenness, 200 sources (s) | actors / edges | peak memory (MiB) | server peak (MiB) |",  # noqa: E501
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in order:
        q: dict[str, float] = r["queries_ms"]  # type: ignore[assignment]
        slowest = max(q, key=q.get)  # type: ignore[arg-type]
        d: dict[str, float] = r.get("select_ms") or {}  # type: ignore[assignment]
        as_dicts = f"{max(d.values()):.0f} ({max(d, key=d.get)})" if d else "-"  # type: ignore[arg-type]
        server = f"{r['server_peak_mib']:.0f}" if "server_peak_mib" in r else "-"
        disk = f"{r['disk_load_s']:.1f}" if "disk_load_s" in r else "-"
        load = f"{r['load_s']:.1f}" + (f" ({r['query_store']})" if "query_store" in r else "")
        lines.append(
            f"| {r['size']} | {r['store']} | {r['triples']:,} | {r['graphs']} | {load} | {disk} | "
            f"{r['validate_s']:.1f} | {statistics.median(q.values()):.1f} | {q[slowest]:.0f} ({slowest}) | "
            f"{as_dicts} | "
            f"{r['network_read_s']:.2f} | {r['pagerank_s']:.2f} | {r['betweenness_s']:.1f} | "
            f"{r['actors']} / {r['edges']:,} | {r['peak_mib']:.0f} | {server} |"
        )
    lines += ["", "Growth: exponent b in cost ~ triples^b between consecutive sizes (1 = linear).", ""]
    lines += ["| store | sizes | load | validation | slowest query | query median | betweenness | peak memory |",
              "|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for store in STORES:
        mine = [r for r in order if r["store"] == store]
        for small, big in itertools.pairwise(mine):
            ratio = math.log(int(big["triples"]) / int(small["triples"]))  # type: ignore[call-overload]

            def b(key: str, a: dict[str, object] = small, z: dict[str, object] = big, r: float = ratio) -> str:
                va, vz = _measure(a, key), _measure(z, key)
                return f"{math.log(vz / va) / r:.2f}" if va > 0 and vz > 0 else "-"

            lines.append(f"| {store} | {small['size']} → {big['size']} | {b('load_s')} | {b('validate_s')} | "
                         f"{b('slowest')} | {b('median')} | {b('betweenness_s')} | {b('peak_mib')} |")  # fmt: skip
    at_1m = runs.get("1M/embedded")
    if at_1m:
        q = at_1m["queries_ms"]  # type: ignore[assignment]
        met = {"load_s": at_1m["load_s"], "validate_s": at_1m["validate_s"], "query_max_ms": max(q.values()),  # type: ignore[union-attr]
               "peak_mib": at_1m["peak_mib"]}  # fmt: skip
        lines += ["", "Targets at 1M, embedded: " + ", ".join(
            f"{k} {float(v):.1f} (< {TARGETS[k]:g}: {'met' if float(v) < TARGETS[k] else 'NOT met'})"  # type: ignore[arg-type]
            for k, v in met.items())]  # fmt: skip
    return "\n".join(lines)


def _measure(run: dict[str, object], key: str) -> float:
    q: dict[str, float] = run["queries_ms"]  # type: ignore[assignment]
    if key == "slowest":
        return max(q.values())
    if key == "median":
        return statistics.median(q.values())
    return float(run[key])  # type: ignore[arg-type]


if __name__ == "__main__":
    release_dir, store_kind, repeats, work_dir = sys.argv[1:5]
    print(json.dumps(_child(Path(release_dir), store_kind, int(repeats), Path(work_dir))))
