"""Stage 1, the corpus: files → read (txt, md, html, docx, pdf; any encoding) → normalise
(繁→简, web boilerplate) → metadata (organ, place, year, date) and structure (sections,
paragraphs, their kind) → :class:`Corpus` (``docs`` + ``paragraphs``), in memory or in a
Parquet store. See ``docs/architecture.md``."""

from .load import load_corpus
from .metadata import infer_metadata
from .model import DOC_COLUMNS, META_COLUMNS, PARA_COLUMNS, Corpus, doc_labels
from .normalize import normalize_text
from .readers import read_document
from .store import read_corpus, save_corpus
from .structure import split_paragraphs

__all__ = ["DOC_COLUMNS", "META_COLUMNS", "PARA_COLUMNS", "Corpus", "doc_labels",
           "infer_metadata", "load_corpus", "normalize_text", "read_corpus", "read_document",
           "save_corpus", "split_paragraphs"]
