"""App start-up benchmark in headless Chromium (not a test).

    .venv/bin/python scripts/bench_app.py --db /tmp/x/s.db     # an existing corpus
    .venv/bin/python scripts/bench_app.py                       # ingests the samples first

Chromium is started first; then the clock starts with `finsam app`, and the browser opens a
search URL (`/?q=…`) as soon as the server answers its health check. Printed, in one run:
- server answers: the health check answers (Streamlit has imported and listens);
- Streamlit shell: the browser has loaded and started Streamlit's own JavaScript (browser work);
- first page: the search box is on the page (the page itself has rendered);
- first result: the first result card is on the page (the query was embedded, searched and
  shown: a first search on a fresh server);
- warm searches: --warm more search URLs in the same browser, each timed by the app itself
  (the "N träffar på X ms" line: search plus result cards with snippets, server side) and by
  the browser (navigation until the cards show).

Everything is REAL: the app, the bundled model (or --model), the sample protocols.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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
CAPTION = (
    "([...document.querySelectorAll('[data-testid=stCaptionContainer]')]"
    ".map(e => e.innerText).find(t => / träffar på \\d+ ms/.test(t)) || '')"
)


def search_url(base: str, query: str) -> str:
    from urllib.parse import quote

    return f"{base}/?q={quote(query)}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--db", type=Path, help="an existing corpus (default: ingest the samples)")
    ap.add_argument("--model", help="embedding model (default: the settings' default)")
    ap.add_argument("--warm", type=int, default=len(WARM), help="warm searches after the first")
    ap.add_argument("--timeout", type=float, default=300.0)
    args = ap.parse_args()

    print(code_version())
    print(f"before: {load_line()}")
    with tempfile.TemporaryDirectory(prefix="finsam-app-", ignore_cleanup_errors=True) as tmp:
        db = args.db
        if db is None:
            db = Path(tmp) / "s.db"
            ingest_samples(db, args.model)
        env = dict(
            os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
        )
        if args.model:
            env["FINSAM_MODEL"] = args.model
        start = cpu_ticks()
        with browser(Path(tmp) / "profile") as page:
            page.call("Page.enable")
            port = free_port()
            log = (Path(tmp) / "app.log").open("wb")
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
                server_ms: list[float] = []
                browser_ms: list[float] = []
                for query in (WARM * (args.warm // len(WARM) + 1))[: args.warm]:
                    page.evaluate("window.finsamOld = true")  # gone once the new page loads
                    t = time.perf_counter()
                    page.call("Page.navigate", url=search_url(base, query))
                    caption = page.wait_for(f"!window.finsamOld && {CAPTION}", args.timeout)
                    browser_ms.append((time.perf_counter() - t) * 1000)
                    m = re.search(r"träffar på (\d+) ms", caption or "")
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
