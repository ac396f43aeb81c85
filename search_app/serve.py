"""`python -m search_app.serve run app.py …`: Streamlit's own command, with the app warming
up in a background thread while the server starts.

Streamlit runs the app's script only when a browser connects, so a warm-up started from the
script begins after the page was asked for. Started here it overlaps the server's own start
and the browser's loading of Streamlit's JavaScript (seconds on this machine, while the server
waits): the thread imports what the search page's first run imports (the app's library, numpy,
FAISS), loads the query encoder and the corpus's searcher into the ``st.cache_resource``
caches the pages read (search_app/state.py), and searches once. The main thread imports only
Streamlit's command before it serves, and starts the thread after that import, so the two
never import one of Streamlit's modules at once. A missing corpus or index is the page's to
report: the warm-up only logs it.
"""

from __future__ import annotations

import importlib
import logging
import threading

log = logging.getLogger(__name__)

# What the search page's first run imports beyond Streamlit (search_app/app.py, views/sok.py,
# and the searcher's indexes), slowest first. A module missing here is imported by the page.
PAGE_MODULES = (
    "search_app.state",
    "index.dense",
    "index.lexical",
    "search_app.ui",
    "search_app.access",
    "search_app.filters",
    "search_app.results",
    "corpus.export",
    "ingest.furniture",
    "ingest.verdict",
)

WARM_UP_QUERY = "protokoll"  # any word: the search pages in the index files and runs the model


def warm_up() -> None:
    """Import the page's modules, load the query encoder, then the searcher of the corpus
    (its indexes) and answer one search, so that the first page finds every cache filled."""
    try:
        for name in PAGE_MODULES:
            importlib.import_module(name)
        from search_app import state

        state.warm_up()  # the query encoder, in its own thread
    except Exception:  # the page that imports the same module shows the error
        log.warning("warming up the app failed", exc_info=True)
        return
    from corpus.errors import CorpusError

    try:
        state.searcher().search(WARM_UP_QUERY, 1)
    except CorpusError as e:  # no corpus or index yet: the page says what to do
        log.info("no searcher to warm up: %s", e)
    except Exception:
        log.warning("warming up the searcher failed", exc_info=True)


def skip_component_scan() -> bool:
    """Spare the server's start Streamlit's scan of every installed package for custom
    components: the runtime reads the metadata of each distribution (about 0.9 s of CPU with
    this project's dependencies, before the server answers), and the app uses none. Only
    where Streamlit has that scan (its components v2); returns whether it was skipped."""
    try:
        from streamlit.components.v2.component_manager import BidiComponentManager
    except ImportError:
        return False
    if not hasattr(BidiComponentManager, "discover_and_register_components"):
        return False

    def no_installed_components(self: object, *, start_file_watching: bool = True) -> None:
        log.debug("installed Streamlit components not scanned: the app uses none")

    BidiComponentManager.discover_and_register_components = no_installed_components  # type: ignore[method-assign]
    return True


def main() -> None:
    from streamlit.web import cli

    skip_component_scan()

    # after Streamlit's own import: the thread never imports a module of it at the same time
    threading.Thread(target=warm_up, name="finsam-warm-up-imports", daemon=True).start()
    cli.main(prog_name="streamlit")


if __name__ == "__main__":
    main()
