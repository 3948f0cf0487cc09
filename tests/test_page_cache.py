"""The per-release page cache: bounded, least recently used first, and never serving a page of a
release other than the one asked for (a new build must not be answered with the old one's pages).
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox

from policykg.build import DUMP_NQUADS
from policykg.config import Settings
from policykg.page_cache import ReleaseCache
from policykg.pages import MemoryStore, Site

BASE = "https://w3id.org/policykg/"
ROOT = Path(__file__).resolve().parents[1]


def test_a_cached_value_is_only_returned_for_its_release():
    cache: ReleaseCache[str] = ReleaseCache(max_bytes=100)
    cache.put("r1", "id/x", "html", "old", 3)
    assert cache.get("r1", "id/x", "html") == "old"
    assert cache.get("r2", "id/x", "html") is None
    cache.put("r2", "id/x", "html", "new", 3)
    # storing for the new release drops the old one's pages
    assert cache.get("r1", "id/x", "html") is None
    assert cache.get("r2", "id/x", "html") == "new"
    assert len(cache) == 1


def test_the_cache_is_bounded_and_evicts_the_least_recently_used():
    cache: ReleaseCache[str] = ReleaseCache(max_bytes=10)
    cache.put("r", "a", "html", "A", 4)
    cache.put("r", "b", "html", "B", 4)
    assert cache.get("r", "a", "html") == "A"  # a is now the most recent
    cache.put("r", "c", "html", "C", 4)
    assert cache.get("r", "b", "html") is None
    assert cache.get("r", "a", "html") == "A" and cache.get("r", "c", "html") == "C"
    assert cache.size == 8
    cache.put("r", "huge", "ttl", "H", 11)  # larger than the whole cache: not kept, nothing evicted
    assert cache.get("r", "huge", "ttl") is None and len(cache) == 2


def _release(folder: Path, release_id: str, label: str) -> tuple[MemoryStore, Path, dict]:
    folder.mkdir(parents=True)
    (folder / DUMP_NQUADS).write_text("", encoding="utf-8")
    manifest = {"release": release_id, "files": {}, "graphs": {}, "quads": 1}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    me = ox.NamedNode(f"{BASE}id/organisation/x")
    store = MemoryStore([ox.Triple(me, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                                   ox.Literal(label, language="nl"))])  # fmt: skip
    return store, folder, manifest


def test_a_new_release_is_not_served_the_old_releases_pages(tmp_path):
    settings = Settings(root=ROOT)
    cache = ReleaseCache()
    old = Site(*_release(tmp_path / "r1", "r1", "Oude naam"), settings, cache=cache)
    first = old.resource("id/organisation/x", "html")
    assert first is not None and b"Oude naam" in first.body
    assert old.resource("id/organisation/x", "html") is first  # the second request is the cached page
    new = Site(*_release(tmp_path / "r2", "r2", "Nieuwe naam"), settings, cache=cache)
    for fmt in ("html", "ttl"):
        page = new.resource("id/organisation/x", fmt)
        assert page is not None and b"Nieuwe naam" in page.body and b"Oude naam" not in page.body
