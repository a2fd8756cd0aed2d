"""Tables for reading in a notebook or a shared HTML report.

:func:`show_table` makes a long or wide table interactive — search, sort, pages — with
``itables`` in its offline mode: the DataTables library is written into the page once, so
the report opens without a network and makes no request. Each table has a CSV download of
its full data (every column, every row) that works in the HTML file alone; a table too large
to embed shows a sample and names the CSV saved beside the report.

:func:`concordance` shows keyword-in-context hits as a concordance: one line per hit, left
context right-aligned, the keyword highlighted, right context left-aligned, the report and
section beside it.

Text from a report (titles, sentences, file names) is escaped wherever it enters the page:
a cell is text, never markup.
"""

from __future__ import annotations

from html import escape
from typing import Any

import pandas as pd

from ..corpus.model import META_COLUMNS, doc_labels
from ..io import is_text

#: tables whose data take more than this many bytes show a sample and name their CSV
MAX_EMBEDDED_BYTES = 2 * 2**20
_ready = False


class _Html:
    """An HTML fragment a notebook displays (IPython calls ``_repr_html_``)."""

    def __init__(self, html: str, text: str = ""):
        self.html, self.text = html, text

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:  # a terminal or a text-only export
        return self.text or "<table>"


def _in_notebook() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and shell.__class__.__name__ != "TerminalInteractiveShell"


def _ensure_library() -> None:
    """Write the DataTables library into the notebook once (offline: inline, no CDN)."""
    global _ready
    if _ready or not _in_notebook():
        return
    from itables import init_notebook_mode

    init_notebook_mode(all_interactive=False, connected=False)
    _ready = True


def _text_columns(df: pd.DataFrame) -> list[str]:
    return [c for c in df.columns if is_text(df[c])]


def reading_columns(df: pd.DataFrame) -> list[str]:
    """The columns a reader needs from a table that carries a report's metadata.

    A table with ``doc_id`` is shown with the report's label (``"report"``, place and year)
    in place of ``doc_id``, ``para_id`` and the metadata columns (title, organ, province …
    script), which stay in the download. A metadata column the table is grouped by, with
    no ``doc_id`` (``place`` in a table by place), is kept.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame(columns=["doc_id", "term", "count", "title", "organ", "place", "year"])
    >>> reading_columns(t)
    ['report', 'term', 'count']
    >>> reading_columns(pd.DataFrame(columns=["place", "province", "n_units", "放管服"]))
    ['place', 'n_units', '放管服']
    """
    names = list(df.columns)
    if "doc_id" in names:
        return ["report", *[c for c in names
                            if c not in ("doc_id", "para_id", "report", *META_COLUMNS)]]
    # Grouped by metadata: keep the first (the key), drop the columns it carries.
    meta = [c for c in names if c in META_COLUMNS]
    return [c for c in names if c not in meta[1:]]


def show_table(df: pd.DataFrame, columns: list[str] | None = None, caption: str | None = None,
               page_length: int = 10, precision: int = 3) -> Any:
    """Show ``df`` as an interactive table: search, sort, pages, and a CSV download.

    Parameters
    ----------
    df : the table. Its every column is in the download.
    columns : the columns shown (default: all); the others stay in the download only.
        ``"report"`` names a readable label of each row's report (place and year,
        :func:`fazhi.doc_labels`), added from ``doc_id`` when the table has none.
    caption : a line under the table.
    page_length : rows a page.
    precision : decimals shown for floating-point columns.

    Returns
    -------
    An object a notebook displays as the table (offline: no network request). Cells are
    text, never markup; Chinese text is aligned left.

    Examples
    --------
    >>> import pandas as pd
    >>> html = show_table(pd.DataFrame({"句子": ["<img src=x onerror=alert(1)>"]}))._repr_html_()
    >>> "<img src=x" in html, "&lt;img src=x onerror=alert(1)&gt;" in html
    (False, True)
    """
    from itables import to_html_datatable

    _ensure_library()
    shown = list(df.columns) if columns is None else list(columns)
    if "report" in shown and "report" not in df.columns and "doc_id" in df.columns:
        df = df.assign(report=doc_labels(df).to_numpy())
        df = df[["report", *[c for c in df.columns if c != "report"]]]
    if missing := [c for c in shown if c not in df.columns]:
        raise KeyError(f"show_table: no column(s) {missing}; the table has {list(df.columns)}")
    table = df.reset_index(drop=True)
    for c in table.columns:
        if pd.api.types.is_float_dtype(table[c].dtype):
            table[c] = table[c].round(precision)
    names = list(table.columns)
    hidden = [i for i, c in enumerate(names) if c not in shown]
    left = [i for i, c in enumerate(names) if c in _text_columns(table)]
    size = int(table.memory_usage(deep=True).sum())
    note = caption or ""
    csv = df.attrs.get("fazhi_csv")
    if size > MAX_EMBEDDED_BYTES:
        where = f"完整表格 full table: {csv}" if csv else "完整表格请用 fazhi.save_table 保存 " \
                                                        "(save the full table with fazhi.save_table)"
        note = f"{note} · 表格较大,此处只显示部分行 only a sample is shown · {where}".lstrip(" ·")
    html = to_html_datatable(
        table, caption=note or None, connected=False, allow_html=False,
        maxBytes=MAX_EMBEDDED_BYTES, pageLength=page_length, lengthMenu=[10, 25, 100],
        classes="display compact", order=[],
        columnDefs=[*([{"targets": hidden, "visible": False}] if hidden else []),
                    *([{"targets": left, "className": "dt-left"}] if left else [])],
        layout={"topStart": "buttons", "topEnd": "search", "bottomStart": "info",
                "bottomEnd": "paging"},
        buttons=[{"extend": "csvHtml5", "text": "下载 CSV download", "bom": True,
                  "title": csv.rsplit("/", 1)[-1].removesuffix(".csv") if csv else "table",
                  "exportOptions": {"columns": list(range(len(names)))}}],
        showIndex=False)
    return _Html(html, df[shown].to_string(max_rows=20))


class TextLine:
    """One line of readable text: Markdown in a notebook, escaped HTML in a report."""

    def __init__(self, text: str):
        self.text = text

    def _repr_markdown_(self) -> str:
        return escape(self.text, quote=False)

    def _repr_html_(self) -> str:
        return f"<p>{escape(self.text)}</p>"

    def __repr__(self) -> str:
        return self.text


def _span(values: list[int]) -> str:
    if not values:
        return "—"
    return str(values[0]) if values[0] == values[-1] else f"{values[0]}–{values[-1]}"


def summary_line(obj: Any) -> Any:
    """A one-line readable summary of a Corpus, Tokens or a list of files, for a cell's end.

    A report rendered with ``--no-input`` shows this line instead of a bare repr
    (``<Corpus: …>``, ``Tokens(...)``, ``[PosixPath(…)]``).

    Examples
    --------
    >>> import fazhi
    >>> print(summary_line(fazhi.load_corpus()))  # doctest: +ELLIPSIS
    语料 corpus: 5 篇报告 reports · ... 段 paragraphs · 年份 years 20...
    >>> summary_line(["a/普宁.txt", "b/汕尾.docx"]).text
    '2 个文件 files: 普宁.txt、汕尾.docx'
    """
    from pathlib import PurePath

    if hasattr(obj, "docs") and hasattr(obj, "paragraphs"):
        docs = obj.docs
        years = sorted({int(y) for y in docs["year"].dropna()})
        places = sorted({p for p in docs["place"].dropna() if p})
        shown = "、".join(places[:6]) + (f" 等 {len(places)} 地" if len(places) > 6 else "")
        text = (f"语料 corpus: {len(docs)} 篇报告 reports · {len(obj.paragraphs):,} 段 "
                f"paragraphs · 年份 years {_span(years)} · 地区 places {shown or '—'}")
    elif hasattr(obj, "units") and hasattr(obj, "vocab") and hasattr(obj, "offsets"):
        n = int(obj.offsets[-1]) if len(obj.offsets) else 0
        text = (f"分词 tokens: {len(obj.units):,} 个单位 units ({obj.unit}) · {n:,} 个词 "
                f"tokens kept · {len(obj.vocab):,} 个不同的词 distinct terms")
    elif isinstance(obj, (list, tuple)) and all(isinstance(p, (str, PurePath)) for p in obj):
        names = [PurePath(p).name for p in obj]
        text = f"{len(names)} 个文件 files: " + ("、".join(names) if names else "—")
    else:
        raise TypeError(f"summary_line: expected a Corpus, Tokens or a list of files, "
                        f"got {type(obj).__name__}")
    return TextLine(text)


def concordance(hits: pd.DataFrame, width: int = 20, max_lines: int = 200) -> Any:
    """Keyword-in-context hits (:func:`fazhi.kwic`) as a concordance, one line per hit.

    Left context right-aligned, the keyword highlighted, right context left-aligned — as
    AntConc or quanteda print it — with the report (place and year) and section beside it.

    Parameters
    ----------
    hits : the table :func:`fazhi.kwic` returns (columns ``pre``, ``keyword``, ``post``,
        ``doc_id`` and the metadata).
    width : characters of context kept on each side.
    max_lines : lines shown; the page says how many more there are (the table has all).

    Examples
    --------
    >>> import fazhi
    >>> html = concordance(fazhi.kwic(fazhi.load_corpus(), "放管服"))._repr_html_()
    >>> html.count("<mark>放管服</mark>") > 0
    True
    """
    if hits.empty:
        return _Html("<p>没有找到 no hit.</p>", "no hit")
    labels = doc_labels(hits) if "doc_id" in hits.columns else pd.Series([""] * len(hits))
    section = hits["section"] if "section" in hits.columns else pd.Series([""] * len(hits))
    lines, text = [], []
    for i, (pre, key, post, label, sec) in enumerate(zip(
            hits["pre"], hits["keyword"], hits["post"], labels, section)):
        if i >= max_lines:
            break
        pre, post = str(pre)[-width:], str(post)[:width]
        sec = "" if pd.isna(sec) else str(sec)
        lines.append(
            f'<tr><td class="src">{escape(str(label))}</td><td class="sec">{escape(sec)}</td>'
            f'<td class="pre">{escape(pre)}</td><td class="key"><mark>{escape(str(key))}'
            f'</mark></td><td class="post">{escape(post)}</td></tr>')
        text.append(f"{pre:>{width}} [{key}] {post}")
    more = (f'<p class="more">另有 {len(hits) - max_lines} 条未显示 {len(hits) - max_lines} '
            "more hits not shown (see the table)</p>") if len(hits) > max_lines else ""
    html = (
        "<style>.fazhi-kwic{border-collapse:collapse;font-size:.92em;width:100%;"
        "table-layout:fixed}.fazhi-kwic td{padding:.15em .4em;white-space:nowrap;"
        "overflow:hidden;text-overflow:ellipsis;border-bottom:1px solid #eee}"
        ".fazhi-kwic .src{width:9em;color:#555}.fazhi-kwic .sec{width:8em;color:#777}"
        ".fazhi-kwic .pre{text-align:right;direction:rtl;width:40%}"
        ".fazhi-kwic .pre{unicode-bidi:plaintext}"
        ".fazhi-kwic .key{width:6em;text-align:center}.fazhi-kwic .post{text-align:left;"
        "width:40%}.fazhi-kwic mark{background:#ffe08a;font-weight:600}</style>"
        f'<table class="fazhi-kwic"><tbody>{"".join(lines)}</tbody></table>{more}')
    return _Html(html, "\n".join(text))
