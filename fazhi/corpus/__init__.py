"""Stage 1, the corpus: files → read (txt, md, html, docx, pdf; any encoding) → normalise
(繁→简, web boilerplate) → metadata (organ, place, year, date) and structure (sections,
paragraphs, their kind) → :class:`Corpus` (``docs`` + ``paragraphs``), in memory or in a
Parquet store. See ``docs/architecture.md``."""

from .._lazy import lazy_exports

#: exported name → the module defining it, imported on first use (fazhi._lazy)
_EXPORTS = {
    "load_corpus": "load",
    "infer_metadata": "metadata",
    "DOC_COLUMNS": "model", "META_COLUMNS": "model", "PARA_COLUMNS": "model", "Corpus":
    "model", "doc_labels": "model",
    "normalize_text": "normalize",
    "read_document": "readers",
    "read_corpus": "store", "save_corpus": "store",
    "split_paragraphs": "structure",
}

__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS)
