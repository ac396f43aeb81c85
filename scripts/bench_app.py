"""App start-up benchmark in headless Chromium (not a test).

    .venv/bin/python scripts/bench_app.py --db /tmp/x/s.db     # an existing corpus
    .venv/bin/python scripts/bench_app.py                       # ingests the samples first

Chromium is started first; then the clock starts with `finsam app`, and the browser opens a
search URL (`/?q=…`) as soon as the server answers its health check. Printed, in one run:
- server answers: the health check answers (Streamlit has imported and listens);
- Streamlit shell: the browser has loaded and started Streamlit's own JavaScript (browser work);
- first page: the search box is on the page (the page itself has rendered);
- first result: the first result card is on the page (the query was embedded, searched and
  shown: a first search on a fresh server), and how much work the browser's main thread had
  done by then (Chromium's own counters: JavaScript, layout and style);
- warm searches: --warm more search URLs in the same browser, each timed by the app itself
  (the "… · X ms · …" result line: search plus result cards with snippets, server side) and by
  the browser (navigation until the cards show).

Everything is REAL: the app, the bundled model (or --model), the sample protocols.

Each phase is announced as it starts, and the whole run has one deadline (--deadline): past
it the run stops, says which phase it was in, shows the end of the app's log and exits 2.
(Without --db the samples are first ingested with the real model: on a loaded machine the
embedding alone can take minutes, which once looked like a hang. Pass --db to reuse a corpus.)
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "scripts"), str(ROOT / "tests")]

from bench_cold import finsam, ingest_samples  # noqa: E402
from bench_search import busy_since, code_version, cpu_ticks, load_line  # noqa: E402
from chromium import browser, free_port, stop, wait_http  # noqa: E402

FIRST = "serviceavgift NNS"
WARM = (
    "ekonomisk uppföljning",
    "budget 2024",
    "val av ordförande",
    "insatser för unga",
    "decision on the annual report",
    "samverkan med arbetsförmedlingen",
    "revisorernas granskning",
    "verksamhetsplan",
)
SHELL = "!!document.querySelector('[data-testid=stApp]')"
SEARCH_BOX = "!!document.querySelector('input[aria-label=\"Sökfråga\"]')"
CARDS = "document.querySelectorAll('.fs-card').length"
# The app's result line: "12 träffar med sökorden · visar 1–10 av 12 · 175 ms · Hybrid · …"
CAPTION = (
    "([...document.querySelectorAll('[data-testid=stCaptionContainer]')]"
    ".map(e => e.innerText).find(t => / träffar .* · \\d+ ms · /.test(t)) || '')"
)


class Deadline(Exception):
    """The run's deadline passed (raised in the main thread by SIGALRM, so that any blocking
    wait is cut: a subprocess, the browser's start, a page that never renders)."""


PHASE = ["start"]


def phase(name: str) -> None:
    PHASE[0] = name
    print(f"  … {name} ({time.strftime('%H:%M:%S')})", flush=True)


def _on_alarm(signum: int, frame: object) -> None:
    raise Deadline(PHASE[0])


def tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text("utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def browser_work(page: Any) -> dict[str, float]:
    """Chromium's own counters of the page's main thread (seconds since the page opened):
    TaskDuration, ScriptDuration, LayoutDuration, RecalcStyleDuration."""
    metrics = page.call("Performance.getMetrics").get("metrics", [])
    return {m["name"]: float(m["value"]) for m in metrics if m["name"].endswith("Duration")}


def search_url(base: str, query: str) -> str:
    from urllib.parse import quote

    return f"{base}/?q={quote(query)}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--db", type=Path, help="an existing corpus (default: ingest the samples)")
    ap.add_argument("--model", help="embedding model (default: the settings' default)")
    ap.add_argument("--warm", type=int, default=len(WARM), help="warm searches after the first")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds for each wait")
    ap.add_argument("--deadline", type=int, default=900, help="seconds for the whole run")
    args = ap.parse_args()

    print(code_version(), flush=True)
    print(f"before: {load_line()}", flush=True)
    signal.signal(signal.SIGALRM, _on_alarm)
    signal.alarm(args.deadline)
    tmp = tempfile.mkdtemp(prefix="finsam-app-")
    try:
        run(args, Path(tmp))
    except Deadline as e:
        print(
            f"STOPPED: the run passed its deadline of {args.deadline} s while {e.args[0]}; "
            f"{load_line()}. The app's log ends:\n{tail(Path(tmp) / 'app.log')}",
            flush=True,
        )
        raise SystemExit(2) from None
    except (SystemExit, AssertionError) as e:
        print(f"FAILED while {PHASE[0]}: {e}; the app's log ends:\n{tail(Path(tmp) / 'app.log')}")
        raise SystemExit(1) from None
    finally:
        signal.alarm(0)
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)


def run(args: argparse.Namespace, tmp_dir: Path) -> None:
    tmp = str(tmp_dir)
    db = args.db
    if db is None:
        db = Path(tmp) / "s.db"
        phase(
            f"ingesting the samples with {args.model or 'the default model'} "
            "(real embedding: minutes on a loaded machine; --db reuses a corpus)"
        )
        ingest_samples(db, args.model)
    env = dict(
        os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    )
    if args.model:
        env["FINSAM_MODEL"] = args.model
    start = cpu_ticks()
    phase("starting headless Chromium")
    with browser(Path(tmp) / "profile") as page:
        page.call("Page.enable")
        page.call("Performance.enable")  # the browser's own work, read at the first result
        port = free_port()
        log = (Path(tmp) / "app.log").open("wb")
        phase("starting `finsam app` (the clock starts)")
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            finsam("app", "--db", str(db), "--port", str(port)),
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_http(f"{base}/_stcore/health", proc, args.timeout)
            t_health = time.perf_counter() - t0
            phase(f"server answered after {t_health:.1f} s; loading the search page")
            page.call("Page.navigate", url=search_url(base, FIRST))
            if not page.wait_for(SHELL, args.timeout):
                raise SystemExit("Streamlit's page did not load")
            t_shell = time.perf_counter() - t0
            if not page.wait_for(SEARCH_BOX, args.timeout):
                raise SystemExit("the search page did not render")
            t_page = time.perf_counter() - t0
            if not page.wait_for(CARDS, args.timeout):
                raise SystemExit("no result card appeared")
            t_first = time.perf_counter() - t0
            first_caption = page.evaluate(CAPTION)
            work = browser_work(page)
            phase(f"first result after {t_first:.1f} s; {args.warm} warm searches")
            server_ms: list[float] = []
            browser_ms: list[float] = []
            for query in (WARM * (args.warm // len(WARM) + 1))[: args.warm]:
                page.evaluate("window.finsamOld = true")  # gone once the new page loads
                t = time.perf_counter()
                page.call("Page.navigate", url=search_url(base, query))
                caption = page.wait_for(f"!window.finsamOld && {CAPTION}", args.timeout)
                if not caption:
                    raise SystemExit(f"the search {query!r} showed no result line")
                browser_ms.append((time.perf_counter() - t) * 1000)
                m = re.search(r" · (\d+) ms · ", caption or "")
                if m:
                    server_ms.append(float(m.group(1)))
        finally:
            os.killpg(proc.pid, 15)
            stop(proc)
            log.close()
    print(f"app start (from `finsam app` to …), search {FIRST!r}:")
    print(f"  server answers   {t_health:6.2f} s")
    print(f"  Streamlit shell  {t_shell:6.2f} s   (its JavaScript has loaded and runs)")
    print(f"  first page       {t_page:6.2f} s   (the search box is shown)")
    print(f"  first result     {t_first:6.2f} s   (the app's own line: {first_caption!r})")
    print(
        f"  the browser's main thread until then: {work.get('TaskDuration', 0):.2f} s of work, "
        f"of which JavaScript {work.get('ScriptDuration', 0):.2f} s, layout and style "
        f"{work.get('LayoutDuration', 0) + work.get('RecalcStyleDuration', 0):.2f} s"
    )
    if server_ms:
        print(
            f"warm searches ({len(server_ms)}): server side (search + cards with snippets) "
            f"median {statistics.median(server_ms):.0f} ms, max {max(server_ms):.0f} ms; "
            f"in the browser median {statistics.median(browser_ms):.0f} ms, "
            f"max {max(browser_ms):.0f} ms"
        )
    print(f"during the run: {busy_since(start)}; after: {load_line()}")


if __name__ == "__main__":
    main()
