"""Who may change the corpus from the app: anyone on this machine; from other machines only
with the password from the settings (env FINSAM_APP_PASSWORD or Streamlit secrets), else no one.

Reading stays open. The pages that write (upload and ingest) are left out of the navigation
for a visitor without write access, so their URLs lead nowhere.
"""

from __future__ import annotations

import hmac

import streamlit as st

from search_app.launch import PASSWORD_ENV, is_local

UNLOCKED = "fs_write_unlocked"


def secret_password() -> str:
    """The write password from Streamlit secrets ("" when there are none)."""
    try:
        return str(st.secrets.get(PASSWORD_ENV, "") or "")
    except Exception:  # no secrets file, or one that does not parse: no password from there
        return ""


def may_write(host: str, password: str) -> bool:
    """Whether this visitor may use the pages that write; asks for the password in the
    sidebar when the app is reachable from other machines and one is set."""
    if is_local(host):
        return True
    if not password:
        st.sidebar.caption(
            "Appen nås från andra datorer: att lägga till protokoll är avstängt här "
            "(inget lösenord är satt)."
        )
        return False
    if st.session_state.get(UNLOCKED):
        return True
    with st.sidebar.expander("Logga in för att lägga till protokoll"):
        given = st.text_input("Lösenord", type="password", key="fs_write_password")
    if not given:
        return False
    if hmac.compare_digest(given.encode(), password.encode()):
        st.session_state[UNLOCKED] = True
        return True
    st.sidebar.error("Fel lösenord.")
    return False
