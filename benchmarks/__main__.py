"""Run the benchmarks: ``python -m benchmarks [suite ...]`` (default: all).

Each result is printed as a table and recorded in ``benchmarks/results.json`` together with the
machine, the library versions and the date, and summarised in ``benchmarks/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from . import build_corpus, endpoint, extraction, growth, network, pages

HERE = Path(__file__).resolve().parent
SUITES = {"build": build_corpus.run, "extraction": extraction.run, "endpoint": endpoint.run, "pages": pages.run,
          "scale": growth.run, "network": network.run}  # fmt: skip
LIBRARIES = ("rdflib", "pyshacl", "pyshacl-turbo", "pyoxigraph", "networkx", "igraph", "scipy", "numpy", "fastapi",
             "oxigraph", "rdflib-endpoint")  # fmt: skip


def machine() -> dict[str, object]:
    import os

    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "libraries": {name: _version(name) for name in LIBRARIES},
    }


def _version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def summarise(stored: dict[str, dict[str, object]]) -> None:
    """Write results.json and RESULTS.md from every suite's last outcome."""
    (HERE / "results.json").write_text(json.dumps(stored, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    summary = [
        "# Benchmark results",
        "",
        "Written by `make bench` (`python -m benchmarks`); raw figures in `results.json`.",
        "",
    ]
    for name, outcome in sorted(stored.items()):
        m: dict[str, object] = outcome["machine"]  # type: ignore[assignment]
        summary += [
            f"## {name}",
            "",
            f"{outcome['date']}, {m['platform']}, {m['cpus']} CPUs, Python {m['python']}",
            "",
        ]
        if outcome.get("notes"):
            summary += [str(outcome["notes"]), ""]
        summary += [str(outcome["table"]), ""]
    (HERE / "RESULTS.md").write_text("\n".join(summary), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("suites", nargs="*", help=f"suites to run: {', '.join(SUITES)} (default: all)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sizes", default=",".join(growth.DEFAULT_SIZES),
                        help=f"scale suite: sizes of synthetic triples ({', '.join(growth.SIZES)})")  # fmt: skip
    parser.add_argument("--stores", default=",".join(growth.STORES), help="scale suite: store kinds")
    args = parser.parse_args(argv)
    chosen = args.suites or list(SUITES)
    unknown = [s for s in chosen if s not in SUITES]
    if unknown:
        parser.error(f"unknown suite(s): {', '.join(unknown)}")
    results_file = HERE / "results.json"
    stored = json.loads(results_file.read_text()) if results_file.exists() else {}
    for name in chosen:
        print(f"== {name}", file=sys.stderr)
        scale = {"sizes": tuple(args.sizes.split(",")), "stores": tuple(args.stores.split(","))}
        extra = scale if name == "scale" else {}
        outcome = SUITES[name](repeat=args.repeat, **extra)
        outcome["machine"] = machine()
        outcome["date"] = datetime.now(UTC).strftime("%Y-%m-%d")
        stored[name] = outcome
        print(outcome["table"])
    summarise(stored)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
