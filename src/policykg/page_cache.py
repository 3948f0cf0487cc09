"""Rendered responses of one release, kept so that a page is computed once while the release is served.

A release's data never changes under the service (a new build is a new release folder and a new
:class:`policykg.pages.Site`), so a page's bytes depend only on the release, the path and the
format. The cache is keyed on all three and holds one release at a time: storing a page of another
release drops the old release's pages, so a cache shared by two sites can never answer with the
bytes of a release it no longer serves. Memory is bounded by the total size of the bodies, the
least recently used page going first; the corpus's pages are about 100 MB in all formats, more
than a service should keep, while the pages people actually read are a small part of them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Generic, TypeVar

DEFAULT_BYTES = 32 * 1024 * 1024
T = TypeVar("T")


@dataclass
class ReleaseCache(Generic[T]):
    """A least-recently-used map from (path, format) to a value with a size, for one release at a time."""

    max_bytes: int = DEFAULT_BYTES
    release: str | None = None
    size: int = 0
    _entries: OrderedDict[tuple[str, str], tuple[T, int]] = field(default_factory=OrderedDict)
    # the service answers sync routes from a thread pool
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, release: str, path: str, fmt: str) -> T | None:
        with self._lock:
            if release != self.release:
                return None
            found = self._entries.get((path, fmt))
            if found is None:
                return None
            self._entries.move_to_end((path, fmt))
            return found[0]

    def put(self, release: str, path: str, fmt: str, value: T, size: int) -> None:
        """Keep a value unless it alone is larger than the cache; evict the oldest until it fits."""
        with self._lock:
            if release != self.release:
                self._entries.clear()
                self.size = 0
                self.release = release
            if size > self.max_bytes:
                return
            old = self._entries.pop((path, fmt), None)
            if old is not None:
                self.size -= old[1]
            self._entries[(path, fmt)] = (value, size)
            self.size += size
            while self.size > self.max_bytes:
                _, (_, dropped) = self._entries.popitem(last=False)
                self.size -= dropped

    def __len__(self) -> int:
        return len(self._entries)
