"""Exports people open: CSV for a Swedish spreadsheet (BOM, `;`, Swedish headers), XLSX
whose text cells are never formulas, plain CSV and JSON Lines with the English keys, compare
writing <ämne>.xlsx, and terminal tables 100 characters wide."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from corpus.export import CSV_DIALECTS, header, neutralise, table_csv, table_xlsx
from corpus.settings import Settings
from index.build import ingest_and_index
from index.embed import HashEncoder
from search_app.cli import cli
from search_app.tables import WIDTH

HYPERLINK = '=HYPERLINK("http://evil.example/x","Att rösta för NNS förslag om höjd serviceavgift")'
CMD = "+cmd|' /C calc'!A0 Serviceavgift till NNS"
HOSTILE = f"""Samordningsförbundet Halland
PROTOKOLL
Sammanträdesdatum 2024-03-14

§ 1 {CMD}

Nationella Nätverket för Samordningsförbund föreslår en höjning av serviceavgiften.

Beslut
{HYPERLINK}

§ 2 @SUM(1+1) serviceavgift och budget

Ärendet gäller -2+3 och serviceavgiften.

Beslut
Att godkänna budgeten.
"""


def run(*args: str, env: dict[str, str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A corpus of one protocol whose title and clauses start like spreadsheet formulas."""
    tmp = tmp_path_factory.mktemp("hostile")
    (tmp / "formel.txt").write_text(HOSTILE, encoding="utf-8")
    settings = Settings(db=tmp / "c.db", model="hash", cache_dir=tmp / "cache")
    report, _ = ingest_and_index([tmp / "formel.txt"], settings, encoder=HashEncoder())
    assert report.documents_added == 1, report.failures
    return {"FINSAM_DB": str(settings.db), "FINSAM_MODEL": "hash", "FINSAM_WORKERS": "1"}


def _formula_cells(path: Path) -> list[str]:
    return [
        f"{c.coordinate}: {c.value}"
        for row in load_workbook(path).active.iter_rows()
        for c in row
        if c.data_type == "f"
    ]


def _all_text(path: Path) -> list[str]:
    return [str(c.value) for row in load_workbook(path).active.iter_rows() for c in row]


def _read_excel_csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "no UTF-8 BOM"
    text = data.decode("utf-8-sig")
    assert csv.Sniffer().sniff(text.splitlines()[0], delimiters=";,").delimiter == ";"
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_compare_xlsx_has_no_formula_cells_and_keeps_the_text(
    hostile: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "cmp.xlsx"
    code, _, err = run("compare", "serviceavgift", "--format", "xlsx", "-o", str(out), env=hostile)
    assert code == 0, err
    assert _formula_cells(out) == []
    cells = _all_text(out)
    assert HYPERLINK in cells, "the clause is not shown as the text it is"
    assert header("forbund") in cells and "forbund" not in cells


def test_compare_csv_neutralises_formulas(hostile: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "cmp.csv"
    code, _, err = run("compare", "serviceavgift", "--format", "csv", "-o", str(out), env=hostile)
    assert code == 0, err
    rows = _read_excel_csv(out.read_bytes())
    clauses = [r[header("clause")] for r in rows]
    assert "'" + HYPERLINK in clauses
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@")), value


def test_items_export_csv_and_xlsx_neutralise_hostile_titles(
    hostile: dict[str, str], tmp_path: Path
) -> None:
    code, out, _ = run("export", "--format", "csv", env=hostile)
    assert code == 0
    rows = _read_excel_csv(out.encode("utf-8"))
    titles = [r[header("title")] for r in rows]
    assert any(t.startswith("'+cmd") for t in titles), titles
    assert any(t.startswith("'@SUM(1+1)") for t in titles), titles
    assert all(not v.startswith(("=", "+", "-", "@")) for r in rows for v in r.values())
    # the same rows as XLSX (the app's downloads use this writer too)
    code, out, _ = run("export", "--format", "jsonl", env=hostile)
    items = [json.loads(line) for line in out.splitlines()]
    path = tmp_path / "items.xlsx"
    path.write_bytes(table_xlsx(items, ("title", "decisions", "text"), "Punkter"))
    assert _formula_cells(path) == []
    stored = next(i["title"] for i in items if i["title"].startswith("+cmd"))
    assert stored in _all_text(path)


def test_table_writers_on_every_formula_start() -> None:
    starts = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1"]
    rows = [{"title": s, "n": -5, "pages": [3, 4], "procedural": True} for s in starts]
    for dialect in CSV_DIALECTS:
        text = table_csv(rows, ("title", "n", "pages", "procedural"), dialect)
        sep = ";" if dialect == "excel" else ","
        parsed = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=sep))
        assert [r[0] for r in parsed[1:]] == ["'" + s for s in starts]
        assert all(r[1] == "-5" for r in parsed[1:]), "a number is not a formula"
    assert neutralise("-5") == "-5" and neutralise("- punkt") == "'- punkt"
    excel = table_csv(rows[:1], ("title", "pages", "procedural"))
    assert excel.startswith("\ufeff") and "Rubrik;Sida;Formalia" in excel
    assert "3 | 4;ja" in excel
    plain = table_csv(rows[:1], ("title", "pages"), "plain")
    assert plain.startswith("title,pages") and '"[3, 4]"' in plain


def test_xlsx_text_cells_are_typed_as_text(tmp_path: Path) -> None:
    rows = [{"title": HYPERLINK, "n": 3}, {"title": CMD, "n": 2.5}, {"title": "ok\x01", "n": 0}]
    path = tmp_path / "t.xlsx"
    path.write_bytes(table_xlsx(rows, ("title", "n")))
    ws = load_workbook(path).active
    assert [c.data_type for c in ws["A"][1:]] == ["s", "s", "s"]
    assert [c.value for c in ws["A"][1:]] == [HYPERLINK, CMD, "ok"]
    assert [c.value for c in ws["B"][1:]] == [3, 2.5, 0]


def test_export_plain_csv_and_jsonl_keep_the_english_keys(hostile: dict[str, str]) -> None:
    code, out, _ = run("export", "--format", "csv", "--csv-dialect", "plain", env=hostile)
    assert code == 0 and not out.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {"title", "decisions", "forbund"} <= set(rows[0])
    code, out, _ = run("export", "--format", "jsonl", env=hostile)
    assert {"title", "decisions", "forbund"} <= set(json.loads(out.splitlines()[0]))


def test_compare_xlsx_without_out_writes_the_topic_file_here(
    hostile: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run("compare", "höjd serviceavgift", "--format", "xlsx", env=hostile)
    assert code == 0, err
    written = tmp_path / "höjd-serviceavgift.xlsx"
    assert written.is_file()
    assert str(written) in err
    assert _formula_cells(written) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--format", "xlsx", "-o", "{tmp}/saknas/ut.xlsx"), "does not exist"),
        (("--format", "xlsx", "-o", "{tmp}/ut.csv"), ".xlsx"),
        (("--format", "csv", "-o", "{tmp}"), "is a folder"),
    ],
)
def test_compare_argument_problems_fail_before_the_work(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    # No corpus exists: the command must stop on its arguments before it opens one.
    env = {"FINSAM_DB": str(tmp_path / "ingen.db"), "FINSAM_MODEL": "hash"}
    argv = ["compare", "serviceavgift", *(a.format(tmp=tmp_path) for a in args)]
    result = CliRunner().invoke(cli, argv, env=env)
    assert result.exit_code == 1
    assert message in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "ingen.db").exists()


def test_cli_tables_fit_100_columns_with_swedish_headers(sample_settings: Settings) -> None:
    env = {"FINSAM_DB": str(sample_settings.db), "FINSAM_MODEL": "hash"}
    for command in ("compare", "decisions"):
        code, out, err = run(command, "serviceavgift NNS", env=env)
        assert code == 0, err
        lines = out.splitlines()
        assert max(len(line) for line in lines) <= WIDTH, command
        head = lines[1] if command == "compare" else lines[0]  # compare: the counts first
        assert head.split()[:3] == ["Förbund", "Datum", "§"]
        assert "Norra Västmanlands" in out
        assert "forbund" not in out and "meeting_date" not in out
