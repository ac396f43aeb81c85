"""The `finsam` command: thin commands that each call one library function.

Errors the library raises on purpose (corpus.errors) become one line and exit code 1.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any

import click

from corpus.errors import CorpusError
from corpus.model import ItemContext
from corpus.settings import OCR_MODES, Settings
from search_app.cli_support import (
    Bar,
    Counter,
    command_settings,
    csv_dialect_option,
    db_option,
    echo_warnings,
    filter_options,
    given,
    model_option,
    output_file,
    paths_given,
    plain,
    presented,
    table_options,
    write_table,
)


@click.group()
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
def cli(verbose: int) -> None:
    """Search the board protocols of Swedish samordningsförbund (Finsam) and NNS."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(), callback=paths_given)
@db_option
@model_option
@click.option("--no-index", is_flag=True, help="Only store; do not update the search index.")
@click.option(
    "--workers",
    type=click.IntRange(min=0),
    default=None,
    help="Extraction processes (default, or 0: one per core).",
)
@click.option(
    "--follow-links",
    is_flag=True,
    help="Also read files that symbolic links in the folders lead to outside them.",
)
@click.option(
    "--ocr",
    type=click.Choice(OCR_MODES),
    default=None,
    help="OCR of scanned PDF pages with Tesseract: auto (default: pages without a usable "
    "text layer), always (every page), never (report scans as needing OCR).",
)
@presented
def ingest(
    paths: tuple[Path, ...],
    db: Path | None,
    model: str | None,
    no_index: bool,
    workers: int | None,
    follow_links: bool,
    ocr: str | None,
) -> None:
    """Ingest protocol files or folders (PDF, DOCX, TXT, HTML, scans) and index them."""
    from index.build import ingest_and_index

    settings = command_settings(db=db, model=model, workers=workers, ocr=ocr)
    files_bar, index_bar, pages_bar = Bar("Filer"), Bar("Indexerar"), Counter("OCR-sidor")
    try:
        report, indexed = ingest_and_index(
            list(paths),
            settings,
            files_progress=files_bar,
            index_progress=index_bar,
            index=not no_index,
            follow_links=follow_links,
            on_page=pages_bar,
        )
    finally:
        files_bar.close()
        pages_bar.close()
        index_bar.close()
    for f in report.skipped:
        click.echo(f"HOPPADE ÖVER  {plain(f.path)}: {plain(f.reason)}", err=True)
    for f in report.failures:
        click.echo(f"FEL  {plain(f.path)}: {plain(f.reason)}", err=True)
    echo_warnings(report.warnings)
    click.echo(
        f"{report.documents_added} nya dokument, {report.documents_replaced} ersatta, "
        f"{report.documents_unchanged} oförändrade, {report.items} punkter, "
        f"{len(report.failures)} fel, {len(report.warnings)} dokument med varningar. "
        f"Databas: {plain(settings.db)}"
    )
    if indexed:
        click.echo(indexed)
    if report.failures:
        sys.exit(1)


@cli.command()
@db_option
@model_option
@click.option("--no-index", is_flag=True, help="Only re-segment; do not update the search index.")
@presented
def resegment(db: Path | None, model: str | None, no_index: bool) -> None:
    """Re-segment documents made by an older segmenter, from what the corpus keeps (no source
    files needed), then bring the index up to date."""
    from ingest.resegment import resegment_and_index

    settings = command_settings(db=db, model=model)
    docs_bar, index_bar = Bar("Dokument"), Bar("Indexerar")
    try:
        report, indexed = resegment_and_index(
            settings, progress=docs_bar, index_progress=index_bar, index=not no_index
        )
    finally:
        docs_bar.close()
        index_bar.close()
    for f in report.failures:
        click.echo(
            f"FEL  {plain(f.path)}: {plain(f.reason)} (dokumentet behålls som det var)", err=True
        )
    echo_warnings(report.warnings)
    click.echo(
        f"{report.documents} dokument omsegmenterade ({report.from_text} från sparad text), "
        f"{report.items_before} punkter före, {report.items_after} efter, "
        f"{report.ids_kept} behöll sitt id, {len(report.failures)} fel, "
        f"{len(report.warnings)} dokument med varningar. Databas: {plain(settings.db)}"
    )
    if indexed:
        click.echo(indexed)
    if report.failures:
        sys.exit(1)


@cli.command()
@db_option
@model_option
@presented
def reindex(db: Path | None, model: str | None) -> None:
    """Rebuild the search indexes from the corpus: compares every item with what was
    embedded, and embeds only what changed."""
    from corpus.store import Store
    from index.build import sync_index

    settings = command_settings(db=db, model=model)
    bar = Bar("Indexerar")
    try:
        with Store.open(settings.db) as store:
            summary = sync_index(store, settings, progress=bar, full=True)
    finally:
        bar.close()
    click.echo(summary)


@cli.command()
@db_option
@click.option("--what", type=click.Choice(["items", "documents"]), default="items")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl")
@csv_dialect_option
@click.option("-o", "--out", type=click.Path(path_type=Path), help="Write to a file, not stdout.")
@presented
def export(db: Path | None, what: str, fmt: str, csv_dialect: str, out: Path | None) -> None:
    """Export items or documents as JSON Lines (English keys) or CSV (for a spreadsheet by
    default; --csv-dialect plain for scripts)."""
    from corpus import export as ex
    from corpus.store import Store
    from index.decisions import clause_conditions, item_procedures

    def how_decided(ctx: ItemContext) -> dict[str, list[str]]:
        return {
            "procedures": list(item_procedures(ctx.item)),
            "conditions": list(clause_conditions(ctx.item.decisions)),
        }

    settings = command_settings(db=db)
    with Store.open(settings.db, readonly=True) as store:
        items = what == "items"
        rows = ex.item_rows(store, how_decided) if items else ex.document_rows(store)
        fields = (*ex.ITEM_FIELDS, "procedures", "conditions") if items else ex.DOCUMENT_FIELDS
        fh = out.open("w", encoding="utf-8", newline="") if out else sys.stdout
        try:
            n = (
                ex.write_jsonl(rows, fh)
                if fmt == "jsonl"
                else ex.write_csv(rows, fh, fields, "plain" if csv_dialect == "plain" else "excel")
            )
        finally:
            if out:
                fh.close()
    if out:
        click.echo(f"{n} rader till {out}", err=True)


@cli.command()
@click.argument("source")
@db_option
@click.option("--full", is_flag=True, help="Show whole item bodies.")
@presented
def show(source: str, db: Path | None, full: bool) -> None:
    """Show how one document was segmented (by file name or document id)."""
    from corpus.render import render_document
    from corpus.store import Store

    if not source.strip():
        raise CorpusError("give a file name, a path or a document id to show")
    settings = command_settings(db=db)
    with Store.open(settings.db, readonly=True) as store:
        ids = store.find_documents(source)
        if not ids:
            raise CorpusError(f"no document matches {source!r} in {settings.db}")
        for doc_id in ids:
            doc = store.get_document(doc_id)
            assert doc is not None
            click.echo(render_document(doc, body_chars=0 if full else 400))
            click.echo("")


def _filters(
    forbund: tuple[str, ...],
    date_from: str | None,
    date_to: str | None,
    kind: tuple[str, ...],
    decisions_only: bool = False,
) -> Any:
    from index.query import make_filters

    return make_filters(forbund, date_from, date_to, kind, decisions_only)


@cli.command()
@click.argument("query", callback=lambda _c, _p, v: given(v, "query"))
@db_option
@model_option
@filter_options
@click.option("--decisions-only", is_flag=True, help="Only items with decision clauses.")
@click.option(
    "-k", type=click.IntRange(min=1), default=10, show_default=True, help="Number of results."
)
@click.option("--mode", type=click.Choice(["hybrid", "lexical", "dense"]), default="hybrid")
@click.option(
    "--all",
    "every",
    is_flag=True,
    help="Every item the query matches, best first, not the first k (as the app's export).",
)
@table_options("text", "query")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@presented
def search(
    query: str,
    db: Path | None,
    model: str | None,
    forbund: tuple[str, ...],
    date_from: str | None,
    date_to: str | None,
    kind: tuple[str, ...],
    decisions_only: bool,
    k: int,
    mode: str,
    every: bool,
    fmt: str,
    csv_dialect: str,
    out: Path | None,
    as_json: bool,
) -> None:
    """Search items (Swedish or English) across förbund and years; --format csv|xlsx writes
    the results as a table (with --all: every match) for a spreadsheet."""
    from corpus.store import Store
    from index.query import concepts_text, no_words_text, result_json, result_text

    settings = command_settings(db=db, model=model)
    filters = _filters(forbund, date_from, date_to, kind, decisions_only)
    target = output_file(out, fmt, query)
    with Store.open(settings.db, readonly=True) as store:
        searcher = _searcher(store, settings)
        if every:
            ranking = searcher.search_all(query, filters, mode)
            hits, concepts = list(ranking.hits), ranking.concepts
        else:
            hits, concepts = searcher.search_with_concepts(query, k, filters, mode)
        if fmt != "text" and not as_json:
            from search_app.results import EXPORT_COLUMNS, export_rows

            rows = export_rows(store.item_contexts([h.item_id for h in hits]), lambda _c: "")
            columns = tuple(c for c in EXPORT_COLUMNS if c != "link")  # the app's permalink
            write_table(rows, columns, columns, fmt, csv_dialect, target, "Träffar")
            return
        results = searcher.results(query, hits)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "query": query,
                    "index_behind_corpus": searcher.behind,
                    "concepts": list(concepts),
                    "with_words": sum(1 for r in results if r.hit.matched),
                    "results": [result_json(r) for r in results],
                },
                ensure_ascii=False,
                indent=1,
            )
        )
        return
    if concepts:
        click.echo(concepts_text(concepts) + "\n")
    if not results:
        click.echo("Inga träffar.")
        return
    if mode != "dense" and not any(r.hit.matched for r in results):
        click.echo(no_words_text(filters.active) + "\n")
    click.echo("\n\n".join(result_text(r) for r in results))


@cli.command(name="eval")
@click.argument("queries", type=click.Path(exists=True, path_type=Path))
@db_option
@model_option
@click.option(
    "--split",
    type=click.Choice(["all", "tune", "report", "probe"]),
    default="all",
    show_default=True,
    help="Which half of a split query file to score (tune on one, report on the other; "
    "probe: the held-out queries).",
)
@click.option(
    "--mode",
    "modes",
    type=click.Choice(["lexical", "dense", "hybrid"]),
    multiple=True,
    help="Search modes to score (default: all three).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@presented
def eval_cmd(
    queries: Path,
    db: Path | None,
    model: str | None,
    split: str,
    modes: tuple[str, ...],
    as_json: bool,
) -> None:
    """Print nDCG@10, Recall@20 and MRR for lexical, dense and hybrid search: overall, per
    language, per query type and per query."""
    from corpus.store import Store
    from index.eval_report import eval_json, eval_text
    from index.evaluate import MODES, Evaluator, load_queries, open_searcher

    settings = command_settings(db=db, model=model)
    qs = load_queries(queries, split)
    with Store.open(settings.db, readonly=True) as store:
        scores = Evaluator(open_searcher(store, settings), qs).run(modes or MODES)
    if as_json:
        out = {"file": str(queries), "split": split, **eval_json(scores, qs)}
        click.echo(json.dumps(out, ensure_ascii=False, indent=1))
    else:
        click.echo(eval_text(scores, qs, f"{len(qs)} queries from {queries} (split: {split})"))


@cli.command(name="eval-segmentation")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@db_option
@click.option(
    "--files",
    "files",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="Segment these files or folders now with the current code instead of reading the "
    "corpus (nothing is stored). Repeatable.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--brief", is_flag=True, help="Only the table, not every difference.")
@presented
def eval_segmentation(
    gold: Path, db: Path | None, files: tuple[Path, ...], as_json: bool, brief: bool
) -> None:
    """Score segmentation against a gold file (seed-segmentation.json format): item F1,
    titles, decision clauses, metadata and stray items, per document and overall. Documents
    are found by source file name in the corpus (ingest them first) or in --files."""
    from ingest import seg_eval
    from ingest.seg_report import report_json, report_text

    settings = command_settings(db=db)
    golds = seg_eval.load_gold(gold)
    if files:
        from ingest.pipeline import find_files, limits_of, process_file

        limits = limits_of(settings)
        paths = find_files(files).files
        found = seg_eval.documents_from_files(paths, golds, lambda p: process_file(p, limits))
    else:
        from corpus.store import Store

        if not settings.db.exists():
            raise CorpusError(f"{settings.db}: no corpus here (ingest the documents first)")
        with Store.open(settings.db, readonly=True) as store:
            found = seg_eval.documents_from_store(store, golds)
    scores = seg_eval.evaluate(golds, found)
    overall = seg_eval.total(scores)
    if as_json:
        out = report_json(str(gold), scores, overall)
        click.echo(json.dumps(out, ensure_ascii=False, indent=1))
    else:
        click.echo(report_text(scores, overall, details=not brief))


@cli.command(name="eval-decisions")
@click.argument("topics", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@db_option
@model_option
@click.option("--sweep", is_flag=True, help="Also try dense thresholds 0.80-0.95.")
@presented
def eval_decisions(topics: Path, db: Path | None, model: str | None, sweep: bool) -> None:
    """Print precision and recall of `finsam decisions` per topic of a topics file."""
    from corpus.store import Store
    from index.search import Searcher
    from index.topics_eval import load_topics, score_all
    from index.topics_eval import sweep as sweep_rule

    settings = command_settings(db=db, model=model)
    cases = load_topics(topics)
    with Store.open(settings.db, readonly=True) as store:
        searcher = Searcher(store, settings)
        scores = score_all(searcher, cases)
        tried = (
            sweep_rule(searcher, cases, [0.80, 0.83, 0.85, 0.86, 0.88, 0.90, 0.95]) if sweep else []
        )
    click.echo(f"{len(cases)} topics from {topics}")
    click.echo(f"{'topic':<28} {'precision':>9} {'recall':>7}  topic text")
    for s in scores:
        click.echo(f"{s.tid:<28} {s.precision:>9.2f} {s.recall:>7.2f}  {s.topic}")
        for e in s.errors:
            click.echo(f"{'':<30}- {e}")
    n = len(scores) or 1
    low = sum(1 for s in scores if s.precision < 0.95 or s.recall < 0.95)
    click.echo(
        f"mean precision {sum(s.precision for s in scores) / n:.3f}, "
        f"mean recall {sum(s.recall for s in scores) / n:.3f}, "
        f"{low} of {len(scores)} topics below 0.95"
    )
    for value, p, r, below in tried:
        click.echo(f"dense_min {value:.2f}: precision {p:.3f} recall {r:.3f} below {below}")


BEHIND_NOTICE = (
    "Obs: en inläsning pågår. Sökindexet uppdateras och svarar från korpusen som den var "
    "före inläsningen; nya dokument kommer med när den är klar."
)


def _searcher(store: Any, settings: Settings) -> Any:
    """A Searcher for a command's few queries; says on stderr when it answers from an index
    an ingest is updating."""
    from index.search import Searcher

    searcher = Searcher(store, settings, brief=True)
    if searcher.behind:
        click.echo(BEHIND_NOTICE, err=True)
    return searcher


@cli.command()
@click.argument("topic", callback=lambda _c, _p, v: given(v, "topic"))
@db_option
@model_option
@filter_options
@table_options("table", "topic")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@presented
def decisions(
    topic: str,
    db: Path | None,
    model: str | None,
    forbund: tuple[str, ...],
    date_from: str | None,
    date_to: str | None,
    kind: tuple[str, ...],
    fmt: str,
    csv_dialect: str,
    out: Path | None,
    as_json: bool,
) -> None:
    """Every decision on a topic (not a top-k), sorted by förbund and date; --format csv|xlsx
    writes them as a table for a spreadsheet (as the app's download)."""
    from corpus.store import Store
    from index.decisions import decisions_on_topic
    from index.report import DECISION_COLUMNS, decision_record, decision_table
    from search_app.tables import decisions_text

    settings = command_settings(db=db, model=model)
    filters = _filters(forbund, date_from, date_to, kind)
    target = output_file(out, fmt, topic)
    with Store.open(settings.db, readonly=True) as store:
        rows = decisions_on_topic(_searcher(store, settings), topic, filters)
    if as_json:
        doc = {"topic": topic, "decisions": [decision_record(r) for r in rows]}
        click.echo(json.dumps(doc, ensure_ascii=False, indent=1))
        return
    table = decision_table(rows)
    if fmt == "table":
        click.echo(decisions_text(table))
        return
    write_table(table, DECISION_COLUMNS, DECISION_COLUMNS, fmt, csv_dialect, target, "Beslut")


@cli.command()
@click.argument("topic", callback=lambda _c, _p, v: given(v, "topic"))
@db_option
@model_option
@filter_options
@table_options("table", "topic")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (one object per förbund).")
@presented
def compare(
    topic: str,
    db: Path | None,
    model: str | None,
    forbund: tuple[str, ...],
    date_from: str | None,
    date_to: str | None,
    kind: tuple[str, ...],
    fmt: str,
    csv_dialect: str,
    out: Path | None,
    as_json: bool,
) -> None:
    """Compare every member förbund active in the period on a topic: decided, on the agenda,
    topic not found in its documents, or no documents (the counts come first)."""
    from corpus.store import Store
    from index.compare import compare as compare_topic
    from index.compare import status_counts
    from index.report import (
        COMPARE_COLUMNS,
        SHOWN_COMPARE_COLUMNS,
        compare_record,
        compare_summary,
        compare_table,
    )
    from search_app.tables import compare_text

    settings = command_settings(db=db, model=model)
    filters = _filters(forbund, date_from, date_to, kind)
    target = output_file(out, fmt, topic)
    with Store.open(settings.db, readonly=True) as store:
        rows = compare_topic(_searcher(store, settings), topic, filters)
    if as_json:
        counts = status_counts(rows)
        doc = {"topic": topic, "counts": counts, "rows": [compare_record(r) for r in rows]}
        click.echo(json.dumps(doc, ensure_ascii=False, indent=1))
        return
    table = compare_table(rows)
    if fmt == "table":
        click.echo(compare_summary(status_counts(rows)))
        click.echo(compare_text(table))
        return
    write_table(
        table, SHOWN_COMPARE_COLUMNS, COMPARE_COLUMNS, fmt, csv_dialect, target, "Jämförelse"
    )


@cli.command()
@click.option(
    "--text",
    "text_file",
    type=click.File("rb"),
    required=True,
    help="The draft: a text file (any common encoding), or - for standard input.",
)
@db_option
@model_option
@filter_options
@click.option(
    "-k", type=click.IntRange(min=1), default=10, show_default=True, help="Number of items."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@presented
def precedents(
    text_file: Any,
    db: Path | None,
    model: str | None,
    forbund: tuple[str, ...],
    date_from: str | None,
    date_to: str | None,
    kind: tuple[str, ...],
    k: int,
    as_json: bool,
) -> None:
    """Find earlier items like a draft (tjänsteskrivelse or ärende text), with decisions."""
    from corpus.store import Store
    from index.precedents import precedents as find
    from index.report import decision_record, precedents_text
    from ingest.formats.text import decode_text

    settings = command_settings(db=db, model=model)
    filters = _filters(forbund, date_from, date_to, kind)
    draft = decode_text(text_file.read())
    if not draft.strip():
        raise CorpusError(f"the draft {plain(text_file.name)} is empty")
    with Store.open(settings.db, readonly=True) as store:
        found = find(_searcher(store, settings), draft, k, filters)
    if as_json:
        rows = [decision_record(p.row) | {"similarity": round(p.similarity, 4)} for p in found]
        click.echo(json.dumps({"precedents": rows}, ensure_ascii=False, indent=1))
        return
    click.echo(precedents_text(found))


@cli.command()
@db_option
@click.option("--port", type=click.IntRange(1, 65535), default=8501, show_default=True)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. The default reaches only this machine; 0.0.0.0 opens the app "
    "to the network (adding protocols then needs FINSAM_APP_PASSWORD).",
)
@click.option("--headless/--open-browser", default=True, help="Do not open a browser.")
@presented
def app(db: Path | None, port: int, host: str, headless: bool) -> None:
    """Open the Streamlit app on the corpus (this process becomes the server)."""
    from search_app.launch import run_app

    settings = command_settings(db=db)
    run_app(settings, port=port, host=host, headless=headless)


@cli.command()
@db_option
@model_option
@click.option("--repair", is_flag=True, help="Rebuild what is found broken or stale.")
@presented
def doctor(db: Path | None, model: str | None, repair: bool) -> None:
    """Check database integrity, corpus and index agreement, and the model manifest."""
    from index.doctor import diagnose

    settings = command_settings(db=db, model=model)
    report = diagnose(settings, repair=repair)
    for line in report.lines:
        click.echo(line)
    if not report.ok:
        sys.exit(1)


def main() -> None:
    cli(prog_name="finsam")


if __name__ == "__main__":
    main()
