"""Parsing processes end without an interpreter teardown (`ingest.run._leave_now`); that shortcut
must never reach a process that is not a pool's child, where it would turn a failure into exit 0."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor

from ingest import run


def test_init_worker_outside_a_pool_keeps_the_exit_status():
    code = ("import sys\nfrom ingest.run import _init_worker\n_init_worker(None)\n"
            "print('still here')\nsys.exit(3)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 3, done.stderr
    assert "still here" in done.stdout


def _pid_and_lookup(_):
    import os

    return os.getpid(), run._WORKER_LOOKUP


def test_pool_children_answer_then_exit_cleanly():
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=2, initializer=run._init_worker, initargs=("L",),
                             mp_context=ctx) as pool:
        answers = list(pool.map(_pid_and_lookup, range(20)))
        procs = list(pool._processes.values())
    assert len(answers) == 20 and all(lookup == "L" for _, lookup in answers)
    assert procs and all(p.exitcode == 0 for p in procs)
