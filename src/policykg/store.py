"""The graph as a queryable store.

The embedded store is pyoxigraph's in-memory store loaded from the current release's N-Quads dump;
the default graph is the union of all named graphs, so a query needs no GRAPH clause unless it
wants to know which source a triple came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .build import DUMP_NQUADS


class StoreError(Exception):
    """No built graph to query, or a query the store refuses."""


@dataclass
class EmbeddedStore:
    store: ox.Store
    release: Path

    @classmethod
    def open(cls, release: Path | None) -> EmbeddedStore:
        if release is None or not (release / DUMP_NQUADS).exists():
            raise StoreError("no built graph yet: run `policykg build` first")
        store = ox.Store()
        store.bulk_load(path=str(release / DUMP_NQUADS), format=ox.RdfFormat.N_QUADS)
        return cls(store, release)

    def query(self, text: str) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        try:
            return self.store.query(text, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise StoreError(f"SPARQL syntax error: {exc}") from exc
        except OSError as exc:
            raise StoreError(f"query failed: {exc}") from exc
