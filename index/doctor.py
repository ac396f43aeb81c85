"""`finsam doctor`: database integrity, corpus <-> index agreement, model manifest; repair."""

from __future__ import annotations

import logging

from corpus.errors import CorpusError
from corpus.lock import write_lock, writer_active
from corpus.model import DoctorReport
from corpus.settings import Settings
from corpus.store import Store
from index import versions
from index.manifest import load_manifest

log = logging.getLogger(__name__)


def _index_problems(store: Store, settings: Settings) -> list[str]:
    from index.build import LEXICAL_DIR
    from index.dense import DenseIndex
    from index.lexical import LexicalIndex

    folder = versions.current(settings.index_dir)
    manifest = load_manifest(folder) if folder is not None else None
    if folder is None or manifest is None:
        return [f"inget index (manifest saknas) i {settings.index_dir}"]
    problems = []
    if not manifest.complete:
        problems.append("den senaste indexeringen avbröts innan den var klar")
    from index.embed import encoder_name

    if manifest.model != encoder_name(settings.model):
        problems.append(f"indexet byggdes med modellen {manifest.model!r}, inte {settings.model!r}")
    if manifest.corpus_fingerprint != store.fingerprint():
        problems.append("korpusen har ändrats sedan indexet byggdes")
    ids = set(store.item_ids())
    try:
        dense_ids = set(DenseIndex.load(folder).item_ids())
        if dense_ids != ids:
            problems.append(
                f"FAISS-indexet har {len(dense_ids - ids)} punkter som inte finns i korpusen och "
                f"saknar {len(ids - dense_ids)}"
            )
    except Exception as e:
        problems.append(f"FAISS-indexet kan inte läsas: {e}")
    try:
        lexical_ids = set(LexicalIndex.load(folder / LEXICAL_DIR).item_ids)
        if lexical_ids != ids:
            problems.append("det lexikala indexet stämmer inte med korpusen")
    except Exception as e:
        problems.append(f"det lexikala indexet kan inte läsas: {e}")
    return problems


def diagnose(settings: Settings, *, repair: bool = False) -> DoctorReport:
    """Check the corpus and its index; with repair, rebuild the index where it disagrees."""
    lines: list[str] = []
    if not settings.db.exists():
        raise CorpusError(f"no corpus at {settings.db}: run `finsam ingest PATH` first")
    with Store.open(settings.db) as store:
        db_problems = store.integrity_problems()
        stats = store.stats()
        lines.append(
            f"Databas {settings.db}: {stats.documents} dokument, {stats.items} punkter, "
            f"{stats.decisions} beslut, {stats.failures} filer med fel."
        )
        lines += [f"FEL i databasen: {p}" for p in db_problems] or ["Databasens integritet: ok"]
        index_problems = _index_problems(store, settings)
        lines += [f"Index: {p}" for p in index_problems] or ["Index: stämmer med korpusen"]
        if writer_active(settings.lock_path) and not repair:
            lines.append("En inläsning eller indexering pågår just nu; kontrollera igen efteråt.")
        if repair and index_problems:
            from index.build import sync_index

            with write_lock(settings.lock_path):
                lines.append("Reparerar: " + sync_index(store, settings, full=True))
            index_problems = _index_problems(store, settings)
            lines += [f"Index efter reparation: {p}" for p in index_problems] or [
                "Index efter reparation: stämmer med korpusen"
            ]
        elif index_problems:
            lines.append(
                f"Kör `finsam doctor --repair --db {settings.db}` för att bygga om indexet."
            )
    if db_problems:
        lines.append("Databasen är skadad: återställ från en kopia eller läs in filerna på nytt.")
    return DoctorReport(ok=not db_problems and not index_problems, lines=tuple(lines))
