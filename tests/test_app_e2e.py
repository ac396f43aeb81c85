"""End to end: `finsam app` on a free port, a search URL loaded in headless Chromium.

Streamlit renders in the browser over a websocket, so a one-shot `--dump-dom` returns only the
empty shell; the test drives Chromium through its DevTools protocol (websockets, a Streamlit
dependency) and waits until the result is rendered, then saves the DOM and a screenshot.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import chromium
import pytest
from chromium import DevTools, free_port, stop, wait_http

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "corpus" / "samples"
NNS_TITLE = "Förslag till ökad serviceavgift Nationella Nätverket för Samordningsförbund"


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[DevTools]:
    with chromium.browser(tmp_path / "chromium-profile") as devtools:
        yield devtools


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
    port = free_port()
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
        wait_http(f"http://127.0.0.1:{port}/_stcore/health", proc, 60)
        yield f"http://127.0.0.1:{port}"
    finally:
        # `finsam app` runs streamlit as its child: end the whole group it leads.
        if proc.poll() is None:
            os.killpg(proc.pid, 15)
        stop(proc)
        log.close()


def _load(browser: DevTools, url: str, *wanted: str, timeout_s: float = 90) -> str:
    """Open url and wait until the rendered text holds every wanted string; return the text."""
    browser.call("Page.navigate", url=url)
    text = "document.body ? document.body.innerText : ''"
    browser.wait_for(
        f"[{', '.join(map(json.dumps, wanted))}].every(w => ({text}).includes(w))", timeout_s
    )
    return browser.evaluate(text) or ""


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
    browser.settled()  # fonts loaded and painted before the screenshot
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
    box = "(document.querySelector('input[aria-label=\"Sökfråga\"]') || {}).value"
    assert browser.wait_for(f"{box} === 'serviceavgift NNS'", 30), browser.evaluate(box)
    assert (tmp_path / "page.png").stat().st_size > 10_000


@pytest.mark.slow
def test_open_in_document_lands_on_the_cited_item_with_the_words_marked(
    app_url: str, browser: DevTools, tmp_path: Path
) -> None:
    browser.call("Page.enable")
    text = _load(browser, f"{app_url}/?q=serviceavgift%20NNS", NNS_TITLE, "träffar")
    assert NNS_TITLE in text, text[:2000]
    find_link = (
        "(() => {const card = [...document.querySelectorAll('.fs-card')]"
        f".find(c => c.innerText.includes({json.dumps(NNS_TITLE)}));"
        "if (!card) return null;"
        "let box = card; const isLink = a => a.innerText.includes('Öppna i dokumentet');"
        "while (box && ![...box.querySelectorAll('a')].some(isLink)"
        " && box.querySelectorAll('.fs-card').length < 2) box = box.parentElement;"
        # The card's own link renders a moment after the card: until it does, the walk up
        # reaches the list of all results, whose first link belongs to another card.
        "if (!box || box.querySelectorAll('.fs-card').length > 1) return null;"
        "window.__fsLink = [...box.querySelectorAll('a')].find(isLink);"
        "return window.__fsLink.href;})()"
    )
    href = browser.wait_for(find_link, 60)
    assert href, "no 'Öppna i dokumentet' link beside the § 57 card"
    browser.evaluate("window.__fsLink.click()")
    assert "dokument" in href and "item=" in href, href
    landed = (
        "(() => {const e = document.querySelector('[id^=\"punkt-\"]'); if (!e) return null;"
        "const r = e.getBoundingClientRect();"
        "const scrolled = window.scrollY > 0 || [...document.querySelectorAll('*')]"
        ".some(x => x.scrollTop > 0);"
        "const marks = [...document.querySelectorAll('.fs-body mark')].map(m => m.innerText);"
        "return {top: r.top, height: innerHeight, scrolled: scrolled, marks: marks};})()"
    )
    in_view = f"(s => s && s.marks.length && -4 <= s.top && s.top < s.height / 2 && s)({landed})"
    browser.wait_for(in_view, 60)
    state = browser.evaluate(landed)
    shot = browser.call("Page.captureScreenshot", format="png")
    (tmp_path / "landed.png").write_bytes(base64.b64decode(shot["data"]))
    assert state, "no anchor of the cited item on the Dokument page"
    assert -4 <= state["top"] < state["height"] / 2, f"the item is not in view: {state}"
    assert state["scrolled"], "the page did not scroll to the item"
    assert any(m.lower().startswith("serviceavgift") for m in state["marks"]), state
    # The citation's code block may render a moment after the body (Streamlit loads its code
    # component lazily): wait for it with a deadline, as for everything else on the page.
    cite = "Norra Västmanlands Samordningsförbund, styrelseprotokoll 2023-11-02, § 57"
    codes_js = (
        "[...document.querySelectorAll('code')].map(c => c.textContent.split(/\\s+/).join(' '))"
    )
    browser.wait_for(f"{codes_js}.some(c => c.includes({json.dumps(cite)}))", 60)
    codes = browser.evaluate(codes_js)
    assert any(cite in c for c in codes), codes


@pytest.mark.slow
def test_the_uploaders_speak_swedish(app_url: str, browser: DevTools) -> None:
    """Streamlit's uploader has English text built in; the app draws Swedish text instead and
    hides the English (drawn at size zero, kept for screen readers)."""
    probe = (
        "(() => {const z = document.querySelector('[data-testid=stFileUploaderDropzone]');"
        "if (!z) return null; const p = z.querySelector('button [data-testid=stMarkdownContainer] p');"
        "const s = z.querySelector('[data-testid=stFileUploaderDropzoneInstructions] span');"
        "const after = e => getComputedStyle(e, '::after').content;"
        "const size = e => parseFloat(getComputedStyle(e).fontSize);"
        "return {button: after(p), limit: after(s), sizes: [size(p), size(s)],"
        " text: z.innerText};})()"
    )
    for page in ("lagg_till", "prejudikat"):
        browser.call("Page.navigate", url=f"{app_url}/{page}")
        state = browser.wait_for(f"(s => s && s.button.includes('Välj') && s)({probe})", 90)
        assert state, browser.evaluate(probe)
        assert "Välj filer" in state["button"], state
        assert "MB per fil" in state["limit"] and "Högst" in state["limit"], state
        assert "PDF" in state["limit"] and "DOCX" in state["limit"], state
        assert state["sizes"] == [0, 0], f"the English text is still drawn: {state}"
