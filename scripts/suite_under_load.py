"""The test suite while one heavy process keeps every core busy (not a test).

    .venv/bin/python scripts/suite_under_load.py                 # the whole suite, slow tests too
    .venv/bin/python scripts/suite_under_load.py tests/test_concurrency.py -k ingest

The load is a numpy matrix product in a loop, in a process of its own, whose BLAS threads
take all cores; pytest runs beside it with the given arguments (default: the whole suite).
Prints the load average before and after, pytest's last lines and its wall time; exits with
pytest's code. The tests wait on conditions with deadlines and bound times relative to work
timed in the same run, so they must pass like this (issue 13).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

from bench_search import load_line  # noqa: E402

LOAD = (
    "import numpy as np\n"
    "a = np.random.default_rng(0).random((1500, 1500))\n"
    "while True:\n"
    "    a = a @ a\n"
    "    a /= np.abs(a).max()\n"
)


def main() -> int:
    args = sys.argv[1:]
    load = subprocess.Popen([sys.executable, "-c", LOAD])
    try:
        print(f"heavy process {load.pid} started; {load_line()}", flush=True)
        start = time.monotonic()
        run = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        seconds = time.monotonic() - start
    finally:
        load.kill()
        load.wait()
    print("\n".join(run.stdout.splitlines()[-20:]))
    print(
        f"pytest exit code {run.returncode} after {seconds:.0f} s beside the heavy process; "
        f"{load_line()}"
    )
    return run.returncode


if __name__ == "__main__":
    sys.exit(main())
