"""Main text of a web page: the article, one block a line, without scripts, menus, breadcrumbs,
headers, footers or share bars. The selectors live in ``fazhi/data/html_content_selectors.txt``."""

from __future__ import annotations

import re
from functools import lru_cache

from .._resources import data_path

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RE = re.compile(f"[{_CJK}]")

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
_CJK_WRAP = re.compile(f"(?<=[{_CJK}\u3000-\u303f\uff00-\uffef])[ \t\r\f]*\n\\s*"
                       f"(?=[{_CJK}\u3000-\u303f\uff00-\uffef])")
_SPACES = re.compile(r"\s+")


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
    return len(_CJK_RE.findall(text))


def _content_container(body, selectors: tuple[str, ...], total: int):
    for selector in selectors:
        matches = [(_cjk_count(node.text()), node) for node in body.css(selector)]
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


def _densest_block(body, total: int):
    """The smallest element that still holds most of the page's Chinese text."""
    node = body
    while True:
        children = [(_cjk_count(c.text()), c) for c in node.iter() if c.tag in _BLOCK_TAGS]
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

    tree = LexborHTMLParser(html)
    tree.strip_tags(["script", "style", "noscript", "template", "iframe", "object", "svg",
                     "canvas", "select", "button", "input", "textarea"], recursive=True)
    body = tree.body or tree.root
    if body is None:
        return ""
    selectors = _html_selectors()
    total = _cjk_count(body.text())
    for selector in selectors["remove"]:
        for node in body.css(selector):
            # A long wrapper that happens to carry a menu-like class holds the article;
            # menus are short.
            count = _cjk_count(node.text())
            if count <= total / 2 or count < _LONG_BLOCK:
                node.remove()
    total = _cjk_count(body.text())
    article = (_content_container(body, selectors["content"], total)
               or _densest_block(body, total))
    lines = _block_lines(article)
    title = _page_title(tree, selectors["title"])
    if title and not any(title in line for line in lines[:3]):
        lines.insert(0, title)
    return "\n".join(lines)
