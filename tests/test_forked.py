"""Work handed to a forked copy of the process gives what the process itself would have computed."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest

from policykg.forked import Forked


def _pid_and_sum() -> tuple[int, int]:
    return os.getpid(), sum(range(1000))


def test_the_result_comes_back_from_another_process():
    # in a fresh interpreter: servers started by other tests run threads in this one
    script = (
        "import os\nfrom policykg.forked import Forked\n"
        "pid, total = Forked(lambda: (os.getpid(), sum(range(1000)))).result()\n"
        "print(pid != os.getpid(), total)"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60)
    assert done.stdout.split() == ["True", "499500"]


def test_an_exception_in_the_child_is_raised_in_the_parent():
    def fails() -> None:
        raise ValueError("bad line 12")

    with pytest.raises(ValueError, match="bad line 12"):
        Forked(fails).result()


def test_with_other_threads_running_the_work_is_done_here():
    """Forking beside other threads could copy a lock that nobody releases: then no fork."""
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        pid, total = Forked(_pid_and_sum).result()
    finally:
        stop.set()
        thread.join()
    assert (pid, total) == (os.getpid(), 499500)


def test_a_cancelled_child_leaves_no_process_behind():
    stop = threading.Event()
    job = Forked(stop.wait)
    child = job._pid
    if not child:
        job.cancel()
        pytest.skip("other threads run in this test process, so nothing was forked")
    job.cancel()
    with pytest.raises(ChildProcessError):  # killed and reaped: no such child any more
        os.waitpid(child, os.WNOHANG)
