"""The finsam CLI on real files: ingest, export, show, search, decisions; errors as one line."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from search_app.cli import cli

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_readme_mentions_every_command_and_each_has_help() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    for name, command in cli.commands.items():
        assert f"finsam {name}" in readme, f"README does not mention `finsam {name}`"
        assert command.help, f"`finsam {name}` has no help text"


@pytest.fixture()
def corpus_env(sample_settings) -> dict[str, str]:
    return {"FINSAM_DB": str(sample_settings.db), "FINSAM_MODEL": "hash"}


def test_export_items_has_the_documented_fields(corpus_env: dict[str, str]) -> None:
    code, out, _ = run("export", "--what", "items", "--format", "jsonl", env=corpus_env)
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    fields = {
        "source",
        "doc_id",
        "doc_kind",
        "forbund",
        "meeting_date",
        "organ",
        "label",
        "number",
        "title",
        "handlingar",
        "decisions",
        "proposals",
        "text",
        "pages",
        "amounts_kr",
    }
    assert fields <= set(rows[0])
    s57 = [r for r in rows if r["source"].startswith("000_") and r["number"] == 57]
    assert len(s57) == 1
    assert s57[0]["meeting_date"] == "2023-11-02"
    assert s57[0]["forbund"] == "Norra Västmanlands Samordningsförbund"
    assert 66600 in s57[0]["amounts_kr"]


def test_export_documents_csv(corpus_env: dict[str, str]) -> None:
    code, out, _ = run(
        "export", "--what", "documents", "--format", "csv", "--csv-dialect", "plain", env=corpus_env
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    by_source = {r["source"]: r for r in rows}
    doc = by_source["001_2a1b84729341aabe.txt"]
    assert doc["chair"] == "Shpetim Pirraku"
    assert doc["organ"] == "interimsstyrelse"
    assert json.loads(doc["participants"])[0]["role"] == "beslutande"
    assert by_source["004_187070a20f6f952f.txt"]["meeting_date"] == ""


def test_show_renders_items(corpus_env: dict[str, str]) -> None:
    code, out, _ = run("show", "000_52e1473b84c5cf25.txt", env=corpus_env)
    assert code == 0
    assert "§ 56" in out and "Tilläggsäskande 2023 Samordningsteam Sala" in out
    assert "Att bevilja Samordningsteam Sala en extra tilldelning 2023 med 120 tkr" in out


def test_search_json_shape_and_filters(corpus_env: dict[str, str]) -> None:
    code, out, _ = run("search", "serviceavgift NNS", "--json", "-k", "5", env=corpus_env)
    assert code == 0
    data = json.loads(out)
    first = data["results"][0]
    assert {
        "rank",
        "score",
        "source",
        "forbund",
        "meeting_date",
        "doc_kind",
        "label",
        "number",
        "title",
        "decisions",
        "snippet",
        "pages",
    } <= set(first)
    assert any(r["number"] == 57 and r["source"].startswith("000_") for r in data["results"][:5])
    code, out, _ = run("search", "serviceavgift", "--json", "--to", "2021", env=corpus_env)
    assert {r["meeting_date"][:4] for r in json.loads(out)["results"]} <= {"2021"}
    assert json.loads(out)["concepts"] == []


def test_search_writes_every_match_as_a_table(corpus_env: dict[str, str], tmp_path: Path) -> None:
    """A researcher exports what a search finds: --all gives every match (more than the first
    k, in the order of the ranking), --format csv|xlsx a table with Swedish headers (or the
    English keys with --csv-dialect plain)."""
    from openpyxl import load_workbook

    code, out, _ = run("search", "serviceavgift", "--json", "-k", "3", env=corpus_env)
    first = [(r["source"], r["label"]) for r in json.loads(out)["results"]]
    plain = ("--format", "csv", "--csv-dialect", "plain")
    code, out, _ = run("search", "serviceavgift", "--all", *plain, env=corpus_env)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) > 3 and [r["rank"] for r in rows] == [str(n) for n in range(1, len(rows) + 1)]
    assert [(r["source"], r["label"]) for r in rows[:3]] == first
    assert "link" not in rows[0] and all(r["citation"] for r in rows)
    code, out, _ = run("search", "serviceavgift", "-k", "2", *plain, env=corpus_env)
    assert len(list(csv.DictReader(io.StringIO(out)))) == 2
    target = tmp_path / "traffar.xlsx"
    code, _, err = run(
        "search", "serviceavgift", "--all", "--format", "xlsx", "-o", str(target), env=corpus_env
    )
    assert code == 0 and f"{len(rows)} rader till" in err
    sheet = load_workbook(target).active
    assert sheet is not None and sheet.max_row == len(rows) + 1
    assert [c.value for c in sheet[1]][:3] == ["Nr", "Källhänvisning", "Förbund"]
    code, _, err = run("search", "serviceavgift", "-o", str(tmp_path / "x.csv"), env=corpus_env)
    assert code == 1 and "give --format csv or --format xlsx" in err
    assert not (tmp_path / "x.csv").exists()


def test_decisions_write_a_table(corpus_env: dict[str, str]) -> None:
    """`finsam decisions --format csv` gives the rows `--json` gives, as the app's download."""
    _, out, _ = run("decisions", "NNS serviceavgift", "--json", env=corpus_env)
    decided = [(d["source"], d["label"]) for d in json.loads(out)["decisions"]]
    code, out, _ = run(
        "decisions",
        "NNS serviceavgift",
        "--format",
        "csv",
        "--csv-dialect",
        "plain",
        env=corpus_env,
    )
    assert code == 0 and decided
    assert [(r["source"], r["label"]) for r in csv.DictReader(io.StringIO(out))] == decided


def test_search_names_the_concept_a_query_explains_in_other_words(
    corpus_env: dict[str, str],
) -> None:
    query = "the association's visual identity and brand"
    code, out, _ = run("search", query, "--json", "-k", "5", env=corpus_env)
    assert code == 0
    data = json.loads(out)
    assert data["concepts"] == ["logotyp"]
    assert any("logotyp" in r["title"].lower() for r in data["results"][:2])
    code, out, _ = run("search", query, "-k", "3", env=corpus_env)
    assert out.startswith("Sökningen omfattar även begreppet logotyp, som frågan beskriver")
    code, out, _ = run("search", query, "--mode", "lexical", "--json", env=corpus_env)
    assert json.loads(out)["concepts"] == []


def test_search_says_when_no_hit_holds_a_query_word(corpus_env: dict[str, str]) -> None:
    # "zebrakvagga" is in no sample protocol: what the dense side returns is only near in
    # meaning, and the user is told so; a query whose words the corpus holds is not.
    code, out, _ = run("search", "zebrakvagga", "-k", "3", env=corpus_env)
    assert code == 0
    assert out.startswith("Ingen punkt innehåller orden i sökfrågan. Nedan visas")
    assert "1. " in out
    code, out, _ = run("search", "zebrakvagga", "--json", "-k", "3", env=corpus_env)
    data = json.loads(out)
    assert data["with_words"] == 0 and data["results"]
    assert all(r["matched"] == [] for r in data["results"])
    code, out, _ = run("search", "serviceavgift", "-k", "3", env=corpus_env)
    assert "Ingen punkt innehåller" not in out
    data = json.loads(run("search", "serviceavgift", "--json", "-k", "3", env=corpus_env)[1])
    assert data["with_words"] == 3 and all(r["matched"] for r in data["results"])
    code, out, _ = run("search", "zebrakvagga", "--from", "2023", "-k", "2", env=corpus_env)
    assert out.startswith("Ingen punkt innehåller orden i sökfrågan (med de valda filtren).")


def test_bad_date_is_one_line_and_exit_1(corpus_env: dict[str, str]) -> None:
    code, _, err = run("search", "avgift", "--from", "2023-13-40", env=corpus_env)
    assert code == 1
    assert err.startswith("finsam: ") and len(err.strip().splitlines()) == 1


def test_stale_index_names_the_fix(corpus_env: dict[str, str], sample_settings, tmp_path) -> None:
    db = tmp_path / "copy.db"
    shutil.copy(sample_settings.db, db)
    env = {**corpus_env, "FINSAM_DB": str(db)}
    code, _, err = run("search", "avgift", env=env)
    assert code == 1
    assert "finsam reindex" in err


def test_a_corpus_folder_that_cannot_be_made_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("a file where the corpus folder should go", encoding="utf-8")
    code, _, err = run(
        "ingest", str(ROOT / "corpus" / "samples"), "--db", str(blocker / "finsam.db")
    )
    assert code == 1
    assert err.startswith("finsam: cannot read or write") and str(blocker) in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_ingest_reports_failures_and_keeps_the_rest(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(ROOT / "tests/data/protocols/gavleborg_2023-11-10.txt", src / "a.txt")
    (src / "trasig.pdf").write_bytes(b"%PDF-1.4 not really")
    env = {"FINSAM_DB": str(tmp_path / "db" / "f.db"), "FINSAM_MODEL": "hash"}
    code, out, err = run("ingest", str(src), env=env)
    assert code == 1
    assert re.search(r"trasig\.pdf: .+", err)
    assert "1 nya dokument" in out and "1 fel" in out
    code, out, _ = run("ingest", str(src / "a.txt"), env=env)
    assert code == 0 and "1 oförändrade" in out
