"""Derive the Swedish thesaurus of query expansion (index/data/thesaurus_sv.json) from mythes-sv.

    python scripts/build_lexicons.py [--mythes DAT] [--out DIR]

Source: the Debian package ``mythes-sv``, LibreOffice's Swedish thesaurus,
``/usr/share/mythes/th_sv_SE_v2.dat`` (MyThes format, ISO-8859-1: words from Viggo Kann's
synonym lexicon at KTH, the Synlex / Folkets synonymlexikon family). Only this script needs the
package; search reads the derived file (index/families.py, on first use).

The filters are general, the same for every word (no entry is chosen or left out for a query):
single lower-case words of letters only (no phrases, names or acronyms), at least MIN_LETTERS
letters, stopwords out (index.analyze's list); a pair is kept only when each word lists the
other (a mutual pair: "möte" lists "sammanträde" and "sammanträde" lists "möte"); at most
MAX_SYNONYMS synonyms per word, in the source's order. Which of them a corpus uses is decided at
search time (index/families.py keeps only terms of the index's vocabulary).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from index.analyze import STOPWORDS_SV  # noqa: E402

MYTHES = Path("/usr/share/mythes/th_sv_SE_v2.dat")
OUT = ROOT / "index" / "data"
THESAURUS = "thesaurus_sv.json"

MIN_LETTERS = 3
MAX_SYNONYMS = 8

_WORD = re.compile(r"[a-zåäöéü]+")
ABOUT = (
    "Swedish word -> its synonyms, for query expansion (index/families.py). Derived by "
    "scripts/build_lexicons.py from mythes-sv (LibreOffice's Swedish thesaurus, "
    "th_sv_SE_v2.dat, Debian mythes-sv 1:7.5.0-1: Viggo Kann's synonym lexicon, KTH, Synlex / "
    "Folkets synonymlexikon) and modified: single lower-case words of letters, at least "
    f"{MIN_LETTERS} letters, stopwords out, mutual pairs only, at most {MAX_SYNONYMS} synonyms "
    "a word."
)
COPYRIGHT = (
    "Copyright 2009 Viggo Kann. THIS MATERIAL IS PROVIDED AS IS, WITH ABSOLUTELY NO WARRANTY "
    "EXPRESSED OR IMPLIED. ANY USE IS AT YOUR OWN RISK. Permission is hereby granted to use or "
    "copy this program for any purpose, provided the above notices are retained on all copies. "
    "Permission to modify the code and to distribute modified code is granted, provided the "
    "above notices are retained, and a notice that the code was modified is included with the "
    "above copyright notice. Modified by finsam: filtered as 'about' says."
)


def plain_word(word: str, stopwords: frozenset[str] = STOPWORDS_SV) -> str | None:
    """The word if it is a single lower-case word of letters, long enough and no stopword."""
    word = word.strip()
    if len(word) < MIN_LETTERS or not _WORD.fullmatch(word) or word in stopwords:
        return None
    return word


def read_mythes(lines: Iterable[str]) -> Iterator[tuple[str, list[str]]]:
    """(headword, synonyms of all its meanings) from a MyThes .dat file's lines (the first
    line names the encoding; an entry is "word|n" and n lines "(pos)|syn|syn|…")."""
    it = iter(lines)
    next(it, None)
    for line in it:
        head, _, count = line.rstrip("\n").rpartition("|")
        if not head or not count.isdigit():
            continue
        synonyms: list[str] = []
        for _ in range(int(count)):
            synonyms += next(it, "").rstrip("\n").split("|")[1:]
        yield head, synonyms


def thesaurus(entries: Iterable[tuple[str, list[str]]]) -> dict[str, list[str]]:
    """Word -> its mutual synonyms (see the module docstring), in the source's order."""
    listed: dict[str, list[str]] = defaultdict(list)
    for head, synonyms in entries:
        h = plain_word(head)
        if h is None:
            continue
        for s in synonyms:
            w = plain_word(s)
            if w and w != h and w not in listed[h]:
                listed[h].append(w)
    out: dict[str, list[str]] = {}
    for h in sorted(listed):
        mutual = [w for w in listed[h] if h in listed.get(w, ())][:MAX_SYNONYMS]
        if mutual:
            out[h] = mutual
    return out


def read_dat(path: Path) -> list[str]:
    """The lines of a MyThes .dat file, decoded by the encoding its first line names."""
    raw = path.read_bytes()
    encoding = raw.split(b"\n", 1)[0].decode("ascii", "replace").strip() or "utf-8"
    return raw.decode(encoding).splitlines()


def write(path: Path, entries: dict[str, list[str]]) -> None:
    """JSON with the attribution first and one entry a line (reviewable diffs)."""
    head = json.dumps({"about": ABOUT, "copyright": COPYRIGHT}, ensure_ascii=False, indent=1)
    lines = [
        f"{json.dumps(k, ensure_ascii=False)}: {json.dumps(v, ensure_ascii=False)}"
        for k, v in entries.items()
    ]
    body = ",\n".join(lines)
    path.write_text(head[:-2] + ',\n "entries": {\n' + body + "\n }\n}\n", "utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mythes", type=Path, default=MYTHES)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    if not args.mythes.exists():
        raise SystemExit(f"{args.mythes}: not found (apt-get install mythes-sv)")
    syn = thesaurus(read_mythes(read_dat(args.mythes)))
    write(args.out / THESAURUS, syn)
    print(f"{args.out / THESAURUS}: {len(syn)} words, {sum(map(len, syn.values()))} synonyms")


if __name__ == "__main__":
    main()
