"""`python -m search_app.serve run app.py …`: Streamlit's own command, with the query encoder
loading in a background thread while the server starts.

Streamlit runs the app's script only when a browser connects, so a warm-up started from the
script begins after the page was asked for; started here it overlaps the server's own start
(seconds on this machine) and a first search finds the encoder loaded. It lands in the
same ``st.cache_resource`` caches the pages read (search_app/state.py).
"""

from __future__ import annotations


def main() -> None:
    from streamlit.web import cli

    from search_app import state

    state.warm_up()
    cli.main(prog_name="streamlit")


if __name__ == "__main__":
    main()
