"""The finsam Streamlit app: the entry script (`finsam app` runs it with `streamlit run`).

Settings come from the environment the launcher sets (FINSAM_DB, FINSAM_MODEL, FINSAM_CACHE);
the pages only lay out what the library returns.
"""

from __future__ import annotations

import logging
import os

import streamlit as st

from search_app import access, state, ui
from search_app.launch import LOCAL_HOST, PASSWORD_ENV

st.set_page_config(
    page_title="finsam – sök i samordningsförbundens protokoll",
    page_icon=":material/search:",
    layout="wide",
    initial_sidebar_state="expanded",
)

PAGES = [
    st.Page("views/sok.py", title="Sök", icon=":material/search:", url_path="sok", default=True),
    st.Page(
        "views/beslut.py", title="Beslut & jämförelse", icon=":material/balance:", url_path="beslut"
    ),
    st.Page(
        "views/prejudikat.py",
        title="Prejudikat",
        icon=":material/history_edu:",
        url_path="prejudikat",
    ),
    st.Page(
        "views/dokument.py", title="Dokument", icon=":material/description:", url_path="dokument"
    ),
    st.Page("views/korpus.py", title="Korpus", icon=":material/folder_open:", url_path="korpus"),
    st.Page("views/lagg_till.py", title="Lägg till", icon=":material/add:", url_path="lagg_till"),
]

# The app's own threads (model warm-up, ingest progress) use Streamlit's caches and elements
# outside a script run; Streamlit logs "missing ScriptRunContext" for each call: noise only.
logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(logging.ERROR)

settings = state.settings()
state.warm_up(settings)
password = os.environ.get(PASSWORD_ENV) or access.secret_password()
writable = access.may_write(os.environ.get("FINSAM_APP_HOST", LOCAL_HOST), password)
st.session_state[ui.CAN_WRITE] = writable
page = st.navigation(
    PAGES if writable else [p for p in PAGES if p.url_path != "lagg_till"], position="sidebar"
)
st.sidebar.caption(f"Korpus: {settings.db.name}", help=str(settings.db.resolve()))
page.run()
