"""Start the Streamlit app as a child process (the `finsam app` command)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from corpus.settings import Settings

APP = Path(__file__).with_name("app.py")


def app_command(settings: Settings, *, port: int, headless: bool = True) -> list[str]:
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.port",
        str(port),
        "--server.headless",
        "true" if headless else "false",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]


def app_env(settings: Settings) -> dict[str, str]:
    env = dict(os.environ)
    env["FINSAM_DB"] = str(Path(settings.db).resolve())
    env["FINSAM_MODEL"] = settings.model
    env["FINSAM_CACHE"] = str(settings.cache_dir)
    env.setdefault("HF_HUB_OFFLINE", "1")
    return env


def run_app(settings: Settings, *, port: int, headless: bool = True) -> int:
    """Run the app until it stops; returns its exit code."""
    cmd = app_command(settings, port=port, headless=headless)
    print(f"Appen startar på http://localhost:{port}  (avsluta med Ctrl-C)", file=sys.stderr)
    try:
        return subprocess.call(cmd, env=app_env(settings))
    except KeyboardInterrupt:
        return 0
