"""Resource pages over HTTP on loopback and the static export of the corpus.

Serves the current build with ``policykg serve`` and asks for each kind of page in turn (HTML and
Turtle): the first request is the cold time (the page is computed), the following ones after it
the median (the page comes from the release's cache); the target is a median under 50 ms. Then
times ``policykg publish --static`` into a temporary folder (target: under 60 s), in wall clock and
in CPU seconds, since the machine is shared and the wall clock depends on the others' load.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
PAGES = {
    "action": "/id/action/2017/1.1",
    "organisation": "/id/organisation/vvsg",
    "municipality": "/id/municipality/11002",
    "event": "/id/event/2018-06-13-presentation-toelichting",
    "document": "/id/document/voortgangsrapport-2018-11",
    "concept": "/concept/level/flemish",
    "catalogue": "/catalogue",
    "ontology": "/ns",
}


def _serve(port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen([sys.executable, "-m", "policykg.cli", "serve", "--port", str(port), "--workers", "1"],
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    for _ in range(300):
        try:
            httpx.get(f"http://127.0.0.1:{port}/sparql?query=ASK%7B%7D", timeout=1)
            return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("the service did not start")


def run(repeat: int = 5) -> dict[str, Any]:
    port = 8799
    process = _serve(port)
    rows = []
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
            for kind, path in PAGES.items():
                for suffix in ("", ".ttl"):
                    started = time.perf_counter()
                    client.get(path + suffix)
                    cold = (time.perf_counter() - started) * 1000
                    times = []
                    for _ in range(max(repeat, 5) * 4):
                        started = time.perf_counter()
                        r = client.get(path + suffix)
                        times.append((time.perf_counter() - started) * 1000)
                        assert r.status_code == 200, (path, r.status_code)
                    name = kind + (" (Turtle)" if suffix else "")
                    rows.append({"page": name, "cold_ms": round(cold, 1),
                                 "median_ms": round(statistics.median(times), 1),
                                 "max_ms": round(max(times), 1), "bytes": len(r.content)})  # fmt: skip
    finally:
        process.terminate()
        process.wait(timeout=10)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as folder:
        cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        out = subprocess.run([sys.executable, "-m", "policykg.cli", "publish", "--static", folder + "/site"],
                             cwd=ROOT, capture_output=True, text=True, check=True, env=os.environ)  # fmt: skip
        export_seconds = time.perf_counter() - started
        cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    load = f"load average {load_before[0]:.2f} before, {os.getloadavg()[0]:.2f} after, on {os.cpu_count()} CPUs"
    lines = ["| page | cold ms (first request) | median ms | max ms | bytes |", "|---|---:|---:|---:|---:|"]
    lines += [f"| {r['page']} | {r['cold_ms']} | {r['median_ms']} | {r['max_ms']} | {r['bytes']} |" for r in rows]
    lines.append(f"\nstatic export: {out.stdout.strip()} (wall clock {export_seconds:.1f} s, "
                 f"CPU {cpu:.1f} s in all its processes; {load})")  # fmt: skip
    return {"pages": rows, "static_export_seconds": round(export_seconds, 1),
            "static_export_cpu_seconds": round(cpu, 1), "load": load, "table": "\n".join(lines)}  # fmt: skip
