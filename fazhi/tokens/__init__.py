"""Stage 2, tokens: segmentation (jieba or rjieba with the domain dictionary and stopwords),
the compact :class:`Tokens` (a vocabulary and integer ids), the token cache, the grouping
rule every analysis shares (``by``, carried metadata), and tokens in the Parquet store."""

from .._lazy import lazy_exports

#: exported name → the module defining it, imported on first use (fazhi._lazy)
_EXPORTS = {
    "UNITS": "compact", "Tokens": "compact",
    "tokenize": "segment", "tokenize_corpus": "segment",
    "read_tokens": "store", "save_tokens": "store",
}

__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS)
