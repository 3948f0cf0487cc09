"""Scale of the network analysis on a synthetic corpus: ``python -m benchmarks.network --actors N --events M``.

The corpus has the corpus's shape at any size: actors spread over the governance levels, events
of 2-8 participants drawn with a preference for a few busy actors (a coordinator meets many), days
over four years. Times are wall-clock seconds for one period (one year), peak memory the process's
maximum resident set size. Not part of ``python -m benchmarks``: at the issue's scale (10,000
actors, 300,000 events) exact betweenness alone is far beyond a minute in pure-Python networkx.
"""

from __future__ import annotations

import argparse
import random
import resource
import time
from datetime import date, timedelta

from policykg import network as nw

LEVELS = ("eu", "federal", "flemish", "provincial", "local", "civil-society", "academic")


def corpus(actors: int, events: int, seed: int = 7) -> nw.Corpus:
    rng = random.Random(seed)
    iris = [f"a{i:05d}" for i in range(actors)]
    people = {iri: nw.Actor(iri, iri, level=rng.choice(LEVELS), type="agency") for iri in iris}
    weights = [1.0 / (rank + 1) ** 0.8 for rank in range(actors)]
    start = date(2015, 1, 1)
    made = []
    for number in range(events):
        who = frozenset(rng.choices(iris, weights=weights, k=rng.randint(2, 8)))
        day = start + timedelta(days=rng.randrange(4 * 365))
        made.append(nw.Event(f"e{number:06d}", day, day.isoformat(), False, "meeting", "", "", who))
    made.sort(key=lambda e: (e.day, e.iri))
    return nw.Corpus(people, tuple(made), {}, (), ())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--actors", type=int, default=2000)
    parser.add_argument("--events", type=int, default=20000)
    args = parser.parse_args()
    data = corpus(args.actors, args.events)
    year = nw.Filter(start=date(2016, 1, 1), end=date(2016, 12, 31))
    started = time.perf_counter()
    graph = nw.co_attendance(data, year)
    built = time.perf_counter() - started
    print(f"co-attendance, one year: {graph.number_of_nodes()} actors, {graph.number_of_edges()} ties, {built:.2f} s")
    started = time.perf_counter()
    nw.measures(graph)
    print(f"all measures: {time.perf_counter() - started:.2f} s")
    flemish = nw.Filter(start=year.start, end=year.end, levels=frozenset({"flemish"}))
    started = time.perf_counter()
    nw.export(nw.co_attendance(data, flemish), flemish, "json")
    print(f"page JSON, Flemish actors of one year: {time.perf_counter() - started:.2f} s")
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
