"""fazhi (法治): quantitative analysis of Chinese rule-of-law government reports.

The pipeline, in one breath: files → :func:`load_corpus` → tokens → frequency / topics,
and text → facts → trends. Every table carries ``doc_id`` and the document metadata.

Names are imported lazily, so ``import fazhi`` stays fast and a notebook only pays for
the analyses it uses.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS: dict[str, str] = {
    # readers / normalize / metadata / structure / corpus
    "read_document": "readers",
    "normalize_text": "normalize",
    "infer_metadata": "metadata",
    "split_paragraphs": "structure",
    "Corpus": "corpus",
    "load_corpus": "corpus",
    "seeds_dir": "_resources",
    # segmentation and term frequency
    "Tokens": "segment",
    "tokenize": "segment",
    "tokenize_corpus": "segment",
    "term_frequency": "frequency",
    "keyness": "frequency",
    "kwic": "frequency",
    "collocations": "frequency",
    "cooccurrence": "frequency",
    "dictionary_counts": "frequency",
    "load_dictionary": "dictionary",
    # topics
    "fit_topics": "topics",
    "keywords_per_doc": "topics",
    "keywords_summary": "topics",
    "coherence_by_k": "topics",
    "npmi_coherence": "topics",
    "TopicModel": "topics_model",
    # numbers and indicators
    "parse_number": "numbers",
    "extract_facts": "indicators",
    "trend_table": "trends",
    "coverage_matrix": "trends",
    "most_disclosed": "trends",
    "plot_trends": "trends",
    "plot_coverage": "trends",
    "trend_sources": "trends",
    "trace": "trends",
    "review_summary": "review",
    "facts_to_review": "review",
    "export_facts": "indicators",
    # corpus overview (notebook 00)
    "documents_table": "overview",
    "document_coverage": "overview",
    "section_completeness": "overview",
    "removed_lines": "overview",
    "traditional_documents": "overview",
    "plot_document_lengths": "overview",
    "plot_document_coverage": "overview",
    "summarize_corpus": "overview",
    "doc_labels": "overview",
    # output
    "save_table": "io",
    "save_corpus": "store",
    "read_corpus": "store",
    "use_cjk_font": "fonts",
    "render": "render",
}

__all__ = sorted([*_EXPORTS, "__version__"])


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        # Submodules (fazhi.viz, fazhi.trends, fazhi.store …) are reachable as attributes too.
        if not name.startswith("_") and importlib.util.find_spec(f"{__name__}.{name}"):
            return importlib.import_module(f".{name}", __name__)
        raise AttributeError(f"module 'fazhi' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
