"""The graph as a queryable store.

Every release carries an on-disk Oxigraph store beside its dumps. Its default graph is the RDF
merge of all named graphs, written out as real triples: Oxigraph's own union of the named graphs
keeps a triple once per graph that holds it (a bag), so a fact stated in two documents would be
counted twice by a ``COUNT`` over the default graph. The SPARQL dataset definition asks for a
merge, a set; researchers' counts depend on it. Queries that want to know a triple's source ask
``GRAPH ?g { ... }`` as usual.
"""

from __future__ import annotations

import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import pyoxigraph as ox

if TYPE_CHECKING:
    from .config import Settings

STORE_DIR = "store"
# The dumps a store is filled from (the build writes them under these names).
DUMP_NQUADS = "policykg.nq"
DUMP_TURTLE = "policykg.ttl"
# Written beside a finished store; a release whose store has another layout gets a new store.
STORE_LAYOUT = "store.layout"
LAYOUT = "oxigraph 0.5, named graphs + merged default graph\n"


STORE_KINDS = ("embedded", "remote")
Term = ox.NamedNode | ox.BlankNode | ox.Literal


class StoreError(Exception):
    """No built graph to query, or a query the store refuses."""


class StoreTimeout(StoreError):
    """The store gave no answer within the time limit."""


class Store(Protocol):
    """What every consumer of the graph may use, whichever kind of store holds it.

    Both kinds answer with pyoxigraph's own types, so results read the same: ``query`` gives
    ``QuerySolutions``, ``QueryBoolean`` or ``QueryTriples``; ``select`` gives solutions as dicts.
    """

    def query(self, text: str) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples: ...

    def select(self, text: str) -> list[dict[str, Term]]: ...


def open_store(settings: Settings, release: Path | None) -> Store:
    """The store the settings choose (``POLICYKG_STORE``): the release's embedded store, or the remote one."""
    if settings.store == "remote":
        from .remote import RemoteConfig, RemoteStore

        return RemoteStore(RemoteConfig.from_env(), settings.base)
    return EmbeddedStore.open(release)


Source = bytes | Path
"""A dump to load: its text, or the file that holds it."""


def _bulk_load(store: ox.Store, source: Source, form: ox.RdfFormat, to_graph: ox.DefaultGraph | None = None) -> None:
    options: dict[str, object] = {"path": str(source)} if isinstance(source, Path) else {"input": source}
    if to_graph is not None:
        options["to_graph"] = to_graph
    # Every dump loaded here was written by Oxigraph from terms it had already checked: parsing it
    # leniently (without validating every IRI and language tag again) loads it a fifth faster.
    store.bulk_load(format=form, lenient=True, **options)  # type: ignore[arg-type]


def fill(store: ox.Store, nquads: Source, merged: Source, merged_format: ox.RdfFormat = ox.RdfFormat.N_TRIPLES,
         together: bool = False) -> None:  # fmt: skip
    """Load the named graphs (``nquads``) and, as the default graph, their merge (``merged``:
    N-Triples from a build, or a release's Turtle dump, which is the same union).

    Oxigraph parses and loads without holding Python's lock. ``together`` loads the two at once on
    two threads: on disk, where writing the indexes is most of the cost, that takes a fifth less
    time (1.17 million triples: 18.2 s one after the other, 14.8 s together); in memory it gains
    nothing, and a build that writes its store beside the validation has no core to spare.
    """
    named = partial(_bulk_load, store, nquads, ox.RdfFormat.N_QUADS)
    default = partial(_bulk_load, store, merged, merged_format, ox.DefaultGraph())
    if not together:
        named()
        default()
        return
    with ThreadPoolExecutor(max_workers=2) as pool:
        for loading in [pool.submit(named), pool.submit(default)]:
            loading.result()


def fill_from_release(store: ox.Store, release: Path, together: bool = False) -> None:
    """A store filled from a release's own dumps: the N-Quads and the Turtle union beside it."""
    fill(store, release / DUMP_NQUADS, release / DUMP_TURTLE, ox.RdfFormat.TURTLE, together)


def write_store(folder: Path, nquads: Source, merged: Source, merged_format: ox.RdfFormat = ox.RdfFormat.N_TRIPLES,
                together: bool = False) -> None:  # fmt: skip
    """Write a complete store into a new ``folder``: the named graphs and, as its default graph,
    their merge (see the module docstring and :func:`fill`).

    A build writes its store on the second core while it validates and serialises (``bulk_extend``
    from Python objects holds the lock all along and took twice as long).
    """
    if folder.exists():
        shutil.rmtree(folder)
    store = ox.Store(str(folder))
    fill(store, nquads, merged, merged_format, together)
    store.flush()
    del store


def install_store(release: Path, folder: Path) -> None:
    """Make a store written by :func:`write_store` the release's store (query workers open it read-only)."""
    if (release / STORE_DIR).exists():
        shutil.rmtree(release / STORE_DIR)
    os.replace(folder, release / STORE_DIR)
    (release / STORE_LAYOUT).write_text(LAYOUT, encoding="utf-8")


def store_is_current(release: Path) -> bool:
    layout = release / STORE_LAYOUT
    return (release / STORE_DIR).is_dir() and layout.exists() and layout.read_text(encoding="utf-8") == LAYOUT


@dataclass
class EmbeddedStore:
    store: ox.Store
    release: Path
    union: bool = False
    """Query the union of the named graphs as the default graph (a bag: only for queries whose
    answers are the same over the merge, such as the network's ``SELECT DISTINCT`` ones)."""

    @classmethod
    def open(cls, release: Path | None) -> EmbeddedStore:
        if release is None or not (release / STORE_DIR).is_dir():
            raise StoreError("no built graph yet: run `policykg build` first")
        return cls(ox.Store.read_only(str(release / STORE_DIR)), release)

    def select(self, text: str) -> list[dict[str, Term]]:
        """The solutions of a SELECT query as dicts of bound variables (unbound ones are left out).

        The one shape every consumer of the graph reads (evaluation, pages, network), so that a
        remote store only has to give the same.
        """
        solutions = self.query(text)
        if not isinstance(solutions, ox.QuerySolutions):
            raise StoreError("a SELECT query was expected")
        names = [v.value for v in solutions.variables]
        return [{n: t for n, t in zip(names, solution, strict=True) if t is not None} for solution in solutions]

    def query(self, text: str) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        try:
            return self.store.query(text, use_default_graph_as_union=self.union)
        except SyntaxError as exc:
            raise StoreError(f"SPARQL syntax error: {exc}") from exc
        except OSError as exc:
            raise StoreError(f"query failed: {exc}") from exc
