"""Writers for the concurrency, crash and index-version tests: `finsam` in child processes
(their progress read live), a write lock held by another thread, batches of protocols."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from corpus.lock import write_lock
from corpus.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import protogen  # noqa: E402

FILES_DONE = re.compile(r"Filer:.*?\|\s*(\d+)/(\d+)")


def write_batch(folder: Path, n: int, seed: int) -> list[Path]:
    """n generated protocols (scripts/protogen.py) as text files with form feeds."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for g in protogen.corpus(n, seed=seed):
        path = folder / g.name
        path.write_text("\f".join(g.pages), encoding="utf-8")
        paths.append(path.resolve())
    return paths


def environ(settings: Settings, workers: int = 2) -> dict[str, str]:
    """The environment of a child `finsam`: this corpus, the hash encoder, `workers` workers."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FINSAM_")}
    env.update(
        FINSAM_DB=str(settings.db),
        FINSAM_MODEL="hash",
        FINSAM_CACHE=str(settings.cache_dir),
        FINSAM_WORKERS=str(workers),
    )
    return env


def cli(settings: Settings, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run `finsam ARGS` to the end."""
    return subprocess.run(
        [sys.executable, "-m", "search_app.cli", *args],
        capture_output=True,
        text=True,
        env=environ(settings),
        timeout=timeout,
        cwd=ROOT,
    )


@dataclass
class Finsam:
    """A `finsam` child in its own process group; its stderr (the progress bars) is read as
    it arrives, each chunk's lines stamped with the time they came."""

    proc: subprocess.Popen[bytes]
    lines: list[tuple[float, str]] = field(default_factory=list)
    stderr: str = ""
    stdout: str = ""
    guard: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def start(cls, settings: Settings, *args: str, workers: int = 2) -> Finsam:
        proc = subprocess.Popen(
            [sys.executable, "-m", "search_app.cli", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=environ(settings, workers),
            cwd=ROOT,
            start_new_session=True,
        )
        run = cls(proc)
        threading.Thread(target=run._read, daemon=True).start()
        return run

    def _read(self) -> None:
        assert self.proc.stderr is not None
        while chunk := self.proc.stderr.read1(4096):  # type: ignore[attr-defined]
            now, text = time.monotonic(), chunk.decode("utf-8", "replace")
            with self.guard:
                self.stderr += text
                self.lines += [(now, p) for p in re.split(r"[\r\n]", text) if p.strip()]

    def stamps(self, pattern: re.Pattern[str]) -> list[float]:
        """When lines that start with pattern arrived."""
        with self.guard:
            return [t for t, line in self.lines if pattern.match(line)]

    def files_done(self) -> tuple[int, int]:
        """(files done, files in all) from the last progress line; (0, -1) before the first."""
        with self.guard:
            found = FILES_DONE.findall(self.stderr)
        return (int(found[-1][0]), int(found[-1][1])) if found else (0, -1)

    def indexing(self) -> bool:
        with self.guard:
            return "Indexerar" in self.stderr

    def wait_until(self, condition: Callable[[], bool], timeout: float = 120.0) -> bool:
        """Poll until condition() holds (True) or the process has ended (False)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return True
            if self.proc.poll() is not None:
                return False
            time.sleep(0.002)
        raise AssertionError("the process neither reached the condition nor ended")

    def finish(self, timeout: float = 300) -> tuple[int, float]:
        """Wait for the end; (exit code, when it ended)."""
        out, _ = self.proc.communicate(timeout=timeout)
        ended = time.monotonic()
        self.stdout = out.decode("utf-8", "replace")
        return self.proc.returncode, ended

    def kill(self, delay: float) -> int:
        """SIGKILL the process after `delay` s (if still running); then clear its orphaned
        workers. Returns the exit code (-9 when killed)."""
        time.sleep(delay)
        with contextlib.suppress(ProcessLookupError):
            self.proc.send_signal(signal.SIGKILL)
        code = self.proc.wait(60)
        time.sleep(0.05)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)  # the group of the process we started
        return code


@contextlib.contextmanager
def writer_running(settings: Settings) -> Iterator[None]:
    """The corpus write lock held by another thread, as by an ingest in progress."""
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with write_lock(settings.lock_path):
            holding.set()
            release.wait(120)

    thread = threading.Thread(target=hold, name="writer-running")
    thread.start()
    try:
        assert holding.wait(30), "the write lock was not taken"
        yield
    finally:
        release.set()
        thread.join()
