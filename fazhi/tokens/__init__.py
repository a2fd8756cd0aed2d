"""Stage 2, tokens: segmentation (jieba or rjieba with the domain dictionary and stopwords),
the compact :class:`Tokens` (a vocabulary and integer ids), the token cache, the grouping
rule every analysis shares (``by``, carried metadata), and tokens in the Parquet store."""

from .compact import UNITS, Tokens
from .segment import tokenize, tokenize_corpus
from .store import read_tokens, save_tokens

__all__ = ["UNITS", "Tokens", "read_tokens", "save_tokens", "tokenize", "tokenize_corpus"]
