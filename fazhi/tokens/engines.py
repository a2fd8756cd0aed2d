"""Segmentation engines behind one interface: jieba (the reference) and rjieba (jieba-rs).

Both get the same domain words with the same frequencies and the same punctuation pre-pass,
and rjieba's few known differences are normalised to jieba's cut, so that switching engines
changes speed, not results (``benchmarks/segment_agreement.py`` measures it).
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .._resources import data_path, read_list
from ..corpus.normalize import to_simplified
from ..exceptions import ParameterError
from .cache import cache_root

ENGINES = ("auto", "jieba", "rjieba")
USERDICT = "userdict.txt"
STOPWORDS = "stopwords.txt"
POLICY_STOPWORDS = "policy_stopwords.txt"
DEFAULT_TAG = "nz"

# jieba splits text at punctuation before it looks words up (it keeps only + # & . % - and
# only in their half-width forms), so a domain term with any non-word character is protected.
_WORD_CHARS = re.compile(r"^\w+$")
# A protected term is swapped for one private-use character while the engine cuts.
_PLACEHOLDER_BASE = 0xF0000
# rjieba keeps digit runs joined by hyphens ("2021-2025", "2019-01-04") as one token where
# jieba cuts at each hyphen.
# Matched on the pieces joined by NUL, so that the work stays in C.
_HYPHENATED_NUMBER = re.compile(r"(?:^|(?<=\x00))\d+(?:-\d+)+(?=\x00|$)")
_NUMBER = re.compile(r"^[\d.,%‰+\-–—~/:·]+$|^[零〇一二三四五六七八九十百千万亿两]+$")
_HAS_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class SegmentOptions:
    extra_words: tuple[str, ...] = ()
    extra_stopwords: tuple[str, ...] = ()
    policy_stopwords: bool = True
    pos: tuple[str, ...] | None = None
    engine: str = "jieba"


#: Words of a one-word-a-line UTF-8 file; blank lines and ``#`` comments skipped.
read_wordlist = read_list


def canonical_word(word: str) -> str:
    """``word`` in the form corpus text takes (NFKC, then 繁→简, as :mod:`fazhi.corpus.normalize`).

    A user's 改革（试点） must match the 改革(试点) of a loaded report, and be found again
    when a raw text's full-width form is restored to it after segmentation.

    Examples
    --------
    >>> canonical_word("改革（試點）")
    '改革(试点)'
    """
    return to_simplified(unicodedata.normalize("NFKC", word))[0]


def canonical_entry(line: str) -> str:
    """A user-dictionary line ``词语 [词频] [词性]`` with its word in canonical form."""
    word, *rest = line.split()
    return " ".join([canonical_word(word), *rest])


def read_userdict(lines: list[str]) -> list[tuple[str, int | None, str]]:
    """Parse jieba user-dictionary lines ``词语 [词频] [词性]`` into (word, freq, tag)."""
    entries = []
    for line in lines:
        parts = line.split()
        word, rest = parts[0], parts[1:]
        freq = int(rest.pop(0)) if rest and rest[0].isdigit() else None
        tag = rest[0] if rest else DEFAULT_TAG
        entries.append((word, freq, tag))
    return entries


def resolve_engine(engine: str, pos: tuple[str, ...] | None) -> str:
    if engine not in ENGINES:
        raise ParameterError(f"engine: {engine!r} is not one of {', '.join(ENGINES)}")
    if pos is not None:
        # rjieba's tagger agrees with jieba.posseg on only ~93 % of tags, so tagging stays
        # with the reference.
        if engine == "rjieba":
            raise ParameterError("engine: 'rjieba' cannot tag parts of speech; use pos with "
                                 "engine='jieba' or 'auto'")
        return "jieba"
    if engine == "auto":
        # Found, not imported: a cache hit never loads the segmenter.
        return "rjieba" if importlib.util.find_spec("rjieba") is not None else "jieba"
    return engine


def _file_digest(name: str) -> str:
    return hashlib.sha1(data_path(name).read_bytes()).hexdigest()


def wordlist_digest(opts: SegmentOptions) -> tuple[str, ...]:
    """Digest of the shipped files and engine version that ``opts`` segments with."""
    names = [USERDICT, STOPWORDS] + ([POLICY_STOPWORDS] if opts.policy_stopwords else [])
    from importlib.metadata import version

    return (*(_file_digest(n) for n in names), version(opts.engine))


def _variants(ch: str) -> str:
    """A regex character class matching ``ch`` and its full-width form (+ and ＋)."""
    if 0x21 <= ord(ch) <= 0x7E:
        return "[" + re.escape(ch) + re.escape(chr(ord(ch) + 0xFEE0)) + "]"
    return re.escape(ch)


class Segmenter:
    """One engine loaded with the domain words; one per process and option set."""

    def __init__(self, opts: SegmentOptions):
        self.opts = opts
        lines = read_wordlist(data_path(USERDICT)) + list(opts.extra_words)
        entries = read_userdict(lines)
        protected = [w for w, _, _ in entries if not _WORD_CHARS.match(w)]
        self.placeholder = {w: chr(_PLACEHOLDER_BASE + i) for i, w in enumerate(protected)}
        self.restore = {ph: w for w, ph in self.placeholder.items()}
        self.tags = {ph: tag for w, _, tag in entries if w in self.placeholder
                     for ph in [self.placeholder[w]]}
        alternatives = sorted(protected, key=len, reverse=True)
        self.protect_re = (re.compile("|".join("".join(map(_variants, w)) for w in alternatives))
                           if alternatives else None)
        self.engine = self._load_engine(opts.engine, [e for e in entries if e[0] not in
                                                      self.placeholder])
        stop = set(read_wordlist(data_path(STOPWORDS)))
        if opts.policy_stopwords:
            stop.update(read_wordlist(data_path(POLICY_STOPWORDS)))
        stop.update(opts.extra_stopwords)
        # A word the user asked to keep whole is not dropped by a shipped stopword list.
        stop.difference_update(w for w, _, _ in read_userdict(list(opts.extra_words)))
        self.stopwords = frozenset(stop)
        self.keep = _KeepCache(self.stopwords)
        self._tagger = None

    @staticmethod
    @lru_cache(maxsize=8)
    def get(opts: SegmentOptions) -> Segmenter:
        return Segmenter(opts)

    @staticmethod
    def _load_engine(name: str, entries: list[tuple[str, int | None, str]]):
        if name == "rjieba":
            import rjieba

            tok = rjieba.Jieba()
            # Frequencies are suggested against the base dictionary before any word is
            # added, so the order of the dictionary file does not matter.
            freqs = [f if f is not None else tok.suggest_freq(w) for w, f, _ in entries]
            for (word, _, tag), freq in zip(entries, freqs):
                tok.add_word(word, freq, tag)
            return tok
        import jieba

        jieba.setLogLevel(logging.WARNING)
        tok = jieba.Tokenizer()
        # jieba writes its prefix-dict cache to the system temp dir by default; a user-owned
        # dir avoids clashes between users, and jieba replaces the file atomically.
        tok.tmp_dir = str(cache_root() / "jieba")
        Path(tok.tmp_dir).mkdir(parents=True, exist_ok=True)
        tok.initialize()
        freqs = [f if f is not None else tok.suggest_freq(w, False) for w, f, _ in entries]
        for (word, _, tag), freq in zip(entries, freqs):
            tok.add_word(word, freq, tag)
        return tok

    def _protect(self, text: str) -> tuple[str, int]:
        if self.protect_re is None:
            return text, 0
        return self.protect_re.subn(
            lambda m: self.placeholder[unicodedata.normalize("NFKC", m.group())], text)

    def cut(self, text: str) -> list[str]:
        """Every piece of ``text`` as the engine cuts it (nothing dropped), domain terms whole."""
        text, n_protected = self._protect(text)
        if self.opts.engine == "rjieba":
            pieces = self.engine.cut(text)
            if "-" in text:
                pieces = _split_hyphenated_numbers(pieces)
        else:
            pieces = self.engine.lcut(text)
        if n_protected:
            restore = self.restore
            pieces = [restore.get(p, p) for p in pieces]
        return pieces

    def tag(self, text: str) -> list[tuple[str, str]]:
        """(word, jieba POS tag) pairs, domain terms whole."""
        if self._tagger is None:
            import jieba.posseg

            # Built once: it reads jieba's whole dictionary file for the tags.
            self._tagger = jieba.posseg.POSTokenizer(self.engine)
        pairs = [(p.word, p.flag) for p in self._tagger.lcut(self._protect(text)[0])]
        return [(self.restore[w], self.tags[w]) if w in self.restore else (w, t)
                for w, t in pairs]

    def segment(self, text: str) -> str:
        """The kept tokens of ``text`` joined by spaces (the cached form)."""
        keep = self.keep
        if self.opts.pos is None:
            return " ".join(filter(keep.__getitem__, self.cut(text)))
        prefixes = self.opts.pos
        return " ".join([w for w, t in self.tag(text) if keep[w] and t.startswith(prefixes)])


def _split_hyphenated_numbers(pieces: list[str]) -> list[str]:
    joined = _HYPHENATED_NUMBER.sub(lambda m: m.group().replace("-", "\x00-\x00"),
                                    "\x00".join(pieces))
    return joined.split("\x00")


class _KeepCache(dict):
    """token -> whether it is a content word; each distinct token is judged once."""

    def __init__(self, stopwords: frozenset[str]):
        super().__init__()
        self.stopwords = stopwords

    def __missing__(self, tok: str) -> bool:
        keep = (len(tok) >= 2 and tok not in self.stopwords and not _NUMBER.match(tok)
                and _HAS_LETTER.search(tok) is not None)
        self[tok] = keep
        return keep
