"""Main text of a web page: the article, one block a line, without scripts, menus, breadcrumbs,
headers, footers or share bars. The selectors live in ``fazhi/data/html_content_selectors.txt``."""

from __future__ import annotations

import re
from functools import lru_cache

from .._resources import data_path
from .._text import CJK

# Counted as what is left when everything else is removed: no match object per character.
_NOT_CJK = re.compile(f"[^{CJK}]+")

_BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "caption", "center", "dd", "details", "dialog",
    "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2",
    "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "legend", "li", "main", "menu", "nav",
    "ol", "option", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "ul", "body", "html",
})
_BREAK = "\u2029"
_LONG_BLOCK = 200  # Chinese characters
# A line break in the source between two Chinese characters is formatting, not a space
# (CSS Text: segment breaks between CJK characters are removed).
_CJK_WRAP = re.compile(f"(?<=[{CJK}\u3000-\u303f\uff00-\uffef])[ \t\r\f]*\n\\s*"
                       f"(?=[{CJK}\u3000-\u303f\uff00-\uffef])")
_SPACES = re.compile(r"\s+")


# The HTML5 tree builder checks the stack of open elements for every tag, so a page nested
# n levels deep costs n² to parse (100,000 levels: minutes). No real page nests this deep;
# tags below this depth are dropped (their text kept) before parsing.
_MAX_DEPTH = 400
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*>")
# Elements that never hold children, or whose end tag may be left out (the parser closes
# them itself): they do not deepen the tree the way an unclosed <div> does.
_FLAT_TAGS = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "tbody", "thead",
    "tfoot", "option", "optgroup", "rb", "rt", "rp", "colgroup", "caption", "html", "head",
    "body",
})


def _flatten_deep_nesting(html: str, limit: int = _MAX_DEPTH) -> str:
    """Drop the tags nested deeper than ``limit`` (keeping their text), in linear time.

    Pages within the limit are returned unchanged.
    """
    depth = deepest = 0
    for m in _TAG.finditer(html):
        if m[2].lower() in _FLAT_TAGS or m[0].endswith("/>"):
            continue
        depth = max(0, depth - 1) if m[1] else depth + 1
        deepest = max(deepest, depth)
    if deepest <= limit:
        return html
    out, last, depth, dropped = [], 0, 0, {}
    for m in _TAG.finditer(html):
        name = m[2].lower()
        if name in _FLAT_TAGS or m[0].endswith("/>"):
            continue
        if m[1]:
            if dropped.get(name):
                dropped[name] -= 1
                out.append(html[last:m.start()])
                last = m.end()
            else:
                depth = max(0, depth - 1)
        elif depth >= limit:
            dropped[name] = dropped.get(name, 0) + 1
            out.append(html[last:m.start()])
            last = m.end()
        else:
            depth += 1
    out.append(html[last:])
    return "".join(out)


@lru_cache(maxsize=1)
def _html_selectors() -> dict[str, tuple[str, ...]]:
    from selectolax.lexbor import LexborHTMLParser

    source = data_path("html_content_selectors.txt")
    probe = LexborHTMLParser("<p></p>")
    sections: dict[str, list[str]] = {"content": [], "remove": [], "title": []}
    current = None
    for number, raw in enumerate(source.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        # "#zoom" is a selector; a comment is "#" followed by a space.
        if not line or line.startswith("# ") or line == "#":
            continue
        if line.startswith("[") and line.endswith("]") and line[1:-1] in sections:
            current = sections[line[1:-1]]
        elif current is not None:
            try:
                probe.css(line)
            except Exception as exc:  # selectolax has no public error type to catch
                raise ValueError(f"{source}, line {number}: {line!r} is not a valid CSS "
                                 f"selector.") from exc
            current.append(line)
    return {name: tuple(lines) for name, lines in sections.items()}


def _cjk_count(text: str) -> int:
    return len(_NOT_CJK.sub("", text))


def _cjk_counts(root) -> dict[int, int]:
    """Chinese characters under every element of ``root``, by ``mem_id``, in one pass.

    Asking each element for its ``text()`` costs the length of its text, so doing it once per
    level of a deeply nested page costs depth × text (a hostile page nested 100,000 levels
    took minutes); summing the text nodes' counts up the tree is linear in the page.
    """
    counts: dict[int, int] = {}
    order = []
    for node in root.traverse(include_text=True):
        if node.is_text_node:
            n = _cjk_count(node.text_content or "")
            if n:
                parent = node.parent
                if parent is not None:
                    counts[parent.mem_id] = counts.get(parent.mem_id, 0) + n
        elif not node.is_comment_node:
            order.append(node)
    root_id = root.mem_id
    for node in reversed(order):  # children before their parents
        if node.mem_id != root_id and (n := counts.get(node.mem_id, 0)):
            parent = node.parent
            if parent is not None:
                counts[parent.mem_id] = counts.get(parent.mem_id, 0) + n
    return counts


def _content_container(body, selectors: tuple[str, ...], counts: dict[int, int]):
    total = counts.get(body.mem_id, 0)
    for selector in selectors:
        matches = [(counts.get(node.mem_id, 0), node) for node in body.css(selector)]
        matches = [m for m in matches if m[0] > 0 and m[0] >= 0.3 * total]
        if matches:
            return max(matches, key=lambda m: m[0])[1]
    return None


def _page_title(tree, selectors: tuple[str, ...]) -> str:
    for selector in selectors:
        for node in tree.css(selector):
            # An element wrapping a link or an image is the site's logo, not a title.
            if node.tag == "meta":
                title = node.attributes.get("content") or ""
            elif not node.css_first("a, img"):
                title = node.text()
            else:
                continue
            if title := _SPACES.sub(" ", title).strip():
                return title
    return ""


def _densest_block(body, counts: dict[int, int]):
    """The smallest element that still holds most of the page's Chinese text."""
    node, total = body, counts.get(body.mem_id, 0)
    while True:
        children = [(counts.get(c.mem_id, 0), c) for c in node.iter() if c.tag in _BLOCK_TAGS]
        if not children:
            return node
        count, child = max(children, key=lambda c: c[0])
        if total == 0 or count < 0.6 * total:
            return node
        node = child


def _block_lines(root) -> list[str]:
    out: list[str] = []
    stack = [(root, False)]
    while stack:
        node, closing = stack.pop()
        if closing:
            out.append(_BREAK)
            continue
        if node.is_text_node:
            out.append(node.text_content or "")
            continue
        tag = node.tag
        if tag == "br":
            out.append(_BREAK)
            continue
        if tag in _BLOCK_TAGS:
            out.append(_BREAK)
            stack.append((node, True))
        stack.extend((child, False) for child in reversed(list(node.iter(include_text=True)))
                     if not child.is_comment_node)
    lines = (_SPACES.sub(" ", _CJK_WRAP.sub("", piece)).strip()
             for piece in "".join(out).split(_BREAK))
    return [line for line in lines if line]


def html_to_text(html: str) -> str:
    """The main text of a web page: the article, one block (paragraph, heading, cell) a line.

    Scripts, styles, menus, breadcrumbs, headers, footers and share bars are dropped (see
    ``fazhi/data/html_content_selectors.txt``). The article container is the first content
    selector holding a fair share of the page's Chinese text, else the smallest block
    holding most of it. The page title (``<meta name="ArticleTitle">``, a title block or
    ``<h1>``) becomes the first line when the article does not start with it.

    Examples
    --------
    >>> html_to_text('<nav>首页</nav><div class="TRS_Editor"><p>第一段。</p><p>第二段。</p></div>')
    '第一段。\\n第二段。'
    """
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(_flatten_deep_nesting(html))
    tree.strip_tags(["script", "style", "noscript", "template", "iframe", "object", "svg",
                     "canvas", "select", "button", "input", "textarea"], recursive=True)
    body = tree.body or tree.root
    if body is None:
        return ""
    selectors = _html_selectors()
    counts = _cjk_counts(body)
    total = counts.get(body.mem_id, 0)
    removed = False
    for selector in selectors["remove"]:
        for node in body.css(selector):
            # A long wrapper that happens to carry a menu-like class holds the article;
            # menus are short.
            count = counts.get(node.mem_id, 0)
            if count <= total / 2 or count < _LONG_BLOCK:
                node.remove()
                removed = True
    if removed:
        counts = _cjk_counts(body)
    article = (_content_container(body, selectors["content"], counts)
               or _densest_block(body, counts))
    lines = _block_lines(article)
    title = _page_title(tree, selectors["title"])
    if title and not any(title in line for line in lines[:3]):
        lines.insert(0, title)
    return "\n".join(lines)
