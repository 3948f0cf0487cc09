"""Wall time and peak memory of ``policykg build`` on the corpus (target: under 10 s).

Each run is a fresh process building into an empty output folder, so nothing is cached between
runs and the peak resident memory of the process is the build's own.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 10.0

CHILD = """
import json, resource, sys, time
from pathlib import Path
from policykg.build import build
from policykg.config import Settings
started = time.perf_counter()
result = build(Settings(root=Path(sys.argv[1]), build_dir=Path(sys.argv[2])), progress=False)
elapsed = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": elapsed, "peak_bytes": peak, "quads": result.quads, "stages": result.timings}))
"""


def run(repeat: int = 5) -> dict[str, object]:
    runs = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as out:
            started = time.perf_counter()
            proc = subprocess.run(
                [sys.executable, "-c", CHILD, str(ROOT), out], capture_output=True, text=True, check=True
            )
            wall = time.perf_counter() - started
            measured = json.loads(proc.stdout.strip().splitlines()[-1])
            measured["process_seconds"] = wall
            runs.append(measured)
    build_s = statistics.median(r["seconds"] for r in runs)
    process_s = statistics.median(r["process_seconds"] for r in runs)
    peak = max(r["peak_bytes"] for r in runs)
    stages = {k: statistics.median(r["stages"][k] for r in runs) for k in runs[0]["stages"]}
    lines = [
        "| measure | value |",
        "|---|---|",
        f"| quads | {runs[0]['quads']} |",
        f"| build, median of {repeat} (s) | {build_s:.2f} |",
        f"| whole process incl. imports, median (s) | {process_s:.2f} |",
        f"| target (s) | {TARGET_SECONDS:.0f} |",
        f"| peak memory (MiB) | {peak / 2**20:.0f} |",
    ]
    lines += [f"| stage: {k} (s) | {v:.2f} |" for k, v in stages.items()]
    return {
        "build_seconds_median": build_s,
        "process_seconds_median": process_s,
        "peak_bytes": peak,
        "quads": runs[0]["quads"],
        "stages": stages,
        "meets_target": process_s < TARGET_SECONDS,
        "table": "\n".join(lines),
    }
