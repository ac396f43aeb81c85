"""Start the Streamlit app (the `finsam app` command): `finsam app` becomes the server.

The launcher replaces its own process with Streamlit (exec), so a service manager's SIGTERM or
a Ctrl-C reaches the server itself and no server outlives the command. It binds the loopback
address unless told otherwise, and says in one line who can reach the app.
"""

from __future__ import annotations

import ipaddress
import os
import sys
from pathlib import Path
from typing import NoReturn

from corpus.settings import Settings

APP = Path(__file__).with_name("app.py")
LOCAL_HOST = "127.0.0.1"
PASSWORD_ENV = "FINSAM_APP_PASSWORD"


def is_local(host: str) -> bool:
    """Whether an address to listen on is reachable only from this machine."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:  # a host name: it may resolve to any interface
        return False


def app_command(
    settings: Settings, *, port: int, host: str = LOCAL_HOST, headless: bool = True
) -> list[str]:
    return [
        sys.executable,
        "-m",
        "search_app.serve",  # Streamlit's command, warming the index up meanwhile
        "run",
        str(APP),
        "--server.address",
        host,
        "--server.port",
        str(port),
        "--server.headless",
        "true" if headless else "false",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
        "--client.toolbarMode",
        "minimal",
        "--server.maxUploadSize",
        str(settings.max_file_mb),
    ]


def app_env(settings: Settings, *, host: str = LOCAL_HOST) -> dict[str, str]:
    env = dict(os.environ)
    env["FINSAM_DB"] = str(Path(settings.db).resolve())
    env["FINSAM_MODEL"] = settings.model
    env["FINSAM_CACHE"] = str(settings.cache_dir)
    env["FINSAM_APP_HOST"] = host
    env.setdefault("HF_HUB_OFFLINE", "1")
    return env


def reach_line(host: str, port: int, *, password: bool) -> str:
    """One line saying who can reach the app, and what that means for the writing pages."""
    if is_local(host):
        shown = "[::1]" if ":" in host else LOCAL_HOST
        return f"Appen nås bara från den här datorn: http://{shown}:{port}  (avsluta med Ctrl-C)"
    where = "alla datorer som når den här" if host in ("0.0.0.0", "::") else f"adressen {host}"
    writes = (
        f"sidor som ändrar korpusen kräver lösenordet i {PASSWORD_ENV}"
        if password
        else f"sidor som ändrar korpusen är avstängda (sätt {PASSWORD_ENV} för att öppna dem)"
    )
    return f"Appen nås från andra datorer ({where}) på port {port}; läsning är öppen, {writes}."


def run_app(
    settings: Settings, *, port: int, host: str = LOCAL_HOST, headless: bool = True
) -> NoReturn:
    """Replace this process with the Streamlit server; it stops on SIGTERM or Ctrl-C."""
    cmd = app_command(settings, port=port, host=host, headless=headless)
    env = app_env(settings, host=host)
    print(reach_line(host, port, password=bool(env.get(PASSWORD_ENV))), file=sys.stderr)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, cmd, env)
