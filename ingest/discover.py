"""Which files an ingest reads: folders expanded, links judged, unreadable folders reported.

A folder is walked without following symbolic links out of it: a link to a file or folder
outside the folder given (an unpacked archive's "protokoll.txt -> /etc/passwd") is skipped and
said so, unless the caller asks to follow links. Broken links and link loops are skipped and
said so. A sub-folder that cannot be read is a failure with a line, never silently left out.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from corpus.model import Failure
from ingest.formats.registry import SUPPORTED_SUFFIXES

__all__ = ["SUPPORTED_SUFFIXES", "Found", "find_files"]
LINK_OUTSIDE = "symbolisk länk till {target}, utanför mappen: följs inte (använd --follow-links)"
LINK_BROKEN = "symbolisk länk som inte leder till någon fil (bruten eller en slinga)"


@dataclass
class Found:
    """Files to read, failures (missing paths, unreadable folders) and skipped links."""

    files: list[Path] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    skipped: list[Failure] = field(default_factory=list)


def os_reason(e: OSError) -> str:
    """Why a file or folder could not be read, in Swedish."""
    if e.errno in (errno.EACCES, errno.EPERM):
        return "åtkomst nekas"
    if e.errno == errno.ENOENT:
        return "finns inte längre"
    return str(e.strerror or e)


def _wanted(name: str) -> bool:
    return not name.startswith(".") and Path(name).suffix.lower() in SUPPORTED_SUFFIXES


def _target(link: Path) -> Path | None:
    """Where a link leads in the end, or None for a broken link or a loop."""
    try:
        return link.resolve(strict=True)
    except (OSError, RuntimeError):
        return None


def _walk(root: Path, follow_links: bool, found: Found) -> None:
    root_real = root.resolve()
    seen = {root_real}
    files: list[Path] = []
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as e:
            reason = f"mappen kan inte läsas ({os_reason(e)}): dess filer läses inte in"
            found.failures.append(Failure(str(folder), reason, "unreadable"))
            continue
        for entry in entries:
            path = Path(entry.path)
            real = path
            if entry.is_symlink():
                target = _target(path)
                if target is None:
                    if _wanted(entry.name):
                        found.skipped.append(Failure(str(path), LINK_BROKEN, "link"))
                    continue
                inside = target == root_real or target.is_relative_to(root_real)
                if not inside and not follow_links:
                    if target.is_dir() or _wanted(entry.name):
                        reason = LINK_OUTSIDE.format(target=target)
                        found.skipped.append(Failure(str(path), reason, "link"))
                    continue
                real = target
            try:
                is_dir = real.is_dir()
                is_file = not is_dir and real.is_file()
            except OSError:
                is_dir = is_file = False
            if is_dir:
                key = real.resolve()
                if key not in seen:  # each folder once: no loop through links
                    seen.add(key)
                    stack.append(path)
            elif is_file and _wanted(entry.name):
                files.append(path)
    found.files += sorted(files)


def find_files(paths: Iterable[Path], *, follow_links: bool = False) -> Found:
    """Expand folders (recursively, supported suffixes only); keep files given by name.

    Files come back resolved and each once. A file given by name is read even when it is a
    link: the user named it."""
    found = Found()
    for p in paths:
        if p.is_dir():
            _walk(p, follow_links, found)
        elif p.is_file():
            found.files.append(p)
        else:
            found.failures.append(Failure(str(p), "filen eller mappen finns inte", "unreadable"))
    seen: set[Path] = set()
    unique = []
    for f in found.files:
        r = f.resolve()
        if r not in seen:
            seen.add(r)
            unique.append(r)
    found.files = unique
    return found
