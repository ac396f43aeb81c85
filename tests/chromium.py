"""Headless Chromium driven over its DevTools protocol, for the app's end-to-end test and
scripts/bench_app.py. Streamlit renders in the browser over a websocket, so a one-shot
`--dump-dom` returns only the empty shell: we wait on conditions in the live page instead.
"""

from __future__ import annotations

import itertools
import json
import re
import shutil
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from websockets.sync.client import ClientConnection, connect

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,1000",
)
POLL_S = 0.05  # how often a condition is checked while waiting for it


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "Debian's chromium is needed (apt-get install chromium)"
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def stop(proc: subprocess.Popen[Any]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def wait_http(url: str, proc: subprocess.Popen[Any], timeout_s: float) -> None:
    """Wait until url answers 200 while proc runs (AssertionError past the deadline)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"the app exited early with code {proc.returncode}"
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(POLL_S)
    raise AssertionError(f"{url} did not answer within {timeout_s:.0f} s")


class DevTools:
    """A minimal Chrome DevTools protocol client over one page target."""

    def __init__(self, conn: ClientConnection) -> None:
        self.conn = conn
        self.ids = itertools.count(1)

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        msg_id = next(self.ids)
        self.conn.send(json.dumps({"id": msg_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.conn.recv(timeout=60))
            if msg.get("id") == msg_id:
                assert "error" not in msg, msg["error"]
                return dict(msg.get("result", {}))

    def evaluate(self, expression: str, *, wait_promise: bool = False) -> Any:
        result = self.call(
            "Runtime.evaluate",
            expression=expression,
            returnByValue=True,
            awaitPromise=wait_promise,
        )
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout_s: float) -> Any:
        """Poll a JavaScript expression until it is truthy (its value) or the deadline passes
        (its last value)."""
        deadline = time.monotonic() + timeout_s
        while True:
            value = self.evaluate(expression)
            if value or time.monotonic() >= deadline:
                return value
            time.sleep(POLL_S)

    def settled(self) -> None:
        """Wait until the page's fonts are loaded and two frames have been painted."""
        self.evaluate(
            "document.fonts.ready.then(() => new Promise(r => "
            "requestAnimationFrame(() => requestAnimationFrame(() => r(true)))))",
            wait_promise=True,
        )


@contextmanager
def browser(profile: Path) -> Iterator[DevTools]:
    """Headless Chromium with a fresh profile folder; yields a client of its first page."""
    proc = subprocess.Popen(
        [chromium(), *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-port=0"]
        + ["about:blank"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        endpoint = None
        assert proc.stderr is not None
        for line in proc.stderr:
            m = re.search(r"DevTools listening on ws://[^/]+:(\d+)/", line)
            if m:
                endpoint = f"http://127.0.0.1:{m.group(1)}"
                break
        assert endpoint, "chromium did not open its DevTools port"
        # keep reading its log, or a full pipe would stall the browser
        threading.Thread(target=proc.stderr.read, daemon=True).start()
        with urllib.request.urlopen(f"{endpoint}/json/list", timeout=10) as r:
            targets = json.load(r)
        page = next(t for t in targets if t["type"] == "page")
        with connect(page["webSocketDebuggerUrl"], max_size=None) as conn:
            yield DevTools(conn)
    finally:
        stop(proc)
