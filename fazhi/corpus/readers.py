"""Read one report file (.txt .md .html .htm .docx .pdf, in any common Chinese encoding) as text.

The first stage of the pipeline: every later stage sees only :class:`RawDocument`. Files are
opened read-only and read once; nothing here writes to disk.
"""

from __future__ import annotations

import codecs
import io
import os
import re
import unicodedata
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .._text import CJK
from ..exceptions import EmptyDocumentError, EncodingError, ReadError, UnsupportedFormatError
from .html_text import html_to_text

SUPPORTED_SUFFIXES: frozenset[str] = frozenset({".txt", ".md", ".html", ".htm", ".docx", ".pdf"})
_FORMATS = {".txt": "txt", ".md": "md", ".html": "html", ".htm": "html", ".docx": "docx", ".pdf": "pdf"}

# Files that sit next to reports in a downloaded corpus but are never reports themselves.
# Anything else found in a folder is listed, so that e.g. a .doc or .wps file is reported
# as unreadable instead of silently ignored.
_NOT_REPORT_SUFFIXES = frozenset({
    ".csv", ".tsv", ".json", ".jsonl", ".yml", ".yaml", ".toml", ".ini", ".cfg", ".xml",
    ".xls", ".xlsx", ".parquet", ".pkl", ".db", ".sqlite", ".log",
    ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".svg", ".ico",
    ".css", ".js", ".py", ".ipynb", ".zip", ".gz", ".tar", ".7z", ".rar",
})
_SIDECAR = "metadata.csv"
#: A folder holding this file was written by fazhi (a render's --out folder): its HTML and
#: CSV are reports *about* a corpus, never reports to read back into one.
OUTPUT_MARKER = ".fazhi-output"

# What a Word file may unpack to. A real report's document.xml is a few MB and compresses
# 5–20×; a "zip bomb" of empty paragraphs compresses a thousand times and would take
# gigabytes of memory to parse.
_DOCX_MAX_MEMBER = 64 * 2**20
_DOCX_MAX_TOTAL = 256 * 2**20
_DOCX_MAX_RATIO = 200
# A PDF's pages are parsed one by one; past these the file is not one report.
_PDF_MAX_PAGES = 3000
_MAX_TEXT_CHARS = 20_000_000

# (leading bytes, what the file is, what to do about it)
_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "a PDF document", "rename it to .pdf"),
    (b"PK\x03\x04", "a ZIP package (for example a Word .docx file)",
     "rename it to .docx if it is a Word document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office file (.doc, .xls or .wps)",
     "open it in Word or WPS and save it as .docx"),
    (b"{\\rtf", "an RTF document", "save it as .docx or .txt"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image", "run OCR on it first"),
    (b"\xff\xd8\xff", "a JPEG image", "run OCR on it first"),
    (b"GIF8", "a GIF image", "run OCR on it first"),
    (b"\x1f\x8b", "a gzip archive", "unpack it first"),
    (b"Rar!\x1a\x07", "a RAR archive", "unpack it first"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", "unpack it first"),
)
# UTF-32 before UTF-16: the UTF-32-LE mark starts with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "utf-16"),
)
# GB2312 and GBK are subsets of GB18030, so decoding with GB18030 never loses a character.
_GB_FAMILY = frozenset({"gb2312", "gbk", "gb18030", "cp936", "euc_cn"})
_PLAUSIBLE = 0.8
# A UTF-8 report with a few damaged bytes (a cut multi-byte character where files were
# concatenated or truncated) is still UTF-8; a GBK or Big5 file read as UTF-8 fails on
# nearly every Chinese character, far above this share.
_MAX_BAD_UTF8 = 0.001
_SAMPLE_CHARS = 50_000  # plenty to judge an encoding; keeps huge pages fast
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)
_CJK_RE = re.compile(f"[{CJK}]")
_NOT_TEXT_CONTROLS = frozenset(chr(c) for c in range(32)) - set("\t\n\r\f\v")


@dataclass(frozen=True)
class RawDocument:
    """A report file's text before any normalisation.

    Attributes
    ----------
    path : str
        The file as it was given.
    text : str
        Its text, line endings normalised to ``\\n``; for HTML the article only, for
        Markdown without its syntax, for PDF one paragraph a line (not one printed line).
    format : str
        ``"txt"``, ``"md"``, ``"html"``, ``"docx"`` or ``"pdf"``.
    encoding : str
        How the bytes were decoded (``"utf-8"``, ``"utf-8-sig"``, ``"gb18030"``, ``"big5"``,
        ``"utf-16"`` …); ``""`` for .docx and .pdf, which carry their own encoding.
    """

    path: str
    text: str
    format: str
    encoding: str


def read_document(path: str | Path) -> RawDocument:
    """Read one report file into a :class:`RawDocument`.

    Parameters
    ----------
    path : str or Path
        A .txt, .md, .html, .htm, .docx or .pdf file.

    Returns
    -------
    RawDocument

    Raises
    ------
    ReadError
        The file is missing, a folder, or damaged. Its subclasses say more:
        ``UnsupportedFormatError`` (not a format fazhi reads, or binary content),
        ``EncodingError`` (text in no common encoding), ``EmptyDocumentError`` (no text,
        including scanned PDFs without a text layer).

    Examples
    --------
    >>> from fazhi._resources import seeds_dir
    >>> doc = read_document(sorted(seeds_dir().glob("*.txt"))[0])
    >>> doc.format, doc.encoding
    ('txt', 'utf-8')
    >>> doc.text[:3]
    '今年来'
    """
    path = Path(path)
    if path.is_dir():
        raise ReadError(path, "is a folder, not a file; use iter_documents() to list the "
                              "reports inside it.")
    if not path.exists():
        if path.is_symlink():
            raise ReadError(path, f"is a symbolic link to {os.readlink(path)!r}, which loops "
                                  "back on itself or points to nothing; fix or remove the link.")
        raise ReadError(path, "no such file.")
    fmt = _format_of(path)
    data = _read_bytes(path)
    if not data:
        raise EmptyDocumentError(path, "the file is empty (0 bytes).")
    if fmt == "docx":
        text, encoding = _docx_text(data, path), ""
    elif fmt == "pdf":
        text, encoding = _pdf_text(data, path), ""
    else:
        declared = _declared_charset(data) if fmt == "html" else None
        text, encoding = _decode(data, path, declared)
        if fmt == "html":
            text = html_to_text(text)
        elif fmt == "md":
            text = markdown_to_text(_normalise_newlines(text))
    text = _normalise_newlines(text)
    if not text.strip():
        problem = ("the page has no text outside menus and scripts." if fmt == "html"
                   else "the file contains only whitespace, no text.")
        raise EmptyDocumentError(path, problem)
    return RawDocument(path=str(path), text=text, format=fmt, encoding=encoding)


def iter_documents(paths: str | Path | Iterable[str | Path],
                   errors: list[tuple[str, str]] | None = None) -> list[Path]:
    """List the report files in ``paths``, expanding folders recursively.

    Folders contribute their files in sorted order, leaving out hidden files and folders,
    the ``metadata.csv`` sidecar, folders fazhi wrote itself (a render's output folder, marked
    by a ``.fazhi-output`` file) and files that are plainly not reports (tables, images,
    archives, code). Other unknown files in a folder are kept, so reading them later reports
    them instead of dropping them silently.

    Parameters
    ----------
    paths : str, Path or iterable of them
        Files and folders.
    errors : list, optional
        Where a folder that cannot be listed (no permission) goes, as ``(path, problem)``.
        Without it such a folder is reported as a warning; either way it is never dropped
        silently.

    Returns
    -------
    list of Path
        Each file once, in the order given (folders expanded in place).

    Raises
    ------
    ReadError
        A path does not exist, or is a symbolic link that loops or points to nothing.
    UnsupportedFormatError
        A file given explicitly has a suffix fazhi does not read.

    Examples
    --------
    >>> from fazhi._resources import seeds_dir
    >>> [p.name for p in iter_documents(seeds_dir())][:2]
    ['000_eceb35f4adc4fa97.txt', '001_77cb8118123f3859.txt']
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    problems: list[tuple[str, str]] = [] if errors is None else errors
    found: dict[Path, None] = {}
    for given in map(Path, paths):
        if given.is_dir():
            found.update(dict.fromkeys(_walk(given, problems)))
        elif given.is_file():
            _format_of(given)
            found[given] = None
        elif given.is_symlink():
            raise ReadError(given, f"is a symbolic link to {os.readlink(given)!r}, which loops "
                                   "back on itself or points to nothing.")
        else:
            raise ReadError(given, "no such file or folder.")
    if errors is None:
        for path, problem in problems:
            warnings.warn(f"{path}: {problem}", stacklevel=2)
    return list(found)


def decode_bytes(data: bytes, path: str | Path = "<bytes>") -> tuple[str, str]:
    """Decode the bytes of a text file in any common Chinese encoding.

    Strict UTF-8 (and byte-order marks) is tried first; otherwise charset-normalizer's guess
    and GB18030 and Big5 compete, and the decoding that reads most like Chinese wins. When
    none reads like Chinese, UTF-8 with at most 0.1 % invalid bytes is accepted: they become
    U+FFFD, with a warning naming the file and how many bytes were replaced.

    Parameters
    ----------
    data : bytes
        The file's content.
    path : str or Path
        Named in error messages.

    Returns
    -------
    (text, encoding) : tuple of str
        Line endings are left as they are.

    Examples
    --------
    >>> decode_bytes("法治政府建设年度报告".encode("gbk"))
    ('法治政府建设年度报告', 'gb18030')
    >>> decode_bytes("法治政府建設年度報告".encode("big5"))
    ('法治政府建設年度報告', 'big5')
    """
    return _decode(data, Path(path))


# -- files and folders -------------------------------------------------------------------

def _format_of(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in _FORMATS:
        kind = f"'{suffix}' files" if suffix else "files without a suffix"
        raise UnsupportedFormatError(path, f"fazhi cannot read {kind}; it reads "
                                           f"{', '.join(sorted(SUPPORTED_SUFFIXES))}.")
    return _FORMATS[suffix]


def _read_bytes(path: Path) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError as exc:
        raise ReadError(path, f"the file cannot be opened ({exc.strerror}).") from exc


def _walk(folder: Path, problems: list[tuple[str, str]]) -> Iterator[Path]:
    def unreadable(exc: OSError) -> None:
        problems.append((exc.filename or str(folder),
                         f"the folder cannot be read ({exc.strerror}); its reports are "
                         "left out. Check its permissions."))

    for root, dirs, files in os.walk(folder, onerror=unreadable):
        if OUTPUT_MARKER in files and Path(root) != folder:
            dirs[:] = []
            continue
        if OUTPUT_MARKER in files:
            problems.append((root, "is an output folder written by fazhi, not a corpus; "
                                   "nothing in it is read."))
            dirs[:] = []
            continue
        if "docs" in dirs and _is_store(root):
            # Tables written by fazhi (save_corpus, process_corpus): read as a store on their
            # own, never as reports (its source_root.txt is not one).
            if Path(root) == folder:
                problems.append((root, "is a Parquet store written by fazhi; read it on its "
                                       "own: fazhi.load_corpus(folder)"))
            dirs[:] = []
            continue
        dirs[:] = sorted(d for d in dirs if not _is_hidden(d))
        for name in sorted(files):
            suffix = os.path.splitext(name)[1].lower()
            if _is_hidden(name) or name.lower() == _SIDECAR or suffix in _NOT_REPORT_SUFFIXES:
                continue
            yield Path(root, name)


def _is_store(folder: str) -> bool:
    from .store import is_store

    return is_store(folder)


def _is_hidden(name: str) -> bool:
    # "~$" marks the lock files Word and WPS leave next to an open document.
    return name.startswith((".", "~$"))


# -- decoding ------------------------------------------------------------------------------

def _decode(data: bytes, path: Path, declared: str | None = None) -> tuple[str, str]:
    _reject_binary(data, path)
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), label
            except UnicodeDecodeError as exc:
                raise EncodingError(path, f"starts with a {label} byte-order mark but is not "
                                          f"valid {label} (byte {exc.start}).") from None
    if b"\x00" in data:
        return _decode_utf16_without_bom(data, path)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    import charset_normalizer

    guess = charset_normalizer.from_bytes(data).best()
    guessed = _canonical_codec(guess.encoding) if guess is not None else None
    # Order breaks ties between equally plausible readings: what the page declares, then
    # GB18030, since mainland reports far outnumber Big5 ones.
    candidates = dict.fromkeys(c for c in (declared, "gb18030", guessed, "big5", "cp950") if c)
    scored: list[tuple[float, str, str]] = []
    for codec in candidates:
        try:
            text = data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        scored.append((_chinese_plausibility(text), codec, text))
    if scored:
        score, codec, text = max(scored, key=lambda s: s[0])  # max keeps the first of ties
        if score >= _PLAUSIBLE:
            return text, codec
    if (damaged := _mostly_utf8(data)) is not None:
        text, bad = damaged
        warnings.warn(f"{path}: {bad} byte{'s' if bad > 1 else ''} that are not valid UTF-8 "
                      "were replaced with U+FFFD", stacklevel=3)
        return text, "utf-8"
    if scored:
        # Not Chinese, but a clean decoding by the detector is still the file's text.
        by_detector = next((s for s in scored if s[1] == guessed), None)
        if by_detector and _is_clean_text(by_detector[2]):
            return by_detector[2], by_detector[1]
    raise EncodingError(path, "cannot be decoded as text: it is not valid UTF-8, and "
                              "neither GB18030/GBK nor Big5 gives readable Chinese. Save it "
                              "as UTF-8 and try again.")


def _mostly_utf8(data: bytes) -> tuple[str, int] | None:
    """The UTF-8 reading of ``data`` and how many bytes it replaced, when few are invalid."""
    text = data.decode("utf-8", "replace")
    replaced = text.count("\ufffd") - data.count("\ufffd".encode())
    bad = len(data) - (len(text.encode("utf-8")) - 3 * replaced)
    # Valid multi-byte characters are the evidence for UTF-8: a Latin-1 file with one é has
    # few bad bytes too, but no UTF-8 sequence at all.
    multibyte = sum(ch >= "\x80" for ch in text) - text.count("\ufffd")
    if bad > len(data) * _MAX_BAD_UTF8 or multibyte <= bad:
        return None
    return text, bad


def _reject_binary(data: bytes, path: Path) -> None:
    for magic, what, advice in _MAGIC:
        if data.startswith(magic):
            raise UnsupportedFormatError(path, f"looks like {what}, not text; {advice}.")


def _decode_utf16_without_bom(data: bytes, path: Path) -> tuple[str, str]:
    if len(data) % 2 == 0:
        for codec in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                continue
            if _is_clean_text(text) and _chinese_plausibility(text) >= _PLAUSIBLE:
                return text, codec
    raise UnsupportedFormatError(path, "contains NUL bytes, so it is a binary file, not text; "
                                       "fazhi reads text, HTML, .docx and .pdf reports.")


def _declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data, 0, 16384)
    return _canonical_codec(match.group(1).decode("ascii")) if match else None


def _canonical_codec(name: str) -> str | None:
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    if codec.replace("-", "_") in _GB_FAMILY:
        return "gb18030"
    # cp950 (Big5 with Microsoft's additions) stays a fallback, so plain Big5 is named big5.
    return "big5" if codec == "cp950" else codec


@lru_cache(maxsize=1)
def _common_hanzi() -> frozenset[str]:
    # The two standards' "frequently used" blocks: GB2312 level 1 (3,755 simplified) and
    # Big5 常用字 (5,401 traditional). A right decoding of either script lands almost only
    # here; a wrong one scatters into rare characters, kana, Cyrillic and Latin-1 mojibake.
    ranges = (("gb2312", range(0xB0, 0xD8), range(0xA1, 0xFF)),
              ("big5", range(0xA4, 0xC7), [*range(0x40, 0x7F), *range(0xA1, 0xFF)]))
    chars: set[str] = set()
    for codec, leads, trails in ranges:
        for lead in leads:
            for trail in trails:
                try:
                    chars.add(bytes((lead, trail)).decode(codec))
                except UnicodeDecodeError:
                    pass
    return frozenset(chars)


def _chinese_plausibility(text: str) -> float:
    """Share of common hanzi among the non-ASCII letters and marks of ``text`` (0 to 1)."""
    if "\ufffd" in text:
        return 0.0
    common = _common_hanzi()
    good = bad = 0
    for ch in text[:_SAMPLE_CHARS]:
        if ch < "\x80":
            bad += ch in _NOT_TEXT_CONTROLS
        elif ch in common:
            good += 1
        elif not ch.isspace() and not _is_neutral_symbol(ch):
            bad += 1
    return good / (good + bad) if good + bad else 0.0


def _is_neutral_symbol(ch: str) -> bool:
    # Chinese text uses ·×÷°±§ and full-width punctuation; other Latin-1 characters
    # (ä ¸ Ã …) are the signature of UTF-8 read as Latin-1.
    if ch < "\u0100":
        return ch in "·×÷°±§"
    return unicodedata.category(ch)[0] in "PSN"


def _is_clean_text(text: str) -> bool:
    return "\ufffd" not in text and not any(ch in _NOT_TEXT_CONTROLS for ch in text)


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# -- Markdown ------------------------------------------------------------------------------

# Line by line, not a CommonMark parser: Chinese Markdown reports often put each paragraph
# on one line with no blank line between, which CommonMark would merge into one paragraph.
_MD_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_MD_HEADING = re.compile(rf" {{0,3}}#{{1,6}}(?:[ \t]+|(?=[{CJK}]))(.*?)(?:[ \t]+#+)?[ \t]*")
_MD_RULE = re.compile(r" {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,}|=+[ \t]*)")
_MD_TABLE_RULE = re.compile(r"[ \t]*\|?(?:[ \t]*:?-+:?[ \t]*\|)+(?:[ \t]*:?-+:?[ \t]*)?")
_MD_LINK_DEF = re.compile(r" {0,3}\[[^\]]+\]:[ \t]*\S+.*")
_MD_QUOTE = re.compile(r" {0,3}(?:>[ \t]?)+")
_MD_BULLET = re.compile(r"[ \t]*[-*+][ \t]+(?=\S)")
_MD_NUMBERED = re.compile(r"[ \t]*(\d{1,9}[.)])[ \t]+(?=\S)")
_MD_INLINE = (
    (re.compile(r"<!--.*?-->|</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>"), ""),
    (re.compile(r"!\[[^\]]*\](?:\([^)]*\)|\[[^\]]*\])"), ""),
    (re.compile(r"\[([^\]]+)\](?:\((?:[^()]|\([^)]*\))*\)|\[[^\]]*\])"), r"\1"),
    (re.compile(r"<((?:https?|ftp|mailto):[^>\s]+)>"), r"\1"),
    (re.compile(r"(`+)(.+?)\1"), r"\2"),
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"\1"),
    # Chinese text runs right up to the asterisks (的*重点*工作), so only Latin letters and
    # digits around them mean it is not emphasis (2*3*4).
    (re.compile(r"(?<![*A-Za-z0-9])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![*A-Za-z0-9])"), r"\1"),
    (re.compile(r"(?<![A-Za-z0-9_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![A-Za-z0-9_])"), r"\1"),
    (re.compile(r"(?: {2,}|\\)$"), ""),
)
_MD_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_PRIVATE_USE = 0xE000  # escaped punctuation hides here while the inline rules run


def markdown_to_text(text: str) -> str:
    """The text of a Markdown report, one block a line, without the Markdown syntax.

    Headings (``#`` and underlined), emphasis, quotes, list bullets, links, images, inline
    HTML, code fences and table pipes are removed; their text is kept, a table row as its
    cells separated by spaces. A numbered list item that starts with Chinese keeps its
    number, which in a report is a heading level (``1. 完善制度`` → ``1.完善制度``).

    Examples
    --------
    >>> print(markdown_to_text("# 2020年法治政府建设年度报告\\n## 一、工作开展情况\\n"
    ...                        "- **完善**[制度](http://a.cn)\\n1. 加强执法监督\\n> 引用"))
    2020年法治政府建设年度报告
    一、工作开展情况
    完善制度
    1.加强执法监督
    引用
    """
    lines = text.split("\n")
    table = _markdown_table_rows(lines)
    out: list[str] = []
    fence = ""
    for number, line in enumerate(lines):
        if fence:
            if line.strip().startswith(fence) and not line.strip().strip(fence[0]):
                fence = ""
            else:
                out.append(line)
            continue
        if m := _MD_FENCE.match(line):
            fence = m.group(1)
            continue
        if number in table:
            if table[number]:
                out.append(" ".join(_markdown_inline(c) for c in table[number] if c.strip()))
            continue
        if _MD_RULE.fullmatch(line) or _MD_LINK_DEF.fullmatch(line):
            continue
        line = line[_MD_QUOTE.match(line).end():] if _MD_QUOTE.match(line) else line
        if m := _MD_HEADING.fullmatch(line):
            line = m.group(1)
        elif m := _MD_BULLET.match(line):
            line = line[m.end():]
        elif m := _MD_NUMBERED.match(line):
            rest = line[m.end():]
            line = m.group(1) + rest if _CJK_RE.match(rest) else rest
        out.append(_markdown_inline(line))
    return "\n".join(out)


def _markdown_table_rows(lines: list[str]) -> dict[int, list[str]]:
    """Line number → cells for each line of a pipe table; the ruler row maps to no cells."""
    rows: dict[int, list[str]] = {}
    for number, line in enumerate(lines):
        if not (number and "|" in line and _MD_TABLE_RULE.fullmatch(line)
                and "|" in lines[number - 1]):
            continue
        rows[number] = []
        body = number - 1
        while body < len(lines) and "|" in lines[body]:
            if body != number:
                cells = re.split(r"(?<!\\)\|", lines[body].strip())
                rows[body] = [c.strip() for c in cells]
            body += 1
    return rows


def _markdown_inline(line: str) -> str:
    line = _MD_ESCAPED.sub(lambda m: chr(_PRIVATE_USE + ord(m.group(1))), line)
    for rx, repl in _MD_INLINE:
        line = rx.sub(repl, line)
    return re.sub("[\ue000-\ue07f]", lambda m: chr(ord(m.group()) - _PRIVATE_USE), line)


# -- Word and PDF --------------------------------------------------------------------------

def _docx_text(data: bytes, path: Path) -> str:
    from docx import Document

    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ReadError(path, "is an old Word .doc file with a .docx name; open it in Word or "
                              "WPS and save it as .docx.")
    if not data.startswith(b"PK"):
        raise ReadError(path, "is not a valid Word .docx file (it is not a ZIP package); "
                              "the file may be damaged or misnamed.")
    _check_unpacked_size(data, path)
    try:
        document = Document(io.BytesIO(data))
        lines = list(_docx_lines(document, []))
    except Exception as exc:  # python-docx and zipfile raise many unrelated types
        raise ReadError(path, f"is not a valid Word .docx file ({exc}); the file may be "
                              "damaged, or be another kind of ZIP package.") from exc
    text = "\n".join(lines)
    if not text.strip():
        raise EmptyDocumentError(path, "the Word document contains no text.")
    return text


def _check_unpacked_size(data: bytes, path: Path) -> None:
    """Refuse a Word file whose parts would unpack to far more than any report needs."""
    import zipfile

    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ReadError(path, f"is not a valid Word .docx file ({exc}); the file may be "
                              "damaged or misnamed.") from exc
    total = 0
    for m in members:
        total += m.file_size
        ratio = m.file_size / max(m.compress_size, 1)
        if (m.file_size > _DOCX_MAX_MEMBER or total > _DOCX_MAX_TOTAL
                or (m.file_size > 2**20 and ratio > _DOCX_MAX_RATIO)):
            raise ReadError(path, f"its part {m.filename} would unpack to "
                                  f"{m.file_size / 2**20:.0f} MB ({ratio:.0f}× its packed "
                                  f"size), far beyond any report; fazhi does not open it "
                                  f"(limits: {_DOCX_MAX_MEMBER // 2**20} MB a part, "
                                  f"{_DOCX_MAX_TOTAL // 2**20} MB in all, "
                                  f"{_DOCX_MAX_RATIO}× compression).")


def _docx_lines(container, seen_cells: list) -> Iterator[str]:
    from docx.table import Table

    for block in container.iter_inner_content():
        if not isinstance(block, Table):
            yield block.text
            continue
        for row in block.rows:
            for cell in row.cells:
                # A merged cell is returned once per grid row and column it spans.
                if not any(cell._tc is seen for seen in seen_cells):
                    seen_cells.append(cell._tc)
                    yield from _docx_lines(cell, seen_cells)


def _pdf_text(data: bytes, path: Path) -> str:
    import pdfplumber

    if b"%PDF-" not in data[:1024]:
        raise ReadError(path, "is not a PDF (it does not start with %PDF); the file may be "
                              "damaged or misnamed.")
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > _PDF_MAX_PAGES:
                raise ReadError(path, f"has {len(pdf.pages)} pages, more than the "
                                      f"{_PDF_MAX_PAGES} fazhi reads as one report; split it.")
            pages, chars = [], 0
            for page in pdf.pages:
                lines = page.extract_text_lines(return_chars=False)
                chars += sum(len(line["text"]) for line in lines)
                if chars > _MAX_TEXT_CHARS:
                    raise ReadError(path, f"unpacks to more than {_MAX_TEXT_CHARS:,} "
                                          "characters of text, far beyond any report.")
                pages.append(lines)
                page.close()  # pdfplumber keeps every parsed page otherwise
    except ReadError:
        raise
    except Exception as exc:  # pdfminer raises many unrelated types on damaged files
        raise ReadError(path, f"the PDF cannot be read; it may be damaged, truncated or "
                              f"password-protected ({type(exc).__name__}: {exc}).") from exc
    text = "\n".join(_pdf_paragraphs(pages))
    if text.strip():
        return text
    if b"%%EOF" not in data[-2048:]:
        raise ReadError(path, "the PDF is truncated (it has no %%EOF end marker) and no text "
                              "could be recovered; download it again.")
    raise EmptyDocumentError(path, "the PDF has no text layer; it looks like a scanned PDF. "
                                   "Run OCR on it first (for example `ocrmypdf -l chi_sim "
                                   "in.pdf out.pdf`).")


# -- PDF paragraphs ------------------------------------------------------------------------

# Page numbers as printed in a page's header or footer: — 1 —, - 2 -, 第3页, 第 3 页 共 8 页,
# 3/8. Kept as lines of their own, for normalisation to remove (fazhi/data/boilerplate.txt).
_DASHES = "-—–－‒―~～"
_PAGE_NUMBER = re.compile(
    rf"[{_DASHES}]*\s*(?:第\s*\d{{1,4}}\s*页(?:\s*[,，/]?\s*共\s*\d{{1,4}}\s*页)?"
    rf"|共\s*\d{{1,4}}\s*页\s*[,，]?\s*第\s*\d{{1,4}}\s*页|\d{{1,4}}\s*/\s*\d{{1,4}}|\d{{1,4}})"
    rf"\s*[{_DASHES}]*")
# A sentence end (possibly inside closing quotes) can end a paragraph; a comma cannot.
_ENDS_SENTENCE = re.compile(r"[。！？；：!?;:][”」』’\"）)]*$")
_STARTS_HEADING = re.compile(r"第[一二三四五六七八九十]+(?:部分|章)|[一二三四五六七八九十]+、"
                             r"|[(（][一二三四五六七八九十\d]{1,2}[)）]|\d{1,2}(?:[、．]|\.(?!\d))")
_DATE_LINE = re.compile(r"(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
_SHORT_HEADING = 30  # characters
_ASCII_LETTER = re.compile(r"[A-Za-z]")


def _pdf_paragraphs(pages: list[list[dict]]) -> list[str]:
    """Rebuild the paragraphs of a PDF from its printed lines.

    A PDF knows lines, not paragraphs: a paragraph wraps over many lines and pages, numbers
    are cut from their units (5293 / 条) and page numbers sit among the text. A line joins
    the one before it unless that one ends the paragraph: it stops short of the right margin,
    a wider vertical gap or a first-line indent follows, a heading or a date line starts,
    or — when the layout does not mark paragraphs by indent or spacing — it ends a sentence.
    Page numbers at the top or bottom of a page stay lines of their own.

    Parameters
    ----------
    pages : list of list of dict
        Per page, its lines as ``pdfplumber``'s ``extract_text_lines`` gives them
        (``text``, ``x0``, ``x1``, ``top``, ``bottom``), top to bottom.

    Returns
    -------
    list of str
        Paragraphs, headings and page-number lines, in reading order.

    Examples
    --------
    >>> def line(text, top, x0, x1):
    ...     return {"text": text, "x0": x0, "x1": x1, "top": top, "bottom": top + 12}
    >>> page = [line("一、工作开展情况", 72, 96, 192),
    ...         line("全市政府信息公开目录系统公开信息5293", 90, 96, 312),
    ...         line("条，收到网友咨询、投诉等留言355条，已回", 108, 72, 312),
    ...         line("复342条。", 126, 72, 144),
    ...         line("— 1 —", 800, 180, 216)]
    >>> for paragraph in _pdf_paragraphs([page]):
    ...     print(paragraph)
    一、工作开展情况
    全市政府信息公开目录系统公开信息5293条，收到网友咨询、投诉等留言355条，已回复342条。
    — 1 —
    """
    lines: list[tuple[int, dict]] = []
    furniture: set[int] = set()
    for number, page in enumerate(pages):
        page = [ln for ln in page if ln["text"].strip()]
        for i, ln in enumerate(page):
            if i in (0, len(page) - 1) and _PAGE_NUMBER.fullmatch(ln["text"].strip()):
                furniture.add(len(lines))
            lines.append((number, ln))
    body = [ln for i, (_, ln) in enumerate(lines) if i not in furniture]
    if not body:
        return [ln["text"].strip() for _, ln in lines]
    layout = _PdfLayout(lines, furniture)
    out: list[str] = []
    pending: list[str] = []  # page numbers met inside the current paragraph
    current = ""
    prev: tuple[int, dict] | None = None
    for i, (number, ln) in enumerate(lines):
        text = ln["text"].strip()
        if i in furniture:
            pending.append(text)
            continue
        if prev is None or layout.breaks(prev, (number, ln)):
            if current:
                out.append(current)
            out.extend(pending)
            current, pending = text, []
        else:
            joint = _ASCII_LETTER.match(current[-1]) and _ASCII_LETTER.match(text[0])
            current += (" " if joint else "") + text
        prev = (number, ln)
    out.append(current)
    out.extend(pending)
    return out


class _PdfLayout:
    """What the lines of one PDF say about its paragraphs: margins, line pitch, and whether
    new paragraphs are marked by a first-line indent or extra spacing."""

    def __init__(self, lines: list[tuple[int, dict]], furniture: set[int]) -> None:
        import statistics

        body = [(n, ln) for i, (n, ln) in enumerate(lines) if i not in furniture]
        self.em = statistics.median(ln["bottom"] - ln["top"] for _, ln in body) or 1.0
        by_page: dict[int, list[dict]] = {}
        for n, ln in body:
            by_page.setdefault(n, []).append(ln)
        # The left margin is where most lines start (the first-line indent is rarer).
        self.left = {n: statistics.multimode(round(ln["x0"]) for ln in page_lines)
                     for n, page_lines in by_page.items()}
        self.left = {n: float(min(modes)) for n, modes in self.left.items()}
        steps = [b["top"] - a["top"] for page_lines in by_page.values()
                 for a, b in zip(page_lines, page_lines[1:]) if b["top"] > a["top"]]
        self.pitch = statistics.median(steps) if steps else 1.5 * self.em
        widths = sorted(ln["x1"] - self.left[n] for n, ln in body)
        self.width = widths[int(0.9 * (len(widths) - 1))]
        # Lines after a line that plainly ends a paragraph (stops short) show how the layout
        # marks new paragraphs; when it does, geometry decides over punctuation.
        starts = [(a, b) for a, b in zip(body, body[1:]) if self._short(a)]
        marked = sum(self._indented(b) or self._gap(a, b) for a, b in starts)
        self.marked = len(starts) >= 2 and marked >= 0.5 * len(starts)

    def _short(self, line: tuple[int, dict]) -> bool:
        n, ln = line
        return ln["x1"] < self.left[n] + self.width - 2 * self.em

    def _indented(self, line: tuple[int, dict]) -> bool:
        n, ln = line
        return ln["x0"] > self.left[n] + 0.8 * self.em

    def _gap(self, prev: tuple[int, dict], line: tuple[int, dict]) -> bool:
        return prev[0] == line[0] and line[1]["top"] - prev[1]["top"] > 1.6 * self.pitch

    def breaks(self, prev: tuple[int, dict], line: tuple[int, dict]) -> bool:
        """Whether ``line`` starts a new paragraph after ``prev``."""
        before, text = prev[1]["text"].strip(), line[1]["text"].strip()
        if (self._short(prev) or self._gap(prev, line)
                or _DATE_LINE.fullmatch(text) or _DATE_LINE.fullmatch(before)):
            return True
        sentence_end = bool(_ENDS_SENTENCE.search(before))
        if self.marked:
            return self._indented(line) or (sentence_end and bool(_STARTS_HEADING.match(text)))
        # For pages too sparse to show the margin (a title page, a last page).
        short_heading = (_STARTS_HEADING.match(before) and len(before) <= _SHORT_HEADING
                         and prev[1]["x1"] - prev[1]["x0"] < 0.8 * self.width
                         and not before.endswith(("，", ",", "、")))
        return (self._indented(line) or sentence_end or bool(short_heading)
                or bool(_STARTS_HEADING.match(text)))
