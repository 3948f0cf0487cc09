"""Work done by a forked copy of this process, on the second core, while this one goes on.

A build is CPU-bound Python, and Python runs one thread at a time: the only way to use the machine's
second core for pure-Python work (finding the events in the texts) is another process. A fork
inherits everything already in memory (the registry, the gazetteer, the texts), so nothing but the
result crosses between the two, pickled once.

Forking a process that runs other threads can leave the copy holding a lock that no thread of it
will ever release, so in that case (a build started from a test server's thread, say) and where
there is no fork at all, the work is done in this process when its result is asked for. Either way
the result is the same; only the time differs.
"""

from __future__ import annotations

import os
import pickle
import signal
import threading
import traceback
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class ForkedError(RuntimeError):
    """The forked copy died without an answer, or failed with an exception that cannot be pickled."""


class Forked(Generic[T]):
    """``work()`` computed in a forked child; :meth:`result` returns its value or raises its exception."""

    def __init__(self, work: Callable[[], T]) -> None:
        self._work: Callable[[], T] | None = work
        self._pid = 0
        self._read = -1
        if hasattr(os, "fork") and threading.active_count() == 1:
            self._start()

    def _start(self) -> None:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: compute, send, and leave without running the parent's clean-up
            os.close(read)
            status = 0
            try:
                try:
                    payload = pickle.dumps((True, self._work()), protocol=pickle.HIGHEST_PROTOCOL)  # type: ignore[misc]
                except BaseException as exc:
                    try:
                        payload = pickle.dumps((False, exc), protocol=pickle.HIGHEST_PROTOCOL)
                    except Exception:
                        payload = pickle.dumps((False, ForkedError(traceback.format_exc())))
                with os.fdopen(write, "wb") as out:
                    out.write(payload)
            except BaseException:
                status = 1
            finally:
                os._exit(status)
        os.close(write)
        self._pid, self._read = pid, read
        self._work = None  # the child has it; nothing else to keep alive here

    def cancel(self) -> None:
        """Stop the child if its result was not taken (the build failed before it needed it)."""
        if self._pid:
            os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
            os.close(self._read)
            self._pid = 0
        self._work = None

    def result(self) -> T:
        if self._pid == 0:
            work, self._work = self._work, None
            if work is None:
                raise ForkedError("the result was already taken")
            return work()
        with os.fdopen(self._read, "rb") as incoming:
            payload = incoming.read()  # read before waiting: a full pipe would block the child
        _, status = os.waitpid(self._pid, 0)
        self._pid = 0
        if not payload:
            raise ForkedError(f"the forked process ended with status {status} and no result")
        ok, value = pickle.loads(payload)
        if not ok:
            raise value
        return value
