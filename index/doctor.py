"""`finsam doctor`: check everything that can be damaged, and repair from what is sound.

Checked: the database (SQLite's page checks, then every stored record read back against the
model's shapes), the index's CURRENT, manifest and every file against the checksums recorded
when the version was published, and the index's items against the corpus. `--repair`:
- a document whose records are damaged is stored again from its file when the file still
  holds the same bytes; otherwise it is taken out of the corpus and listed among the failed
  files, so that everything else can be searched;
- CURRENT that is damaged points again at the newest sound version;
- the index is rebuilt where it disagrees with the corpus or its files are damaged, reusing
  what is sound (the dense index when only lexical files are damaged);
- the index is never touched while the database itself cannot be read: a sound index is not
  emptied on the word of a broken database.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from corpus.errors import CorpusError
from corpus.integrity import record_problems
from corpus.lock import write_lock, writer_active
from corpus.model import DamagedRecord, DoctorReport, Document, Failure, content_hash
from corpus.settings import Settings
from corpus.store import Store
from index import versions
from index.checksums import SWEDISH, old_layout, problems
from index.manifest import load_manifest

log = logging.getLogger(__name__)


@dataclass
class _CorpusExam:
    """What was found in the database."""

    lines: list[str] = field(default_factory=list)
    unreadable: str | None = None  # why the database cannot be opened at all
    pages: list[str] = field(default_factory=list)  # SQLite's own findings
    damaged: list[DamagedRecord] = field(default_factory=list)

    @property
    def sound(self) -> bool:
        return self.unreadable is None and not self.pages and not self.damaged


def _examine_corpus(store: Store) -> _CorpusExam:
    exam = _CorpusExam()
    try:
        exam.pages = store.integrity_problems()
        stats = store.stats()
        exam.lines.append(
            f"Databas {store.path}: {stats.documents} dokument, {stats.items} punkter, "
            f"{stats.decisions} beslut, {stats.failures} filer med fel."
        )
        if not exam.pages:
            exam.damaged = list(record_problems(store))
    except sqlite3.DatabaseError as e:  # pages so damaged that even the checks fail
        exam.pages.append(str(e))
    exam.lines += [f"FEL i databasen: {p}" for p in exam.pages[:10]]
    exam.lines += [
        f"FEL i databasen: dokumentet {r.path or r.doc_id} är skadat ({r.reason})"
        for r in exam.damaged
    ]
    if exam.sound:
        exam.lines.append("Databasens integritet: ok (sidor och varje lagrad post)")
    return exam


def _index_problems(store: Store | None, settings: Settings) -> list[str]:
    """What is wrong with the index: its files, and (given a sound corpus) its agreement
    with the corpus and the model."""
    from index.build import LEXICAL_DIR
    from index.dense import DenseIndex
    from index.embed import encoder_name
    from index.lexical import LexicalIndex

    index_dir = settings.index_dir
    folder = versions.current(index_dir)
    if folder is None:
        if (index_dir / versions.CURRENT).exists():
            return [f"{versions.CURRENT} i {index_dir} är skadad (anger ingen indexversion)"]
        if versions.versions(index_dir):
            return [f"{versions.CURRENT} saknas i {index_dir}"]
        return [f"inget index (manifest saknas) i {index_dir}"]
    manifest = load_manifest(folder)
    if manifest is None:
        if not folder.is_dir():
            return [f"{versions.CURRENT} anger {folder.name}, som saknas"]
        return [f"{folder.name}/manifest.json saknas eller är skadad"]
    found = [] if folder == index_dir else problems(folder)
    out = [] if old_layout(found) else [f"{folder.name}/{n} {SWEDISH[k]}" for n, k in found]
    if not manifest.complete:
        out.append("den senaste indexeringen avbröts innan den var klar")
    if manifest.model != encoder_name(settings.model):
        out.append(f"indexet byggdes med modellen {manifest.model!r}, inte {settings.model!r}")
    if store is None:
        return out
    if manifest.corpus_fingerprint != store.fingerprint():
        out.append("korpusen har ändrats sedan indexet byggdes")
    ids = set(store.item_ids())
    try:
        dense_ids = set(DenseIndex.load(folder).item_ids())
        if dense_ids != ids:
            out.append(
                f"FAISS-indexet har {len(dense_ids - ids)} punkter som inte finns i korpusen och "
                f"saknar {len(ids - dense_ids)}"
            )
    except Exception as e:  # any damage: reported, repaired by a rebuild
        out.append(f"FAISS-indexet kan inte läsas: {e}")
    try:
        lexical_ids = set(LexicalIndex.load(folder / LEXICAL_DIR).item_ids)
        if lexical_ids != ids:
            out.append("det lexikala indexet stämmer inte med korpusen")
    except Exception as e:  # any damage: reported, repaired by a rebuild
        out.append(f"det lexikala indexet kan inte läsas: {e}")
    return out


def _open(settings: Settings, *, readonly: bool) -> Store | str:
    """The store, or why it cannot be opened."""
    try:
        return Store.open(settings.db, readonly=readonly)
    except CorpusError as e:
        return str(e)


def diagnose(settings: Settings, *, repair: bool = False) -> DoctorReport:
    """Check the corpus and its index; with repair, repair what is damaged from what is
    sound (see the module's docstring)."""
    if not settings.db.exists():
        if (
            not versions.versions(settings.index_dir)
            and versions.current(settings.index_dir) is None
        ):
            raise CorpusError(f"no corpus at {settings.db}: run `finsam ingest PATH` first")
        missing = (
            f"FEL: korpusen {settings.db} saknas, men dess index finns i {settings.index_dir}.",
            "Databasen kan inte repareras: den kan inte återskapas ur indexet. Återställ den "
            "från en kopia, eller läs in filerna på nytt (finsam ingest MAPP).",
            _index_untouched(settings),
        )
        return DoctorReport(ok=False, lines=missing)
    if repair:
        with write_lock(settings.lock_path):
            return _repair(settings)
    lines: list[str] = []
    opened = _open(settings, readonly=True)
    if isinstance(opened, str):
        lines += [f"FEL i databasen: {opened}", _index_untouched(settings)]
        lines.append(f"Kör `finsam doctor --repair --db {settings.db}` för att försöka reparera.")
        return DoctorReport(ok=False, lines=tuple(lines))
    with opened as store:
        exam = _examine_corpus(store)
        lines += exam.lines
        index_problems = _index_problems(store if exam.sound else None, settings)
    lines += [f"Index: {p}" for p in index_problems] or ["Index: stämmer med korpusen"]
    if writer_active(settings.lock_path):
        lines.append("En inläsning eller indexering pågår just nu; kontrollera igen efteråt.")
    if not exam.sound or index_problems:
        lines.append(f"Kör `finsam doctor --repair --db {settings.db}` för att reparera.")
    return DoctorReport(ok=exam.sound and not index_problems, lines=tuple(lines))


def _index_untouched(settings: Settings) -> str:
    return f"Indexet i {settings.index_dir} lämnas orört tills databasen kan läsas."


def _repair(settings: Settings) -> DoctorReport:
    lines: list[str] = []
    opened = _open(settings, readonly=False)
    if isinstance(opened, str):
        lines.append(f"FEL i databasen: {opened}")
    else:
        with opened as store:
            exam = _examine_corpus(store)
        lines += exam.lines
    if isinstance(opened, str) or exam.pages:
        saved = _salvage(settings, lines)
        if not saved:
            lines += [
                _index_untouched(settings),
                "Databasen kan inte repareras: inget dokument går att läsa i den. Återställ den "
                "från en kopia, eller ta bort den och läs in filerna på nytt (finsam ingest MAPP).",
            ]
            return DoctorReport(ok=False, lines=tuple(lines))
        with Store.open(settings.db) as store:
            exam = _examine_corpus(store)
        lines += exam.lines
    with Store.open(settings.db) as store:
        lost = 0
        for record in exam.damaged:
            line, restored = _restore_document(store, record, settings)
            lines.append(line)
            lost += not restored
        unsealed = store.unsealed()
        if unsealed:  # stored before digests: their records were just checked, digest them
            store.seal(unsealed)
            lines.append(
                f"Reparerar: {len(unsealed)} dokument fick kontrollsummor för sina poster."
            )
        restored_current = versions.restore_current(settings.index_dir)
        if restored_current is not None:
            lines.append(f"Reparerar: {versions.CURRENT} anger nu {restored_current.name}.")
        index_problems = _index_problems(store, settings)
        lines += [f"Index: {p}" for p in index_problems] or ["Index: stämmer med korpusen"]
        if index_problems:
            from index.build import sync_index

            lines.append("Reparerar: " + sync_index(store, settings, full=True))
            index_problems = _index_problems(store, settings)
            lines += [f"Index efter reparation: {p}" for p in index_problems] or [
                "Index efter reparation: stämmer med korpusen"
            ]
    lost += sum(1 for line in lines if line.startswith("Kan inte räddas:"))
    if lost:
        lines.append(
            f"{lost} dokument kunde inte återställas: läs in deras filer igen "
            "(de står bland filerna med fel)."
        )
    return DoctorReport(ok=not index_problems and not lost, lines=tuple(lines))


def _salvage(settings: Settings, lines: list[str]) -> bool:
    """Save what can be read of a damaged database into a new one (see corpus.salvage);
    adds what was done to lines. False when nothing could be read (nothing is changed)."""
    from corpus.salvage import salvage

    result = salvage(settings.db, lambda doc_id, paths: _reread(doc_id, paths, settings))
    if result is None:
        return False
    lines.append(
        f"Reparerar: databasen byggdes upp på nytt av det som gick att läsa: {result.copied} "
        f"dokument oskadade, {result.reread} lästes in på nytt från sina filer. Den skadade "
        f"filen finns kvar som {result.kept_as}."
    )
    lines += [f"Kan inte räddas: {name}; står bland filerna med fel." for name in result.lost]
    return True


def _paths(store: Store, record: DamagedRecord) -> list[str]:
    """The files a damaged document was found at (as far as they can still be read)."""
    try:
        paths = store.paths_of(record.doc_id)
    except sqlite3.DatabaseError:
        paths = []
    return list(dict.fromkeys([*paths, *([record.path] if record.path else [])]))


def _reread(doc_id: str, paths: list[str], settings: Settings) -> Document | str:
    """The document read again from one of its files that still holds the bytes it was read
    from; otherwise why it cannot be (in Swedish)."""
    from ingest.pipeline import limits_of, process_file

    why = "filen finns inte längre"
    for path in [Path(p) for p in paths]:
        if not path.is_file():
            continue
        try:
            same = content_hash(path.read_bytes()) == doc_id
        except OSError as e:
            why = f"filen kan inte läsas ({e.strerror})"
            continue
        if not same:
            why = "filen har ändrats sedan den lästes in"
            continue
        result = process_file(path, limits_of(settings))
        if isinstance(result, Document) and result.doc_id == doc_id:
            return result
        why = "filen kunde inte läsas in igen"
    return why


def _restore_document(store: Store, record: DamagedRecord, settings: Settings) -> tuple[str, bool]:
    """Store a damaged document again from its file if the file still holds the bytes it
    was read from; otherwise take it out of the corpus and list it among the failures.
    Returns (what was done, restored)."""
    name = record.path or record.doc_id
    got = _reread(record.doc_id, _paths(store, record), settings)
    if isinstance(got, Document):
        store.replace_document(got)
        return f"Reparerar: {name} lästes in på nytt från {got.path}.", True
    reason = f"den lagrade posten var skadad och kan inte återställas ({got}); läs in filen igen"
    store.remove_damaged(record.doc_id, Failure(record.path or record.doc_id, reason, "damaged"))
    return (
        f"Kan inte återställas: {name} ({got}); togs bort ur korpusen och står bland felen.",
        False,
    )
