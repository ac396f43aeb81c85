"""End to end: `finsam app` on a free port, a search URL loaded in headless Chromium.

Streamlit renders in the browser over a websocket, so a one-shot `--dump-dom` returns only the
empty shell; the test drives Chromium through its DevTools protocol (websockets, a Streamlit
dependency) and waits until the result is rendered, then saves the DOM and a screenshot.
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from websockets.sync.client import ClientConnection, connect

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "corpus" / "samples"
NNS_TITLE = "Förslag till ökad serviceavgift Nationella Nätverket för Samordningsförbund"
CHROMIUM_FLAGS = (
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


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "Debian's chromium is needed for this test (apt-get install chromium)"
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_http(url: str, proc: subprocess.Popen[bytes], timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"the app exited early with code {proc.returncode}"
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within {timeout_s:.0f} s")


def _stop(proc: subprocess.Popen[Any]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


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

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result["result"].get("value")


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[DevTools]:
    proc = subprocess.Popen(
        [
            _chromium(),
            *CHROMIUM_FLAGS,
            f"--user-data-dir={tmp_path / 'chromium-profile'}",
            "--remote-debugging-port=0",
            "about:blank",
        ],
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
        with urllib.request.urlopen(f"{endpoint}/json/list", timeout=10) as r:
            targets = json.load(r)
        page = next(t for t in targets if t["type"] == "page")
        with connect(page["webSocketDebuggerUrl"], max_size=None) as conn:
            yield DevTools(conn)
    finally:
        _stop(proc)


@pytest.fixture
def app_url(tmp_path: Path) -> Iterator[str]:
    """The sample corpus ingested with the CLI, and `finsam app` serving it on a free port."""
    db = tmp_path / "data" / "finsam.db"
    env = dict(os.environ, FINSAM_MODEL="hash", FINSAM_CACHE=str(tmp_path / "cache"))
    cli = [sys.executable, "-m", "search_app.cli"]
    done = subprocess.run(
        [*cli, "ingest", "--db", str(db), "--model", "hash", str(SAMPLES)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    port = _free_port()
    log = (tmp_path / "app.log").open("wb")
    proc = subprocess.Popen(
        [*cli, "app", "--db", str(db), "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        _wait_http(f"http://127.0.0.1:{port}/_stcore/health", proc, 60)
        yield f"http://127.0.0.1:{port}"
    finally:
        # `finsam app` runs streamlit as its child: end the whole group it leads.
        if proc.poll() is None:
            os.killpg(proc.pid, 15)
        _stop(proc)
        log.close()


def _load(browser: DevTools, url: str, *wanted: str, timeout_s: float = 90) -> str:
    """Open url and wait until the rendered text holds every wanted string; return the text."""
    browser.call("Page.navigate", url=url)
    text = ""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        text = browser.evaluate("document.body ? document.body.innerText : ''") or ""
        if all(w in text for w in wanted):
            break
        time.sleep(0.5)
    return text


def _nav(browser: DevTools) -> str:
    return browser.evaluate(
        "(document.querySelector('[data-testid=stSidebarNav]') || {}).innerText || ''"
    )


@pytest.mark.slow
def test_search_url_renders_the_nns_item_in_chromium(
    app_url: str, browser: DevTools, tmp_path: Path
) -> None:
    browser.call("Page.enable")
    # A shared deep link as the very first request after start-up renders inside the app.
    text = _load(browser, f"{app_url}/beslut?amne=NNS%20serviceavgift", "Förbund med beslut")
    assert "Förbund med beslut" in text, text[:2000]
    assert "Lägg till" in _nav(browser) and "Beslut & jämförelse" in _nav(browser)

    text = _load(browser, f"{app_url}/?q=serviceavgift%20NNS", NNS_TITLE, "träffar")
    time.sleep(1.0)  # let fonts and late elements settle before the screenshot
    dom = browser.evaluate("document.documentElement.outerHTML")
    (tmp_path / "page.html").write_text(dom, encoding="utf-8")
    shot = browser.call("Page.captureScreenshot", format="png")
    (tmp_path / "page.png").write_bytes(base64.b64decode(shot["data"]))

    assert NNS_TITLE in text, f"the § 57 title is not on the page; it shows:\n{text[:2000]}"
    card = browser.evaluate(
        "[...document.querySelectorAll('.fs-card')].map(c => c.innerText)"
        f".find(t => t.includes({json.dumps(NNS_TITLE)})) || ''"
    )
    assert "§ 57" in card and "2023-11-02" in card, card
    assert browser.evaluate("document.querySelectorAll('[data-testid=stException]').length") == 0
    assert browser.evaluate("document.querySelector('input[aria-label=\"Sökfråga\"]').value") == (
        "serviceavgift NNS"
    )
    assert (tmp_path / "page.png").stat().st_size > 10_000
