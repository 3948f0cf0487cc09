"""The network measures at scale: igraph (C) and scipy sparse products behind networkx's names.

networkx stays the interface and the reference: graphs come in as ``networkx.Graph`` and small ones
are measured by networkx itself (:mod:`policykg.network`). At the issue's scale (10,000 actors,
650,000 ties for one year of 300,000 events) its pure-Python algorithms are far too slow — measured
on that graph: exact weighted betweenness ~4.9 hours (100 sources: ~175 s), Burt's constraint and
effective size minutes each — so this module computes the same quantities another way:

- betweenness with igraph's Brandes (exact, or from ``k`` source actors drawn exactly as
  ``networkx.betweenness_centrality(k=..., seed=...)`` draws them, rescaled as it rescales);
- PageRank with igraph's PRPACK (solved, not iterated to a tolerance);
- Burt's constraint with igraph;
- Burt's effective size and the cross-level brokerage with sparse matrix products in row blocks
  (``A·M`` and ``A·D`` read only where a tie exists), because igraph has no effective size and a
  loop over neighbour pairs costs hours at hubs of 9,000 neighbours;
- Louvain communities with igraph's multilevel algorithm under a fixed seed.

The functions are pure: an :class:`Indexed` graph in, one value per node out, in node order.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property

import igraph as ig
import networkx as nx
import numpy as np
import scipy.sparse as sp

ROW_BLOCK = 512
"""Rows per sparse product: bounds the memory of ``A[rows]·M`` (hub rows are nearly dense)."""

_IGRAPH_RANDOM = threading.Lock()


@dataclass(frozen=True)
class Indexed:
    """An undirected graph with positive weights as arrays: node ``i`` is ``nodes[i]``."""

    nodes: tuple[str, ...]
    weights: sp.csr_array
    """Symmetric, no diagonal: ``weights[i, j]`` is the weight of the tie i-j, 0 where there is none."""
    levels: np.ndarray
    """An integer code per node for its governance level (a missing level is a level of its own)."""

    @property
    def size(self) -> int:
        return len(self.nodes)

    @cached_property
    def igraph(self) -> ig.Graph:
        """The same graph in igraph (built once: ~1 s for 650,000 ties), weights and distances on the edges."""
        upper = sp.triu(self.weights, k=1).tocoo()
        made = ig.Graph(n=self.size, edges=np.column_stack([upper.row, upper.col]).tolist())
        made.es["weight"] = upper.data.astype(float).tolist()
        made.es["distance"] = (1.0 / upper.data.astype(float)).tolist()
        return made


def index(graph: nx.Graph) -> Indexed:
    """The positive-weight ties of an undirected graph without self-loops, as a sparse matrix."""
    nodes = tuple(graph)
    weights = sp.csr_array(nx.to_scipy_sparse_array(graph, nodelist=nodes, weight="weight", format="csr"))
    weights.data[weights.data < 0] = 0
    weights.eliminate_zeros()
    names = [graph.nodes[n].get("level", "") or "" for n in nodes]
    codes = {name: code for code, name in enumerate(sorted(set(names)))}
    return Indexed(nodes, weights, np.array([codes[name] for name in names], dtype=np.int64))


def _adjacency(graph: Indexed) -> sp.csr_array:
    adjacency = graph.weights.copy()
    adjacency.data[:] = 1.0
    return adjacency


def _masked_row_sums(left: sp.csr_array, right: sp.csr_array, mask: sp.csr_array) -> np.ndarray:
    """``Σ_j mask[i, j]·(left·right)[i, j]`` for every row ``i``, a block of rows at a time: the
    product is only needed where ``mask`` has a value, and whole it would hold ~10⁸ entries."""
    out = np.zeros(left.shape[0])
    for start in range(0, left.shape[0], ROW_BLOCK):
        rows = slice(start, start + ROW_BLOCK)
        product = sp.csr_array(left[rows] @ right)
        out[rows] = np.asarray(sp.csr_array(mask[rows]).multiply(product).sum(axis=1)).ravel()
    return out


def sources(nodes: tuple[str, ...], k: int, seed: int) -> list[int]:
    """The source actors networkx's ``betweenness_centrality(k=k, seed=seed)`` would draw."""
    drawn = set(random.Random(seed).sample(list(nodes), k))
    return [i for i, node in enumerate(nodes) if node in drawn]


def betweenness(graph: Indexed, k: int | None = None, seed: int = 0) -> np.ndarray:
    """Weighted betweenness (distance = 1/weight), normalised as networkx normalises it; from ``k``
    sampled sources when ``k`` is given (networkx's estimator: same sources, same rescaling)."""
    n = graph.size
    if n <= 2:
        return np.zeros(n)
    made = graph.igraph
    if k is None or k >= n:
        raw = np.array(made.betweenness(weights="distance", directed=False))
        return raw * 2.0 / ((n - 1) * (n - 2))
    chosen = sources(graph.nodes, k, seed)
    # igraph counts each unordered (source, target) pair once, networkx each ordered one: hence the 2
    raw = np.array(made.betweenness(weights="distance", directed=False, sources=chosen))
    scale = np.full(n, 2.0 / (k * (n - 2)))
    scale[chosen] = 2.0 / ((k - 1) * (n - 2)) if k > 1 else np.nan
    return raw * scale


def pagerank(graph: Indexed, alpha: float) -> np.ndarray:
    """Weighted PageRank solved by PRPACK; an isolate's share is spread evenly, as networkx does."""
    if graph.size == 0:
        return np.zeros(0)
    return np.array(graph.igraph.pagerank(damping=alpha, weights="weight", directed=False))


def constraint(graph: Indexed) -> np.ndarray:
    """Burt's constraint, weighted; NaN for an isolate (networkx's convention)."""
    values = np.array(graph.igraph.constraint(weights="weight"), dtype=float)
    values[np.diff(graph.weights.indptr) == 0] = np.nan
    return values


def effective_size(graph: Indexed) -> np.ndarray:
    """Burt's effective size, weighted, as networkx defines it:
    ``n_i − Σ_j Σ_q p_iq·m_jq`` over the neighbours j, q of i, with ``p`` the weights divided by
    the actor's strength and ``m`` by its strongest tie; NaN for an isolate."""
    w = graph.weights
    degree = np.diff(w.indptr).astype(float)
    strength = np.asarray(w.sum(axis=1)).ravel()
    strongest = w.max(axis=1).toarray().ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        share = sp.csr_array(sp.diags_array(np.where(strength > 0, 1.0 / strength, 0.0)) @ w)
        relative = sp.csr_array(sp.diags_array(np.where(strongest > 0, 1.0 / strongest, 0.0)) @ w)
    redundancy = _masked_row_sums(_adjacency(graph), relative, share)
    values = degree - redundancy
    values[degree == 0] = np.nan
    return values


def level_brokerage(graph: Indexed) -> np.ndarray:
    """Pairs of an actor's neighbours at different levels that are not tied to each other:
    all neighbour pairs − same-level pairs − tied pairs of different levels (triangles)."""
    adjacency = _adjacency(graph)
    degree = np.diff(adjacency.indptr).astype(np.int64)
    onehot = sp.csr_array(
        (np.ones(graph.size), (np.arange(graph.size), graph.levels)),
        shape=(graph.size, int(graph.levels.max(initial=0)) + 1),
    )
    per_level = (adjacency @ onehot).toarray().astype(np.int64)
    same_level_pairs = (per_level * (per_level - 1) // 2).sum(axis=1)
    upper = adjacency.tocoo()
    across = graph.levels[upper.row] != graph.levels[upper.col]
    different = sp.csr_array(
        (np.ones(int(across.sum())), (upper.row[across], upper.col[across])), shape=adjacency.shape
    )
    tied_across = np.rint(_masked_row_sums(adjacency, different, adjacency) / 2).astype(np.int64)
    return degree * (degree - 1) // 2 - same_level_pairs - tied_across


@contextmanager
def _igraph_seeded(seed: int) -> Iterator[None]:
    """igraph draws from one process-wide generator: give it a seeded one for the call, then back."""
    with _IGRAPH_RANDOM:
        ig.set_random_number_generator(random.Random(seed))
        try:
            yield
        finally:
            ig.set_random_number_generator(random)


def communities(graph: Indexed, seed: int) -> list[list[int]]:
    """Louvain (igraph multilevel, weighted, final level) under a fixed seed: node indices per community."""
    if graph.size == 0:
        return []
    made = graph.igraph
    with _igraph_seeded(seed):
        found = made.community_multilevel(weights="weight")
    return [list(members) for members in found]
