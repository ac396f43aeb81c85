"""WordprocessingML names, and the list numbering Word draws itself ("1.", "§ 3", "a)", "IV")
from numbering.xml and the paragraph styles."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def w(tag: str) -> str:
    """A WordprocessingML tag or attribute name in lxml's {namespace}name form."""
    return f"{{{W}}}{tag}"


ROMAN = (
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
)
SUFFIX = {"tab": "\t", "space": " ", "nothing": ""}


def _roman(n: int) -> str:
    out = []
    for value, letters in ROMAN:
        count, n = divmod(n, value)
        out.append(letters * count)
    return "".join(out)


def format_number(n: int, fmt: str) -> str:
    """A list counter as Word shows it for a w:numFmt value (unknown formats as decimals)."""
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        return _roman(n).upper() if fmt == "upperRoman" else _roman(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


def val(el: etree._Element | None, name: str) -> str | None:
    """The w:val of the child `name` of `el`, if both exist."""
    child = el.find(w(name)) if el is not None else None
    return child.get(w("val")) if child is not None else None


@dataclass(frozen=True, slots=True)
class Level:
    start: int
    fmt: str
    text: str
    suffix: str


@dataclass
class Numbering:
    """List definitions of numbering.xml (and paragraph styles that carry a list)."""

    abstract: dict[str, dict[int, Level]] = field(default_factory=dict)
    nums: dict[str, tuple[str, dict[int, int]]] = field(default_factory=dict)
    styles: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)
    started: set[str] = field(default_factory=set)

    @classmethod
    def from_parts(
        cls, numbering: etree._Element | None, styles: etree._Element | None
    ) -> Numbering:
        out = cls()
        for node in numbering.iter(w("abstractNum")) if numbering is not None else ():
            levels = {}
            for lvl in node.iter(w("lvl")):
                levels[int(lvl.get(w("ilvl"), "0"))] = Level(
                    start=int(val(lvl, "start") or 1),
                    fmt=val(lvl, "numFmt") or "decimal",
                    text=val(lvl, "lvlText") or "",
                    suffix=SUFFIX.get(val(lvl, "suff") or "tab", "\t"),
                )
            out.abstract[node.get(w("abstractNumId"), "")] = levels
        for node in numbering.iter(w("num")) if numbering is not None else ():
            overrides = {}
            for over in node.iter(w("lvlOverride")):
                start = val(over, "startOverride")
                if start is not None:
                    overrides[int(over.get(w("ilvl"), "0"))] = int(start)
            out.nums[node.get(w("numId"), "")] = (val(node, "abstractNumId") or "", overrides)
        parents: dict[str, str] = {}
        for style in styles.iter(w("style")) if styles is not None else ():
            sid = style.get(w("styleId"), "")
            numpr = style.find(f"{w('pPr')}/{w('numPr')}")
            if numpr is not None:
                out.styles[sid] = (val(numpr, "numId"), val(numpr, "ilvl"))
            parent = val(style, "basedOn")
            if parent:
                parents[sid] = parent
        for sid in parents:  # inherit a list from the style a style is based on
            seen, cur = {sid}, sid
            while sid not in out.styles and cur in parents and parents[cur] not in seen:
                cur = parents[cur]
                seen.add(cur)
                if cur in out.styles:
                    out.styles[sid] = out.styles[cur]
        return out

    def reset(self) -> None:
        self.counters.clear()
        self.started.clear()

    def label(self, ppr: etree._Element | None) -> str:
        """The list label of a paragraph ("3.", "§ 4", "b)", "•") plus its separator, or ""."""
        if ppr is None:
            return ""
        numpr = ppr.find(w("numPr"))
        style_num, style_lvl = self.styles.get(val(ppr, "pStyle") or "", (None, None))
        num_id = val(numpr, "numId") or style_num
        ilvl = int(val(numpr, "ilvl") or style_lvl or 0)
        if not num_id or num_id not in self.nums:
            return ""
        abstract_id, overrides = self.nums[num_id]
        levels = self.abstract.get(abstract_id, {})
        level = levels.get(ilvl)
        if level is None:
            return ""
        counters = self.counters.setdefault(abstract_id, {})
        if num_id not in self.started:
            self.started.add(num_id)
            for lvl, start in overrides.items():
                counters[lvl] = start - 1
        counters[ilvl] = counters.get(ilvl, level.start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        if level.fmt == "none":
            return ""
        if level.fmt == "bullet":
            return "•" + level.suffix

        def number(match: re.Match[str]) -> str:
            k = int(match.group(1)) - 1
            lvl = levels.get(k, level)
            return format_number(counters.get(k, lvl.start), lvl.fmt)

        return re.sub(r"%(\d)", number, level.text) + level.suffix
