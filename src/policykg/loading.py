"""Loading a release into a remote store without ever exposing a half-loaded graph.

Each release is held under versioned graph names (``{base}release/{id}/graph/{slug}``, and its
merge in ``{base}release/{id}/merged``); a small control graph says which release is live, and
:class:`policykg.remote.RemoteStore` reads it and translates graph names, so queries see the
release's own names. A load:

1. drops what an interrupted earlier load left (the control graph lists it as pending);
2. records the new release's graphs as pending, then sends each named graph of the dump, and the
   merge (the Turtle dump, each triple once), in chunks by the Graph Store Protocol;
3. verifies that every graph holds exactly the triples the release's manifest counts;
4. reads the merge back from the store and runs the SHACL shapes on what it holds;
5. switches: one small SPARQL update rewrites the control graph (the new release is live, the one
   before is kept for queries already under way, older ones become pending and are dropped).

The switch is a single update request, which a store applies whole or not at all, and no step
before it touches the live release's graphs or the control graph's live entry: a failure at any
step (a refused chunk, a killed loader, a server that goes away, a wrong count, a SHACL violation)
leaves the live graph as it was. Server-side copies (``MOVE``, ``ADD``) are avoided: on the Oxigraph
server they move about 3,000 triples a second, where the protocol loads about 20,000.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .build import DUMP_NQUADS, DUMP_TURTLE, MANIFEST
from .remote import Live, RemoteStore, merged_name, stored_name
from .shapes import Violation, load_shapes, validate_triples
from .store import StoreError

DCT = "http://purl.org/dc/terms/"
Step = Callable[[str], None]


class LoadError(Exception):
    """The load did not complete; the live graph is unchanged. ``messages`` says what failed."""

    def __init__(self, stage: str, messages: list[str]) -> None:
        self.stage = stage
        self.messages = messages
        shown = "\n".join(f"  {m}" for m in messages[:20])
        more = f"\n  ... and {len(messages) - 20} more" if len(messages) > 20 else ""
        super().__init__(f"loading into the remote store failed at {stage}; the live graph is unchanged:\n"
                         f"{shown}{more}")


@dataclass
class LoadResult:
    release: str
    graphs: dict[str, int]
    triples: int
    timings: dict[str, float] = field(default_factory=dict)


def _term(iri: str) -> str:
    """An IRI as SPARQL syntax, checked and escaped by the RDF library rather than pasted."""
    return str(ox.NamedNode(iri))


def _pending_node(store: RemoteStore) -> str:
    return f"{store.control}/pending"


def _retired_node(store: RemoteStore) -> str:
    return f"{store.control}/previous"


def load_release(
    store: RemoteStore,
    release_dir: Path,
    shapes_dir: Path,
    *,
    on_step: Step | None = None,
) -> LoadResult:
    """Load a built release (its N-Quads and Turtle dumps); see the module docstring for the steps."""
    manifest = read_manifest(release_dir)
    release = str(manifest["release"])
    counts: dict[str, int] = {str(g): int(n) for g, n in manifest["graphs"].items()}  # type: ignore[attr-defined]
    triples = int(manifest["triples"])  # type: ignore[call-overload]
    staging = {graph: stored_name(store.base, release, graph) for graph in sorted(counts)}
    merged = merged_name(store.base, release)
    timings: dict[str, float] = {}
    step = on_step or (lambda _name: None)

    def timed(name: str, action: Callable[[], None]) -> None:
        started = time.perf_counter()
        action()
        timings[name] = timings.get(name, 0.0) + time.perf_counter() - started
        step(name)

    stage = "reading the live release"
    try:
        before = store.live(refresh=True)
        if before.release == release:
            raise LoadError(stage, [f"release {release} is already live"])
        stage = "clearing an earlier interrupted load"
        timed("clean", lambda: _drop_pending(store))
        stage = "recording the new graphs as pending"
        node = _term(_pending_node(store))
        pending = " ".join(f"{node} <{DCT}hasPart> {_term(g)} ." for g in [*staging.values(), merged])
        timed("pending", lambda: store.update(f"INSERT DATA {{ GRAPH {_term(store.control)} {{ {pending} }} }}"))
        stage = "sending the graphs"
        _upload(store, release_dir / DUMP_NQUADS, staging, timings, step)
        _upload_merge(store, release_dir / DUMP_TURTLE, merged, timings, step)
        stage = "verifying the triple counts"
        timed("verify", lambda: _verify(store, {**{staging[g]: n for g, n in counts.items()}, merged: triples}))
        stage = "SHACL validation of what the store holds"
        violations: list[Violation] = []

        def validate() -> None:
            held = store.graph_triples(merged, triples)
            if len(held) != triples:
                raise LoadError(stage, [f"read back {len(held)} triples of the merge, expected {triples}"])
            violations.extend(validate_triples(held, load_shapes(shapes_dir)))

        timed("validate", validate)
        if violations:
            raise LoadError(stage, [str(v) for v in violations])
        stage = "switching the live graph"
        timed("switch", lambda: store.update(_switch(store, release, [*staging.values(), merged], before)))
    except LoadError:
        _cleanup(store)
        raise
    except (StoreError, OSError, ValueError, SyntaxError) as exc:
        _cleanup(store)
        raise LoadError(stage, [str(exc)]) from exc
    # The release before the previous one, now pending, is dropped; a failure here only leaves it for next time.
    _cleanup(store)
    live = store.live(refresh=True)
    if live.release != release:
        raise LoadError("checking the switch", [f"the store reports release {live.release} after the switch"])
    return LoadResult(release, counts, triples, timings)


class _Chunks:
    """N-Triples lines bound for one graph, sent whenever they reach the store's request size."""

    def __init__(self, store: RemoteStore, graph: str, label: str, timings: dict[str, float], step: Step) -> None:
        self.store, self.graph, self.label, self.timings, self.step = store, graph, label, timings, step
        self.lines: list[bytes] = []
        self.size = 0
        self.sent = False

    def add(self, line: bytes) -> None:
        self.lines.append(line)
        self.size += len(line)
        if self.size >= self.store.config.upload_bytes:
            self.send()

    def send(self) -> None:
        if self.sent and not self.lines:
            return
        started = time.perf_counter()
        self.store.put_graph(self.graph, b"".join(self.lines), replace=not self.sent)
        self.timings["upload"] = self.timings.get("upload", 0.0) + time.perf_counter() - started
        self.sent = True
        self.lines, self.size = [], 0
        self.step(f"upload {self.label}")


def _upload(store: RemoteStore, nquads: Path, staging: dict[str, str], timings: dict[str, float], step: Step) -> None:
    """Send each graph's triples in chunks, read line by line so that memory stays bounded.

    The dump is N-Quads with every quad in a named graph, one quad per line; the graph IRI is the
    last term of the line.
    """
    chunks = {graph: _Chunks(store, name, graph, timings, step) for graph, name in staging.items()}
    with nquads.open("rb") as lines:
        for number, line in enumerate(lines, start=1):
            body, graph_term, end = line.rstrip(b"\n").rsplit(b" ", 2)
            if end != b"." or not graph_term.startswith(b"<") or not graph_term.endswith(b">"):
                raise LoadError("reading the dump", [f"{nquads}:{number}: not a quad in a named graph"])
            chunk = chunks.get(graph_term[1:-1].decode("utf-8"))
            if chunk is None:
                where = f"{nquads}:{number}: graph {graph_term.decode()} is not in the manifest"
                raise LoadError("reading the dump", [where])
            chunk.add(body + b" .\n")
    for graph in sorted(chunks):
        chunks[graph].send()


def _upload_merge(store: RemoteStore, turtle: Path, merged: str, timings: dict[str, float], step: Step) -> None:
    """The merge from the Turtle dump, which holds each triple of the release once."""
    chunk = _Chunks(store, merged, "merge", timings, step)
    for triple in ox.parse(path=str(turtle), format=ox.RdfFormat.TURTLE):
        chunk.add(f"{triple} .\n".encode())
    chunk.send()


def _verify(store: RemoteStore, expected: dict[str, int]) -> None:
    wrong = []
    for graph, count in expected.items():
        held = store.count(graph)
        if held != count:
            wrong.append(f"<{graph}> holds {held} triples, the release has {count}")
    if wrong:
        raise LoadError("verifying the triple counts", wrong)


def _switch(store: RemoteStore, release: str, graphs: list[str], before: Live) -> str:
    """One update request: the new release live, the one before it kept, the one before that pending."""
    control = _term(store.control)
    live, previous, pending = _term(store.control), _term(_retired_node(store)), _term(_pending_node(store))
    retired = [r["graph"].value for r in store.select_raw("pending.rq", {"pending": ox.NamedNode(_retired_node(store))},
                                                          (store.control,))]  # fmt: skip
    old = [*before.graphs, merged_name(store.base, before.release)] if before.release else []
    facts = [f"{live} <{DCT}hasVersion> {ox.Literal(release)} ."]
    facts += [f"{live} <{DCT}hasPart> {_term(g)} ." for g in graphs if g != merged_name(store.base, release)]
    # Loading a release again that is still held (as the previous one) reuses its graph names.
    facts += [f"{previous} <{DCT}hasPart> {_term(g)} ." for g in old if g not in graphs]
    facts += [f"{pending} <{DCT}hasPart> {_term(g)} ." for g in retired if g not in graphs and g not in old]
    return f"DROP SILENT GRAPH {control} ;\nINSERT DATA {{ GRAPH {control} {{ {' '.join(facts)} }} }}"


def _drop_pending(store: RemoteStore) -> None:
    rows = store.select_raw("pending.rq", {"pending": ox.NamedNode(_pending_node(store))}, (store.control,))
    graphs = sorted(r["graph"].value for r in rows)
    if not graphs:
        return
    operations = [f"DROP SILENT GRAPH {_term(g)}" for g in graphs]
    operations.append(f"DELETE WHERE {{ GRAPH {_term(store.control)} {{ {_term(_pending_node(store))} ?p ?o }} }}")
    store.update(" ;\n".join(operations))


def _cleanup(store: RemoteStore) -> None:
    """Drop the staging graphs of a failed load if the store still answers; the next load does it otherwise."""
    with contextlib.suppress(StoreError, OSError):
        _drop_pending(store)


def read_manifest(release: Path) -> dict[str, object]:
    return dict(json.loads((release / MANIFEST).read_text(encoding="utf-8")))
