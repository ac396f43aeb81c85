"""What of a web page is site chrome and what is its content: hidden elements, navigation,
sidebars, cookie banners, search and the buttons that are no disclosure of the content; the
element holding the page's own content; the page's footer; and the evidence of who published
the page (title, site header and footer) kept as RUNNING text."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

CHROME_TAGS = frozenset(("nav", "aside", "form", "dialog", "button"))
CHROME = re.compile(
    r"cookie|consent|kakor|gdpr|breadcrumb|brödsmul|sidebar|sidofält|side-?bar|menu|meny"
    r"|navigation|navbar|skip|share|social|search|sök|site-?header|site-?footer|banner"
    r"|related|relaterat",
    re.I,
)
CHROME_ROLES = frozenset(("navigation", "banner", "contentinfo", "complementary", "search"))
HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
# A page's footer: <footer>, role=contentinfo, or an id/class naming it ("footer", "site-footer",
# "footer_wrap"), unless a section of the content holds it (an <article>'s own footer).
FOOTER_NAME = re.compile(r"(?:^|[\s_-])footer(?:$|[\s_-])", re.I)
SECTIONING = frozenset(("article", "section", "main", "aside", "nav", "blockquote"))
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def hidden(node: LexborNode) -> bool:
    attrs = node.attributes
    if "hidden" in attrs:
        return True
    style = attrs.get("style") or ""
    return bool(HIDDEN_STYLE.search(style))


def chrome(node: LexborNode) -> bool:
    """Site chrome: navigation, sidebars, cookie banners, search, breadcrumbs; a button unless
    it opens a part of the content (``_disclosure``)."""
    tag = node.tag or ""
    attrs = node.attributes
    if tag in CHROME_TAGS and not (tag == "button" and _disclosure(node)):
        return True
    if (attrs.get("role") or "").lower() in CHROME_ROLES:
        return True
    names = " ".join(attrs.get(a) or "" for a in ("id", "class", "aria-label"))
    return bool(names) and bool(CHROME.search(names))


def _disclosure(button: LexborNode) -> bool:
    """Whether a button is the title of a part of the content it shows and hides: set in a
    heading (an accordion's ``<h3><button>§ 12 Val av justerare</button></h3>``, as Bootstrap,
    Sitevision and most CMSs write a protocol's items) or naming the region it opens
    (``aria-controls``, ``aria-expanded``). A menu's or search's toggle is chrome by its names."""
    attrs = button.attributes
    if "aria-controls" in attrs or "aria-expanded" in attrs:
        return True
    return _within(button, HEADINGS)


def main_content(tree: LexborHTMLParser) -> LexborNode | None:
    """The element holding the page's own content: <main>, role=main, or a single <article>."""
    for selector in ("main", "[role=main]"):
        node = tree.css_first(selector)
        if node is not None and (node.text(strip=True) or "").strip():
            return node
    articles = tree.css("article")
    if len(articles) == 1:
        return articles[0]
    return None


def page_footer(node: LexborNode, root: LexborNode) -> bool:
    """Whether ``node`` is the footer of the page (address, links, copyright) rather than of a
    section of its content: no <article>, <section> or <main> between it and ``root``."""
    attrs = node.attributes
    names = " ".join(attrs.get(a) or "" for a in ("id", "class"))
    if not (
        node.tag == "footer"
        or (attrs.get("role") or "").lower() == "contentinfo"
        or FOOTER_NAME.search(names)
    ):
        return False
    return not _within(node, SECTIONING, root)


def _within(node: LexborNode, tags: frozenset[str], root: LexborNode | None = None) -> bool:
    """Whether an element of ``tags`` holds ``node``, below ``root`` (or the page's body)."""
    parent = node.parent
    while parent is not None and parent != root and parent.tag not in ("body", "html"):
        if parent.tag in tags:
            return True
        parent = parent.parent
    return False


def page_footers(body: LexborNode) -> list[LexborNode]:
    """The page footers in ``body`` (see page_footer), outermost only."""
    out: list[LexborNode] = []
    for node in body.traverse():
        if node != body and page_footer(node, body) and not any(_inside(node, f) for f in out):
            out.append(node)
    return out


def _inside(node: LexborNode, ancestor: LexborNode) -> bool:
    parent = node.parent
    while parent is not None:
        if parent == ancestor:
            return True
        parent = parent.parent
    return False


def evidence(
    tree: LexborHTMLParser, main: LexborNode | None, footers: list[LexborNode]
) -> list[str]:
    """Who published the page (RUNNING evidence): the title, site header and footer texts when
    the page has a main content element; else the page footers left out of the text."""
    out: list[str] = []
    nodes = footers
    if main is not None:
        title = tree.css_first("title")
        if title is not None:
            out.append(title.text(strip=True))
        nodes = [node for selector in ("header", "[role=banner]") for node in tree.css(selector)]
        nodes += page_footers(tree.body) if tree.body is not None else []
    for node in nodes:
        text = " ".join(node.text(separator=" ").split())
        alts = [img.attributes.get("alt") or "" for img in node.css("img")]
        out += [a for a in alts if a] + ([text[:300]] if text else [])
    return [t for t in dict.fromkeys(out) if t]
