"""`finsam app` is safe by default: loopback only, one line on who can reach it, and no server
left behind after SIGTERM. From other machines the pages that write need a password."""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import search_app
from search_app.launch import is_local, reach_line

ROOT = Path(__file__).resolve().parents[1]
APP = Path(search_app.__file__).with_name("app.py")
LISTEN = "0A"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _listening(port: int) -> list[str]:
    """The local addresses (hex, as the kernel lists them) listening on TCP `port`."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            addr, hexport = fields[1].rsplit(":", 1)
            if int(hexport, 16) == port and fields[3] == LISTEN:
                found.append(addr)
    return found


def _loopback(hex_addr: str) -> bool:
    if len(hex_addr) == 8:  # IPv4, little-endian: 127.x.x.x ends in 7F
        return hex_addr.endswith("7F")
    return hex_addr == "00000000000000000000000001000000"  # ::1


def _wait(condition: object, timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.1)
    raise AssertionError(f"{what} within {timeout_s:.0f} s")


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
            return bool(r.status == 200)
    except OSError:
        return False


@pytest.fixture
def started_app(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], int, Path]]:
    """`finsam app` without --host on a free port; ended by the test (or killed here)."""
    port = _free_port()
    log = tmp_path / "app.log"
    env = dict(os.environ, FINSAM_MODEL="hash", FINSAM_CACHE=str(tmp_path / "cache"))
    env.pop("FINSAM_APP_PASSWORD", None)
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "search_app.cli", "app", "--db", str(tmp_path / "c.db")]
            + ["--port", str(port)],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
    try:
        _wait(lambda: proc.poll() is not None or _healthy(port), 60, "the app did not answer")
        assert proc.poll() is None, log.read_text()
        yield proc, port, log
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)


def test_app_listens_on_loopback_only_and_says_so(
    started_app: tuple[subprocess.Popen[str], int, Path],
) -> None:
    proc, port, log = started_app
    addresses = _listening(port)
    assert addresses, f"nothing listens on port {port}"
    assert all(_loopback(a) for a in addresses), f"listening beyond loopback: {addresses}"
    first = log.read_text(encoding="utf-8").splitlines()[0]
    assert "bara från den här datorn" in first and f":{port}" in first, first


def test_sigterm_to_finsam_app_closes_the_port_within_10_s(
    started_app: tuple[subprocess.Popen[str], int, Path],
) -> None:
    proc, port, _ = started_app
    proc.send_signal(signal.SIGTERM)  # to `finsam app` itself, as a service manager does
    _wait(lambda: not _listening(port) and not _healthy(port), 10, "the port is still open")
    _wait(lambda: proc.poll() is not None, 10, "`finsam app` did not exit")


def test_reach_line_names_who_can_reach_the_app() -> None:
    assert is_local("127.0.0.1") and is_local("localhost") and is_local("::1")
    assert not is_local("0.0.0.0") and not is_local("192.168.1.5") and not is_local("host.lan")
    assert "bara från den här datorn" in reach_line("127.0.0.1", 8501, password=False)
    open_line = reach_line("0.0.0.0", 8501, password=False)
    assert "andra datorer" in open_line and "avstängda" in open_line
    assert "kräver lösenordet" in reach_line("0.0.0.0", 8501, password=True)


def _pages(at: AppTest) -> list[str]:
    """The url paths of the pages the navigation offers this visitor."""
    return [p["url_pathname"] for p in at._registered_pages.values()]


@pytest.fixture
def public_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FINSAM_DB", str(tmp_path / "c.db"))
    monkeypatch.setenv("FINSAM_MODEL", "hash")
    monkeypatch.setenv("FINSAM_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("FINSAM_APP_HOST", "0.0.0.0")
    monkeypatch.delenv("FINSAM_APP_PASSWORD", raising=False)


def test_open_to_the_network_without_password_the_add_page_is_off(public_env: None) -> None:
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert "dokument" in _pages(at) and "lagg_till" not in _pages(at)
    assert any("avstängt" in c.value for c in at.sidebar.caption)


def test_open_to_the_network_the_add_page_needs_the_password(
    public_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FINSAM_APP_PASSWORD", "rätt-lösen")
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert "dokument" in _pages(at) and "lagg_till" not in _pages(at)
    at.sidebar.text_input(key="fs_write_password").input("fel").run()
    assert "lagg_till" not in _pages(at)
    assert any("Fel lösenord" in e.value for e in at.sidebar.error)
    at.sidebar.text_input(key="fs_write_password").input("rätt-lösen").run()
    assert "lagg_till" in _pages(at)


def test_on_this_machine_the_add_page_is_open(
    public_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FINSAM_APP_HOST", "127.0.0.1")
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert "lagg_till" in _pages(at)


def test_the_apps_threads_log_no_scriptruncontext_noise(
    public_env: None, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("FINSAM_APP_HOST", "127.0.0.1")
    caplog.set_level(logging.WARNING)
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception
    deadline = time.monotonic() + 30
    while any(t.name == "finsam-warm-up" for t in threading.enumerate()):
        assert time.monotonic() < deadline, "the warm-up thread did not end"
        time.sleep(0.1)
    at.run()
    noise = [
        r.getMessage()
        for r in caplog.records
        if "missing ScriptRunContext" in r.getMessage() and "MainThread" not in r.getMessage()
    ]
    assert noise == []
