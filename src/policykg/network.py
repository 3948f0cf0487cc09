"""The coordination network: who meets whom, and who connects whom.

The graph is read once through the named queries ``network-*.rq`` (any store with ``select(text)``
will do, embedded or remote) into a :class:`Corpus` of plain rows; layers, filters and measures are
pure functions of that corpus, so the web page can filter in memory without asking the store again
and a test can hand-make a corpus or a graph.

Layers: co-attendance (actors linked by shared events, weighted by their number, with first and
last date and the events), membership (linked by shared bodies), co-responsibility (linked by shared
actions) and funding (directed funder → recipient, weighted by euro). Several layers combine into
one undirected graph whose weight counts the shared events, bodies, actions and grants.

Every measure is reported with the method that computed it (:data:`METHODS`), because a
"betweenness" without its weighting and normalisation cannot be compared or cited.
"""

from __future__ import annotations

import csv
import gc
import io
import itertools
import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol

import networkx as nx
import numpy as np

from . import network_scale as scale
from .queries import NamedQuery, load_queries

LAYERS = ("co-attendance", "membership", "co-responsibility", "funding")
STATUSES = ("held", "planned", "all")
COMMUNITY_SEED = 42
PAGERANK_ALPHA = 0.85
METHODS: dict[str, str] = {
    "degree": "number of distinct neighbours (networkx degree; in + out for the directed funding layer)",
    "strength": "sum of the weights of an actor's ties (networkx degree with weight)",
    "betweenness": "weighted betweenness, distance = 1/weight, normalised "
    "(networkx.betweenness_centrality, Brandes 2001)",
    "pagerank": f"PageRank, weighted, alpha {PAGERANK_ALPHA} (networkx.pagerank)",
    "constraint": "Burt's constraint, weighted (networkx.constraint); empty for an actor without ties",
    "effective_size": "Burt's effective size, weighted (networkx.effective_size, node by node); "
    "empty for an actor without ties",
    "level_brokerage": "pairs of neighbours at different governance levels that are not tied to each other "
    "(undirected Gould–Fernandez cross-level brokerage: liaison, gatekeeper and representative roles)",
    "community": f"Louvain communities, weighted, seed {COMMUNITY_SEED} (networkx.community.louvain_communities); "
    "numbered by size, largest first",
}
MEASURES = tuple(METHODS)

NETWORKX_MAX_NODES = 1000
"""Up to this many actors networkx computes every measure itself (the corpus's graphs: a few
hundred actors, well under a second); above it :mod:`policykg.network_scale` does, because
networkx takes hours at the benchmark's 10,000 actors (see benchmarks/RESULTS.md, "network")."""
BETWEENNESS_EXACT_MAX_NODES = NETWORKX_MAX_NODES
"""Above this many actors betweenness is estimated from sampled sources, not computed exactly: exact
(igraph) it took 0.65 s of the filtered view's 1 s budget at 1,438 actors, sampled 0.05 s."""
BETWEENNESS_SOURCES = 100
BETWEENNESS_SEED = 42
SCALE_METHODS: dict[str, str] = {
    **METHODS,
    "betweenness": "weighted betweenness, distance = 1/weight, normalised "
    "(igraph.Graph.betweenness, Brandes 2001; same values as networkx.betweenness_centrality)",
    "pagerank": f"PageRank, weighted, alpha {PAGERANK_ALPHA} (igraph.Graph.pagerank, PRPACK)",
    "constraint": "Burt's constraint, weighted (igraph.Graph.constraint); empty for an actor without ties",
    "effective_size": "Burt's effective size, weighted, as networkx.effective_size defines it "
    "(sparse matrix products, scipy); empty for an actor without ties",
    "level_brokerage": METHODS["level_brokerage"] + "; counted with sparse matrix products (scipy)",
    "community": f"Louvain communities, weighted, seed {COMMUNITY_SEED} (igraph.Graph.community_multilevel); "
    "numbered by size, largest first",
}
SAMPLED_BETWEENNESS = (
    f"weighted betweenness, distance = 1/weight, normalised, estimated from {BETWEENNESS_SOURCES} source actors "
    f"drawn with seed {BETWEENNESS_SEED} (Brandes and Pich 2007; igraph.Graph.betweenness with sources, "
    "rescaled as networkx.betweenness_centrality with k and seed, which draws the same sources)"
)


class Store(Protocol):
    def select(self, text: str) -> list[dict[str, Any]]: ...


class NetworkError(ValueError):
    """A layer, filter or format that does not exist or does not fit (the API answers 400)."""


# -- what is read from the graph ---------------------------------------------------------------


@dataclass(frozen=True)
class Actor:
    iri: str
    label: str
    label_en: str = ""
    kind: str = "organisation"
    organisation: str = ""
    """For a post or person: the organisation it is folded into."""
    level: str = ""
    type: str = ""
    domains: tuple[str, ...] = ()


@dataclass(frozen=True)
class Event:
    iri: str
    day: date
    date: str
    """The date at its precision as the graph has it (YYYY-MM-DD, YYYY-MM or YYYY)."""
    planned: bool
    kind: str
    title: str
    session_of: str
    participants: frozenset[str]


@dataclass(frozen=True)
class Action:
    iri: str
    code: str
    title: str
    agents: frozenset[str]


@dataclass(frozen=True)
class Grant:
    iri: str
    label: str
    funder: str
    recipient: str
    amount: Decimal | None
    code: str


@dataclass(frozen=True)
class EventArrays:
    """The corpus's events as arrays, made once per corpus: a filtered view then selects its events
    and participants with array operations instead of a Python loop over every event (0.9 s of the
    1.2 s a one-year, one-level view took at the benchmark's 300,000 events)."""

    agents: tuple[str, ...]
    """Every participant IRI, sorted; the participant numbers below are positions in it."""
    days: np.ndarray
    """Per event, the ordinal of its first day (events are sorted by day, so this is sorted too)."""
    planned: np.ndarray
    bodies: tuple[str, ...]
    body: np.ndarray
    """Per event, the position in ``bodies`` of the series it is a session of ("" included)."""
    offsets: np.ndarray
    """Event ``i``'s participants are ``participants[offsets[i]:offsets[i + 1]]``."""
    participants: np.ndarray
    iris: np.ndarray
    dates: np.ndarray
    """Per event, its date at its precision, and its first day in ISO form (object arrays of str)."""
    starts: np.ndarray

    @classmethod
    def of(cls, events: tuple[Event, ...]) -> EventArrays:
        """Made in bulk (``map`` over chained sets, one conversion per distinct day): a generator per
        event took 2.5 s at 300,000 events, this takes under 1 s."""
        groups = [e.participants for e in events]
        agents = tuple(sorted(set().union(*groups)))
        number = {a: i for i, a in enumerate(agents)}
        bodies = tuple(sorted({e.session_of for e in events}))
        body_number = {b: i for i, b in enumerate(bodies)}
        sizes = np.fromiter(map(len, groups), np.int64, len(groups))
        days = [e.day for e in events]
        ordinal = {d: d.toordinal() for d in set(days)}
        iso = {d: d.isoformat() for d in ordinal}
        return cls(
            agents=agents,
            days=np.fromiter(map(ordinal.__getitem__, days), np.int64, len(days)),
            planned=np.fromiter((e.planned for e in events), np.bool_, len(events)),
            bodies=bodies,
            body=np.fromiter((body_number[e.session_of] for e in events), np.int64, len(events)),
            offsets=np.concatenate([np.zeros(1, np.int64), np.cumsum(sizes)]),
            participants=np.fromiter(
                map(number.__getitem__, itertools.chain.from_iterable(groups)), np.int64, int(sizes.sum())
            ),
            iris=np.array([e.iri for e in events], dtype=object),
            dates=np.array([e.date for e in events], dtype=object),
            starts=np.array(list(map(iso.__getitem__, days)), dtype=object),
        )


@dataclass(frozen=True)
class Corpus:
    actors: Mapping[str, Actor]
    events: tuple[Event, ...]
    memberships: Mapping[str, frozenset[str]]
    """Body → its members."""
    actions: tuple[Action, ...]
    grants: tuple[Grant, ...]

    @cached_property
    def arrays(self) -> EventArrays:
        """The events as arrays, for :func:`co_attendance` (the service keeps one corpus for all views)."""
        return EventArrays.of(self.events)


def _value(row: Mapping[str, Any], name: str) -> str:
    term = row.get(name)
    return "" if term is None else str(getattr(term, "value", term))


def _first_day(row: Mapping[str, Any]) -> tuple[date, str]:
    """The first day a date at its precision covers ('2017-06' → 2017-06-01), and the date itself."""
    written = _value(row, "date")
    return date.fromisoformat((written + "-01-01")[:10]), written


def load(store: Store, queries: Mapping[str, NamedQuery], params: Mapping[str, str] | None = None) -> Corpus:
    """Read the network's rows through the named queries; ``params`` (from, to, body) narrow the events."""
    actors: dict[str, Actor] = {}
    for row in store.select(queries["network-actors"].bound({})):
        iri = _value(row, "agent")
        domain = _value(row, "domain")
        known = actors.get(iri)
        if known is not None:
            if domain and domain not in known.domains:
                actors[iri] = replace(known, domains=(*known.domains, domain))
            continue
        actors[iri] = Actor(
            iri,
            _value(row, "label"),
            _value(row, "label_en"),
            _value(row, "kind"),
            _value(row, "organisation"),
            _value(row, "level"),
            _value(row, "type"),
            (domain,) if domain else (),
        )
    participants: dict[str, set[str]] = {}
    first: dict[str, Mapping[str, Any]] = {}
    for row in store.select(queries["network-participation"].bound(dict(params or {}))):
        iri = _value(row, "event")
        # mentions that disagree on the date give a row each: the event counts from the earliest
        if iri not in first or _first_day(row) < _first_day(first[iri]):
            first[iri] = row
        participants.setdefault(iri, set()).add(_value(row, "agent"))
    events = tuple(
        sorted(
            (
                Event(
                    iri,
                    _first_day(row)[0],
                    _value(row, "date"),
                    _value(row, "planned") == "true",
                    _value(row, "kind"),
                    _value(row, "title"),
                    _value(row, "session_of"),
                    frozenset(participants[iri]),
                )
                for iri, row in first.items()
            ),
            key=lambda e: (e.day, e.iri),
        )
    )
    members: dict[str, set[str]] = {}
    for row in store.select(queries["network-memberships"].bound({})):
        members.setdefault(_value(row, "body"), set()).add(_value(row, "member"))
    action_rows: dict[str, tuple[str, str, set[str]]] = {}
    for row in store.select(queries["network-actions"].bound({})):
        entry = action_rows.setdefault(_value(row, "action"), (_value(row, "code"), _value(row, "title"), set()))
        entry[2].add(_value(row, "agent"))
    grants = tuple(
        Grant(
            _value(r, "grant"),
            _value(r, "label"),
            _value(r, "funder"),
            _value(r, "recipient"),
            Decimal(_value(r, "amount")) if _value(r, "amount") else None,
            _value(r, "code"),
        )
        for r in store.select(queries["network-grants"].bound({}))
    )
    return Corpus(
        actors=dict(sorted(actors.items())),
        events=events,
        memberships={b: frozenset(m) for b, m in sorted(members.items())},
        actions=tuple(Action(iri, c, t, frozenset(a)) for iri, (c, t, a) in sorted(action_rows.items())),
        grants=grants,
    )


def load_release(store: Store, queries_dir: Path, params: Mapping[str, str] | None = None) -> Corpus:
    return load(store, load_queries(queries_dir), params)


# -- filters -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filter:
    """Which part of the network to look at. Empty sets mean 'any'."""

    start: date | None = None
    end: date | None = None
    levels: frozenset[str] = frozenset()
    types: frozenset[str] = frozenset()
    domains: frozenset[str] = frozenset()
    body: str | None = None
    status: str = "held"
    fold_posts: bool = False

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise NetworkError(f"status must be one of {', '.join(STATUSES)}, not {self.status!r}")
        if self.start and self.end and self.start > self.end:
            raise NetworkError(f"the period starts ({self.start}) after it ends ({self.end})")

    def as_dict(self) -> dict[str, Any]:
        return {
            "from": self.start.isoformat() if self.start else None,
            "to": self.end.isoformat() if self.end else None,
            "levels": sorted(self.levels),
            "types": sorted(self.types),
            "domains": sorted(self.domains),
            "body": self.body,
            "status": self.status,
            "fold_posts": self.fold_posts,
        }

    def event(self, event: Event) -> bool:
        if self.start and event.day < self.start:
            return False
        if self.end and event.day > self.end:
            return False
        if self.body and event.session_of != self.body:
            return False
        return self.status == "all" or event.planned == (self.status == "planned")

    def actor(self, actor: Actor | None) -> bool:
        if actor is None:
            return not (self.levels or self.types or self.domains)
        if self.levels and actor.level not in self.levels:
            return False
        if self.types and actor.type not in self.types:
            return False
        return not self.domains or bool(self.domains & set(actor.domains))


def carrier(corpus: Corpus, iri: str, fold_posts: bool) -> str:
    """The node an agent is shown as: itself, or (folded) the organisation of a post or person."""
    if not fold_posts:
        return iri
    actor = corpus.actors.get(iri)
    return actor.organisation if actor is not None and actor.organisation else iri


def _nodes(corpus: Corpus, graph: nx.Graph, iris: Iterable[str]) -> None:
    for iri in sorted(set(iris)):
        if iri in graph:
            continue
        actor = corpus.actors.get(iri)
        graph.add_node(
            iri,
            label=actor.label if actor else iri.rsplit("/", 1)[-1],
            label_en=(actor.label_en or actor.label) if actor else "",
            kind=actor.kind if actor else "",
            level=actor.level if actor else "",
            type=actor.type if actor else "",
            domain=" ".join(actor.domains) if actor else "",
        )


def _restrict(corpus: Corpus, graph: nx.Graph, filt: Filter) -> nx.Graph:
    """The subgraph of the actors the filter keeps (ties among them are kept whole)."""
    keep = [n for n in graph if filt.actor(corpus.actors.get(n))]
    return graph.subgraph(keep).copy()


# -- layers ------------------------------------------------------------------------------------


def _shown(corpus: Corpus, filt: Filter, agents: tuple[str, ...]) -> tuple[list[str], np.ndarray]:
    """The nodes the filter shows (sorted) and, per agent, the number of the node it is shown as
    (itself or, folded, its organisation), or -1 when the filter leaves it out."""
    shown: list[str | None] = []
    for agent in agents:
        node = carrier(corpus, agent, filt.fold_posts)
        shown.append(node if filt.actor(corpus.actors.get(node)) else None)
    names = sorted({node for node in shown if node is not None})
    number = {name: i for i, name in enumerate(names)}
    return names, np.fromiter((-1 if n is None else number[n] for n in shown), np.int64, len(shown))


def _kept_events(arrays: EventArrays, filt: Filter) -> np.ndarray:
    """The positions of the events the filter keeps: the period by bisection (they are sorted by
    day), then status and body."""
    low = int(np.searchsorted(arrays.days, filt.start.toordinal(), "left")) if filt.start else 0
    high = int(np.searchsorted(arrays.days, filt.end.toordinal(), "right")) if filt.end else len(arrays.days)
    keep = np.ones(high - low, np.bool_)
    if filt.status != "all":
        keep &= arrays.planned[low:high] == (filt.status == "planned")
    if filt.body:
        body = arrays.bodies.index(filt.body) if filt.body in arrays.bodies else -1
        keep &= arrays.body[low:high] == body
    return np.flatnonzero(keep) + low


def _attendance(arrays: EventArrays, kept: np.ndarray, node_of: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(event, node) for every node shown at a kept event, once each, sorted by event then node:
    the event as its position in ``kept``."""
    counts = arrays.offsets[kept + 1] - arrays.offsets[kept]
    total = int(counts.sum())
    owner = np.repeat(np.arange(len(kept), dtype=np.int64), counts)
    within = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
    nodes = node_of[arrays.participants[arrays.offsets[kept][owner] + within]] if total else owner
    seen = nodes >= 0
    width = max(int(node_of.max(initial=-1)) + 1, 1)
    # folding can show two participants of one event as the same node: counted once
    key = np.unique(owner[seen] * width + nodes[seen])
    return key // width, key % width


def _pairs(owner: np.ndarray, node: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every pair (a < b) of nodes at the same event, with the event: vectorised per number of
    nodes at an event, since a loop over the ~1,000,000 pairs of a year at the benchmark's scale
    costs seconds in Python. ``owner`` and ``node`` are sorted by event, then node."""
    events, begin, size = np.unique(owner, return_index=True, return_counts=True)
    firsts, seconds, owners = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
    for n in np.unique(size[size > 1]).tolist():
        chosen = size == n
        table = node[begin[chosen][:, None] + np.arange(n)]
        left, right = np.triu_indices(n, k=1)
        firsts.append(table[:, left].ravel())
        seconds.append(table[:, right].ravel())
        owners.append(np.repeat(events[chosen], len(left)))
    return np.concatenate(firsts), np.concatenate(seconds), np.concatenate(owners)


@contextmanager
def _bulk() -> Iterator[None]:
    """Pause the cyclic garbage collector while hundreds of thousands of acyclic dicts and lists are
    made: its full passes rescan the whole growing graph and took half of the one-year build at the
    benchmark's scale (14.8 s instead of 25.8-29.8 s, measured under load)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def co_attendance(corpus: Corpus, filt: Filter = Filter()) -> nx.Graph:
    """Actors tied by the events they attended together; an actor attending alone is an isolate.

    Ties are counted with arrays (pairs sorted by pair, then by event) rather than a dictionary of
    pairs: 1.2 s instead of 21 s for one year of the 300,000-event benchmark corpus."""
    graph = nx.Graph(layer="co-attendance")
    arrays = corpus.arrays
    names, node_of = _shown(corpus, filt, arrays.agents)
    kept = _kept_events(arrays, filt)
    owner, node = _attendance(arrays, kept, node_of)
    present, first_seen = np.unique(node, return_index=True)
    # events come sorted by day: the first one a node is seen at is its start on the timeline
    starts = arrays.starts[kept[owner[first_seen]]].tolist()
    shown = [names[i] for i in present.tolist()]
    _nodes(corpus, graph, shown)
    for name, start in zip(shown, starts, strict=True):
        graph.nodes[name]["start"] = start
    first, second, event = _pairs(owner, node)
    order = np.lexsort((event, second, first))
    with _bulk():
        _tie(graph, arrays, names, (first[order], second[order], kept[event[order]]))
    return graph


def _tie(graph: nx.Graph, arrays: EventArrays, names: list[str], pairs: tuple[np.ndarray, ...]) -> None:
    """One edge per run of equal pairs (sorted by pair, then by event): weight, dates and events."""
    first, second, event = pairs
    bounds = np.flatnonzero(np.diff(first) | np.diff(second)) + 1
    starts = np.concatenate([np.zeros(1, np.int64), bounds]) if len(first) else np.zeros(0, np.int64)
    ends = np.concatenate([starts[1:], [len(first)]]) if len(first) else starts
    iris = arrays.iris[event].tolist()
    first_event, last_event = event[starts], event[ends - 1]
    graph.add_edges_from(
        (
            names[a],
            names[b],
            {
                "weight": hi - lo,
                "first": first_date,
                "last": last_date,
                "start": first_day,
                "end": last_day,
                "events": iris[lo:hi],
            },
        )
        for a, b, lo, hi, first_date, last_date, first_day, last_day in zip(
            first[starts].tolist(),
            second[starts].tolist(),
            starts.tolist(),
            ends.tolist(),
            arrays.dates[first_event].tolist(),
            arrays.dates[last_event].tolist(),
            arrays.starts[first_event].tolist(),
            arrays.starts[last_event].tolist(),
            strict=True,
        )
    )


def _projection(corpus: Corpus, groups: Iterable[tuple[str, Iterable[str]]], layer: str, filt: Filter) -> nx.Graph:
    """Actors tied by the groups (bodies, actions) they share; weight = number of shared groups."""
    graph = nx.Graph(layer=layer)
    ties: dict[tuple[str, str], list[str]] = {}
    for group, members in groups:
        who = sorted({carrier(corpus, m, filt.fold_posts) for m in members})
        _nodes(corpus, graph, who)
        for a, b in itertools.combinations(who, 2):
            ties.setdefault((a, b), []).append(group)
    for (a, b), shared in sorted(ties.items()):
        graph.add_edge(a, b, weight=len(shared), via=sorted(shared))
    return _restrict(corpus, graph, filt)


def membership(corpus: Corpus, filt: Filter = Filter()) -> nx.Graph:
    return _projection(corpus, corpus.memberships.items(), "membership", filt)


def co_responsibility(corpus: Corpus, filt: Filter = Filter()) -> nx.Graph:
    return _projection(corpus, ((a.iri, a.agents) for a in corpus.actions), "co-responsibility", filt)


def funding(corpus: Corpus, filt: Filter = Filter()) -> nx.DiGraph:
    """Directed funder → recipient, weighted by euro; grants without an amount count as ties of 0 euro."""
    graph = nx.DiGraph(layer="funding")
    flows: dict[tuple[str, str], list[Grant]] = {}
    for grant in corpus.grants:
        key = (carrier(corpus, grant.funder, filt.fold_posts), carrier(corpus, grant.recipient, filt.fold_posts))
        _nodes(corpus, graph, key)
        flows.setdefault(key, []).append(grant)
    for (a, b), grants in sorted(flows.items()):
        euro = sum((g.amount or Decimal(0) for g in grants), Decimal(0))
        graph.add_edge(a, b, weight=float(euro), euro=str(euro), grants=len(grants), via=[g.iri for g in grants])
    return _restrict(corpus, graph, filt)


BUILDERS = {
    "co-attendance": co_attendance,
    "membership": membership,
    "co-responsibility": co_responsibility,
    "funding": funding,
}


def network(corpus: Corpus, layers: Iterable[str], filt: Filter = Filter()) -> nx.Graph:
    """One layer as it is, or several combined: undirected, weight = shared events + bodies + actions + grants."""
    chosen = list(dict.fromkeys(layers))
    unknown = [name for name in chosen if name not in BUILDERS]
    if unknown or not chosen:
        raise NetworkError(f"layer must be one or more of {', '.join(LAYERS)}, not {','.join(unknown) or 'none'!r}")
    if len(chosen) == 1:
        return BUILDERS[chosen[0]](corpus, filt)
    combined = nx.Graph(layer="+".join(chosen))
    for name in chosen:
        part = BUILDERS[name](corpus, filt)
        combined.add_nodes_from(sorted(part.nodes(data=True)))
        for a, b, data in sorted(part.edges(data=True)):
            count = data["grants"] if name == "funding" else data["weight"]
            a, b = min(a, b), max(a, b)
            if combined.has_edge(a, b):
                combined[a][b]["weight"] += count
                combined[a][b][name] = combined[a][b].get(name, 0) + count
            else:
                combined.add_edge(a, b, weight=count, **{name: count})
    return combined


# -- measures ----------------------------------------------------------------------------------


def _finite(value: float) -> float | None:
    return None if value is None or math.isnan(value) else round(float(value), 10)


def level_brokerage(graph: nx.Graph) -> dict[str, int]:
    """For each actor: pairs of its neighbours at different levels that are not tied to each other."""
    undirected = graph.to_undirected(as_view=True) if graph.is_directed() else graph
    levels = nx.get_node_attributes(graph, "level")
    out: dict[str, int] = {}
    for node in undirected:
        neighbours = sorted(n for n in undirected[node] if n != node)
        out[node] = sum(
            1
            for j, k in itertools.combinations(neighbours, 2)
            if levels.get(j, "") != levels.get(k, "") and not undirected.has_edge(j, k)
        )
    return out


def communities(graph: nx.Graph) -> dict[str, int]:
    undirected = graph.to_undirected() if graph.is_directed() else graph
    if undirected.number_of_nodes() == 0:
        return {}
    found = nx.community.louvain_communities(undirected, weight="weight", seed=COMMUNITY_SEED)
    ordered = sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))
    return {node: index for index, members in enumerate(ordered) for node in members}


def at_scale(graph: nx.Graph) -> bool:
    """Whether the graph is measured by :mod:`policykg.network_scale` rather than by networkx."""
    return (
        not graph.is_directed()
        and graph.number_of_nodes() > NETWORKX_MAX_NODES
        and nx.number_of_selfloops(graph) == 0
    )


def methods(graph: nx.Graph) -> dict[str, str]:
    """The method of each measure as :func:`measures` computes it for this graph."""
    if not at_scale(graph):
        return dict(METHODS)
    if graph.number_of_nodes() > BETWEENNESS_EXACT_MAX_NODES:
        return {**SCALE_METHODS, "betweenness": SAMPLED_BETWEENNESS}
    return dict(SCALE_METHODS)


def _measures_at_scale(graph: nx.Graph) -> dict[str, dict[str, float | int | None]]:
    indexed = scale.index(graph)
    nodes = indexed.nodes

    def per_node(values: np.ndarray) -> dict[str, float | None]:
        return {node: _finite(value) for node, value in zip(nodes, values.tolist(), strict=True)}

    sampled = graph.number_of_nodes() > BETWEENNESS_EXACT_MAX_NODES
    found = scale.communities(indexed, COMMUNITY_SEED)
    ordered = sorted((sorted(nodes[i] for i in c) for c in found), key=lambda c: (-len(c), c[0]))
    return {
        "degree": dict(graph.degree()),
        "strength": {n: _finite(s) for n, s in graph.degree(weight="weight")},
        "betweenness": per_node(
            scale.betweenness(indexed, BETWEENNESS_SOURCES if sampled else None, BETWEENNESS_SEED)
        ),
        "pagerank": per_node(scale.pagerank(indexed, PAGERANK_ALPHA)),
        "constraint": per_node(scale.constraint(indexed)),
        "effective_size": per_node(scale.effective_size(indexed)),
        "level_brokerage": dict(zip(nodes, scale.level_brokerage(indexed).tolist(), strict=True)),
        "community": {node: index for index, members in enumerate(ordered) for node in members},
    }


def measures(graph: nx.Graph) -> dict[str, dict[str, float | int | None]]:
    """Every measure of :data:`METHODS` for every actor of the graph, by the methods :func:`methods` names."""
    if graph.number_of_nodes() == 0:
        # a period without events: networkx's constraint raises on an empty graph (a 500 on the page)
        return {m: {} for m in MEASURES}
    if at_scale(graph):
        return _measures_at_scale(graph)
    distance = nx.DiGraph() if graph.is_directed() else nx.Graph()
    distance.add_nodes_from(graph)
    distance.add_edges_from(
        (a, b, {"distance": 1.0 / d["weight"]}) for a, b, d in graph.edges(data=True) if d["weight"] > 0
    )
    positive = graph.copy()
    positive.remove_edges_from([(a, b) for a, b, d in graph.edges(data=True) if d["weight"] <= 0])
    out: dict[str, dict[str, float | int | None]] = {
        "degree": dict(graph.degree()),
        "strength": {n: _finite(s) for n, s in graph.degree(weight="weight")},
        "betweenness": {n: _finite(v) for n, v in nx.betweenness_centrality(distance, weight="distance").items()},
        "pagerank": {n: _finite(v) for n, v in nx.pagerank(positive, alpha=PAGERANK_ALPHA, weight="weight").items()}
        if graph.number_of_nodes()
        else {},
        "constraint": {n: _finite(v) for n, v in nx.constraint(positive, weight="weight").items()},
        # node by node: for all nodes at once networkx 3.6 takes a sparse shortcut that divides each
        # weight by the strongest tie of the wrong actor (the neighbour's neighbour, not the neighbour)
        "effective_size": {
            n: _finite(v) for n, v in nx.effective_size(positive, nodes=list(positive), weight="weight").items()
        },
        "level_brokerage": dict(level_brokerage(graph)),
        "community": dict(communities(positive)),
    }
    return out


def level_density(graph: nx.Graph) -> list[dict[str, Any]]:
    """Density of ties within each governance level and between each pair of levels (undirected)."""
    undirected = graph.to_undirected() if graph.is_directed() else graph
    levels = {n: d.get("level") or "unknown" for n, d in undirected.nodes(data=True)}
    size: dict[str, int] = {}
    for level in levels.values():
        size[level] = size.get(level, 0) + 1
    ties: dict[tuple[str, str], int] = {}
    for a, b in undirected.edges():
        if a == b:
            continue
        key = tuple(sorted((levels[a], levels[b])))
        ties[key] = ties.get(key, 0) + 1  # type: ignore[index]
    rows = []
    for x, y in itertools.combinations_with_replacement(sorted(size), 2):
        possible = size[x] * (size[x] - 1) // 2 if x == y else size[x] * size[y]
        count = ties.get((x, y), 0)
        rows.append(
            {
                "level_a": x,
                "level_b": y,
                "ties": count,
                "possible": possible,
                "density": round(count / possible, 10) if possible else None,
            }
        )
    return rows


# -- output ------------------------------------------------------------------------------------


def as_json(graph: nx.Graph, filt: Filter, lang: str = "nl") -> dict[str, Any]:
    """Nodes with their measures, edges and the density table; methods named beside the figures."""
    values = measures(graph)
    nodes = []
    for node, data in sorted(graph.nodes(data=True)):
        nodes.append(
            {
                "id": node,
                **{k: v for k, v in data.items()},
                "name": data.get("label_en") if lang == "en" and data.get("label_en") else data.get("label"),
                "measures": {m: values[m].get(node) for m in MEASURES},
            }
        )
    edges = [{"source": a, "target": b, **data} for a, b, data in sorted(graph.edges(data=True))]
    return {
        "layer": graph.graph.get("layer", ""),
        "directed": graph.is_directed(),
        "filter": filt.as_dict(),
        "methods": methods(graph),
        "summary": {
            "nodes": graph.number_of_nodes(),
            "edges": graph.number_of_edges(),
            "density": round(nx.density(graph), 10) if graph.number_of_nodes() > 1 else 0.0,
        },
        "nodes": nodes,
        "edges": edges,
        "level_density": level_density(graph),
    }


def _flat(graph: nx.Graph, with_measures: bool = True) -> nx.Graph:
    """A copy whose attributes are all scalars (GEXF and GraphML have no lists), measures included."""
    flat = graph.__class__()
    values = measures(graph) if with_measures else {}
    for node, data in sorted(graph.nodes(data=True)):
        attrs = {k: v for k, v in data.items() if v not in (None, "")}
        attrs.update({m: values[m][node] for m in values if values[m].get(node) is not None})
        flat.add_node(node, **attrs)
    for a, b, data in sorted(graph.edges(data=True)):
        flat.add_edge(a, b, **{k: " ".join(v) if isinstance(v, list) else v for k, v in data.items() if v is not None})
    return flat


def gexf(graph: nx.Graph) -> bytes:
    """GEXF 1.2 with start/end dates on nodes and edges, so that Gephi's timeline can play the network."""
    flat = _flat(graph)
    flat.graph["mode"] = "dynamic" if any("start" in d for _, _, d in flat.edges(data=True)) else "static"
    flat.graph["timeformat"] = "date"
    buffer = io.BytesIO()
    nx.write_gexf(flat, buffer, version="1.2draft")
    # The writer stamps today's date; the same network must give the same file.
    return re.sub(rb' lastmodifieddate="[^"]*"', b"", buffer.getvalue())


def graphml(graph: nx.Graph) -> bytes:
    buffer = io.BytesIO()
    nx.write_graphml(_flat(graph), buffer)
    return buffer.getvalue()


def csv_table(graph: nx.Graph, table: str = "nodes") -> bytes:
    """Nodes with their measures, or edges with their weights and dates: one table a researcher loads in R."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if table == "nodes":
        values = measures(graph)
        columns = ["id", "label", "label_en", "kind", "level", "type", "domain"]
        writer.writerow(columns + list(MEASURES))
        for node, data in sorted(graph.nodes(data=True)):
            row = [node] + [data.get(c, "") for c in columns[1:]]
            writer.writerow(row + ["" if values[m].get(node) is None else values[m][node] for m in MEASURES])
    elif table == "edges":
        writer.writerow(["source", "target", "weight", "first", "last", "via"])
        for a, b, data in sorted(graph.edges(data=True)):
            via = data.get("events") or data.get("via") or []
            writer.writerow([a, b, data.get("weight"), data.get("first", ""), data.get("last", ""), " ".join(via)])
    else:
        raise NetworkError(f"table must be nodes or edges, not {table!r}")
    return buffer.getvalue().encode("utf-8")


FORMATS = {
    "json": "application/json",
    "gexf": "application/gexf+xml",
    "graphml": "application/graphml+xml",
    "csv": "text/csv; charset=utf-8",
}


def export(graph: nx.Graph, filt: Filter, fmt: str, table: str = "nodes", lang: str = "nl") -> bytes:
    if fmt == "json":
        return json.dumps(as_json(graph, filt, lang), ensure_ascii=False, sort_keys=True).encode("utf-8")
    if fmt == "gexf":
        return gexf(graph)
    if fmt == "graphml":
        return graphml(graph)
    if fmt == "csv":
        return csv_table(graph, table)
    raise NetworkError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")


# -- one actor's context, for the page's panel --------------------------------------------------


@dataclass
class ActorContext:
    events: list[dict[str, str]] = field(default_factory=list)
    networks: list[str] = field(default_factory=list)
    actions: list[dict[str, str]] = field(default_factory=list)
    grants: list[dict[str, str]] = field(default_factory=list)


def actor_context(corpus: Corpus, iri: str, fold_posts: bool = False) -> dict[str, Any]:
    """The events, bodies, actions and grants of one actor (with its posts when they are folded in)."""

    def mine(agent: str) -> bool:
        return carrier(corpus, agent, fold_posts) == iri

    context = ActorContext()
    context.events = [
        {"iri": e.iri, "date": e.date, "title": e.title, "kind": e.kind, "planned": "true" if e.planned else "false"}
        for e in corpus.events
        if any(mine(p) for p in e.participants)
    ]
    context.networks = sorted(
        {body for body, members in corpus.memberships.items() if any(mine(m) for m in members)}
        | {e.session_of for e in corpus.events if e.session_of and any(mine(p) for p in e.participants)}
    )
    context.actions = [
        {"iri": a.iri, "code": a.code, "title": a.title} for a in corpus.actions if any(mine(m) for m in a.agents)
    ]
    context.grants = [
        {
            "iri": g.iri,
            "label": g.label,
            "amount": str(g.amount or ""),
            "role": "funder" if mine(g.funder) else "recipient",
        }
        for g in corpus.grants
        if mine(g.funder) or mine(g.recipient)
    ]
    actor = corpus.actors.get(iri)
    labels = {b: (corpus.actors[b].label if b in corpus.actors else b) for b in context.networks}
    return {
        "id": iri,
        "label": actor.label if actor else iri,
        "label_en": actor.label_en if actor else "",
        "level": actor.level if actor else "",
        "type": actor.type if actor else "",
        "events": context.events,
        "networks": [{"iri": b, "label": labels[b]} for b in context.networks],
        "actions": context.actions,
        "grants": context.grants,
    }
