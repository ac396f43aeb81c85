"""Every input the CLI takes is checked: a bad value is one clear line and exit code 1 or 2,
never a traceback, a hang or a silently different answer (issue 16: r_cli_input_validation,
r_workers_negative_hang, r_precedents_cp1252_traceback, r_terminal_escapes_in_names)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from bombs import bomb_pdf
from click.testing import CliRunner

from corpus.errors import CorpusError
from corpus.lock import write_lock
from corpus.settings import Settings
from index.query import make_filters
from search_app.cli import cli

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpus" / "samples"


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def one_line_error(code: int, err: str, *words: str) -> None:
    assert code in (1, 2), (code, err)
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    message = lines[-1]
    for word in words:
        assert word in message, (word, err)


@pytest.fixture()
def corpus_env(sample_settings: Settings) -> dict[str, str]:
    return {"FINSAM_DB": str(sample_settings.db), "FINSAM_MODEL": "hash"}


@pytest.mark.parametrize("value", ["2023-13", "2023-00", "2021-99", "2023-02-30", "0000"])
@pytest.mark.parametrize("option", ["--from", "--to"])
def test_impossible_dates_are_refused_at_both_ends(
    corpus_env: dict[str, str], option: str, value: str
) -> None:
    code, out, err = run("search", "avgift", option, value, env=corpus_env)
    one_line_error(code, err, value)
    assert out == ""


def test_a_month_end_is_the_last_day_of_that_month() -> None:
    f = make_filters(date_from="2024-02", date_to="2024-02")
    assert (f.date_from, f.date_to) == ("2024-02-01", "2024-02-29")
    f = make_filters(date_to="2023-12")
    assert f.date_to == "2023-12-31"


def test_a_period_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(CorpusError, match="2023-01-01"):
        make_filters(date_from="2024", date_to="2023-01-01")


@pytest.mark.parametrize("k", ["-3", "0"])
def test_a_result_count_below_one_is_refused(corpus_env: dict[str, str], k: str) -> None:
    code, out, err = run("search", "avgift", "-k", k, "--json", env=corpus_env)
    one_line_error(code, err, "-k")
    assert '"rank"' not in out
    draft = "Förslag om höjd serviceavgift till NNS."
    result = CliRunner().invoke(
        cli, ["precedents", "--text", "-", "-k", k], input=draft, env=corpus_env
    )
    one_line_error(result.exit_code, result.stderr, "-k")


@pytest.mark.parametrize("pattern", ["%", "_", "%%", "\\", " "])
def test_show_takes_like_wildcards_literally(corpus_env: dict[str, str], pattern: str) -> None:
    code, out, err = run("show", pattern, env=corpus_env)
    one_line_error(code, err)
    assert "sidor" not in out


def test_show_still_finds_a_document_by_the_start_of_its_name(corpus_env: dict[str, str]) -> None:
    code, out, _ = run("show", "000_", env=corpus_env)
    assert code == 0
    assert out.count("000_52e1473b84c5cf25") >= 1


def test_precedents_reads_a_cp1252_draft(corpus_env: dict[str, str], tmp_path: Path) -> None:
    draft = tmp_path / "utkast.txt"
    draft.write_bytes("Förslag om höjd serviceavgift till NNS.\n".encode("cp1252"))
    utf8 = tmp_path / "utkast-utf8.txt"
    utf8.write_text("Förslag om höjd serviceavgift till NNS.\n", encoding="utf-8")
    code, out, err = run("precedents", "--text", str(draft), "--json", env=corpus_env)
    assert code == 0, err
    code8, out8, _ = run("precedents", "--text", str(utf8), "--json", env=corpus_env)
    assert code8 == 0
    found = json.loads(out)["precedents"]
    assert found and found == json.loads(out8)["precedents"]


@pytest.mark.parametrize(
    ("var", "value", "words"),
    [
        ("FINSAM_MAX_FILE_MB", "1.5", ["FINSAM_MAX_FILE_MB", "'1.5'"]),
        ("FINSAM_WORKERS", "two", ["FINSAM_WORKERS", "'two'"]),
        ("FINSAM_WORKERS", "-1", ["FINSAM_WORKERS", "-1"]),
        ("FINSAM_MAX_PAGES", "0", ["FINSAM_MAX_PAGES"]),
        ("FINSAM_FILE_TIMEOUT", "nan", ["FINSAM_FILE_TIMEOUT"]),
        ("FINSAM_FILE_TIMEOUT", "soon", ["FINSAM_FILE_TIMEOUT", "'soon'"]),
    ],
)
def test_a_bad_setting_in_the_environment_is_one_clear_line(
    corpus_env: dict[str, str], var: str, value: str, words: list[str]
) -> None:
    code, _, err = run("search", "avgift", env={**corpus_env, var: value})
    one_line_error(code, err, *words)


def _cli(args: list[str], env: dict[str, str], timeout: float) -> subprocess.CompletedProcess[str]:
    """Run the CLI in its own process group; past `timeout` the whole group is killed (the old
    code looped forever here, holding the write lock) and the test fails."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "search_app.cli", *args],
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail(f"finsam {' '.join(args)} still ran after {timeout} s")
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


@pytest.mark.parametrize(
    ("args", "env"),
    [(["--workers", "-1"], {}), ([], {"FINSAM_WORKERS": "-1"})],
)
def test_negative_workers_are_refused_not_a_hang(
    tmp_path: Path, args: list[str], env: dict[str, str]
) -> None:
    db = tmp_path / "c.db"
    seed = str(SEED / "000_52e1473b84c5cf25.txt")
    done = _cli(["ingest", seed, "--db", str(db), *args], {"FINSAM_MODEL": "hash", **env}, 60)
    one_line_error(done.returncode, done.stderr, "-1")
    # Nothing holds the write lock afterwards.
    with write_lock(Settings(db=db).lock_path, timeout_s=5):
        pass


def test_settings_built_in_code_are_checked_too(tmp_path: Path) -> None:
    from corpus.store import Store
    from ingest.pipeline import ingest_paths

    raised: list[BaseException] = []

    def attempt() -> None:
        with Store.open(tmp_path / "c.db") as store:
            try:
                ingest_paths([SEED], store, Settings(db=tmp_path / "c.db", workers=-1))
            except CorpusError as e:
                raised.append(e)

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(timeout=60)  # the old code looped here forever
    assert not worker.is_alive(), "ingest_paths(workers=-1) still runs after 60 s"
    assert raised and "workers" in str(raised[0])


HOSTILE = "a\x1b]0;owned\x07\x1b[31mX\nFEL  protokoll-2024-03.pdf: filen är ok.pdf"


def test_control_characters_in_file_names_never_reach_the_terminal(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / HOSTILE).write_bytes(b"%PDF-1.4 broken")
    (folder / "rätt\u202etxt.gpj.txt").write_bytes(b"%PDF-1.4 broken too")
    env = {"FINSAM_MODEL": "hash", "FINSAM_WORKERS": "1"}
    done = _cli(["ingest", str(folder), "--db", str(tmp_path / "c.db")], env, 120)
    assert done.returncode == 1
    everything = done.stdout + done.stderr
    assert "\x1b" not in everything and "\x07" not in everything and "\u202e" not in everything
    fel = [line for line in done.stderr.replace("\r", "\n").splitlines() if line.startswith("FEL")]
    assert len(fel) == 2, done.stderr  # one line per broken file: no forged line
    assert all(f"{folder}/" in line for line in fel)
    assert "\\x1b]0;owned\\x07" in done.stderr and "\\u202e" in done.stderr
    assert "2 fel" in done.stdout


def test_plain_keeps_swedish_text_and_escapes_controls() -> None:
    from search_app.cli import plain

    assert plain("Protokoll § 5 – bilaga å ä ö.pdf") == "Protokoll § 5 – bilaga å ä ö.pdf"
    assert plain("a\nb\tc\x1b\u2066") == "a\\nb\\tc\\x1b\\u2066"


def test_a_file_stopped_by_the_memory_cap_is_not_called_damaged(tmp_path: Path) -> None:
    """A 1 MB PDF that inflates to 1 GiB, read under a 1200 MB cap (the warmed-up worker
    takes ~0.8 GB): refused for memory, with the limit named (r_bomb_memory_message)."""
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(bomb_pdf(1024))
    env = {"FINSAM_MODEL": "hash", "FINSAM_WORKERS": "1", "FINSAM_MAX_MEMORY_MB": "1200"}
    done = _cli(["ingest", str(bomb), "--db", str(tmp_path / "c.db"), "--no-index"], env, 300)
    assert done.returncode == 1, done.stderr
    fel = [line for line in done.stderr.splitlines() if line.startswith("FEL")]
    assert len(fel) == 1, done.stderr
    assert "minne" in fel[0] and "1200 MB" in fel[0], fel[0]
    assert "skadad" not in fel[0]


@pytest.mark.parametrize(
    "args",
    [["search", ""], ["search", "   "], ["decisions", " "], ["compare", ""], ["ingest", ""]],
)
def test_empty_queries_topics_and_paths_are_refused(
    corpus_env: dict[str, str], args: list[str]
) -> None:
    """An empty path would ingest the current folder; an empty topic lists every förbund as
    "no decision found"."""
    code, out, err = run(*args, env=corpus_env)
    one_line_error(code, err, "empty")
    assert out == ""


def test_an_empty_draft_is_refused(corpus_env: dict[str, str], tmp_path: Path) -> None:
    draft = tmp_path / "tomt.txt"
    draft.write_bytes(b" \n\n")
    code, _, err = run("precedents", "--text", str(draft), env=corpus_env)
    one_line_error(code, err, "tomt.txt", "empty")


def test_a_folder_given_as_the_corpus_is_named(tmp_path: Path) -> None:
    code, _, err = run("search", "avgift", "--db", str(tmp_path), env={"FINSAM_MODEL": "hash"})
    one_line_error(code, err, str(tmp_path), "folder")
