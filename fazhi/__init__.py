"""fazhi (法治): quantitative analysis of Chinese rule-of-law government reports.

The pipeline, in one breath: files → :func:`load_corpus` (``fazhi.corpus``) → tokens
(``fazhi.tokens``) → frequency / topics (``fazhi.analysis``), and text → facts → trends
(``fazhi.facts``); plots in ``fazhi.viz``, reports in ``fazhi.reports``. Every table carries
``doc_id`` and the document metadata. The words used across the API (``workers``, ``top_n``,
``by``, ``out_dir``) are defined once, in ``docs/glossary.md``.

Names are imported lazily, so ``import fazhi`` stays fast and a notebook only pays for
the analyses it uses.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any

from ._version import __version__  # noqa: F401  (re-exported)

# public name -> module that defines it (the stages are fazhi's subpackages; see
# docs/architecture.md)
_EXPORTS: dict[str, str] = {
    # corpus: read / normalize / metadata / structure / load / store
    "read_document": "corpus.readers",
    "normalize_text": "corpus.normalize",
    "infer_metadata": "corpus.metadata",
    "split_paragraphs": "corpus.structure",
    "Corpus": "corpus.model",
    "load_corpus": "corpus.load",
    "doc_labels": "corpus.model",
    "save_corpus": "corpus.store",
    "read_corpus": "corpus.store",
    "process_corpus": "process",
    "seeds_dir": "_resources",
    # tokens
    "Tokens": "tokens.compact",
    "tokenize": "tokens.segment",
    "tokenize_corpus": "tokens.segment",
    "save_tokens": "tokens.store",
    "read_tokens": "tokens.store",
    # analysis
    "term_frequency": "analysis.frequency",
    "keyness": "analysis.frequency",
    "kwic": "analysis.frequency",
    "collocations": "analysis.frequency",
    "cooccurrence": "analysis.frequency",
    "dictionary_counts": "analysis.dictionary",
    "load_dictionary": "analysis.dictionary",
    "dictionary_sample": "analysis.dictionary",
    "precision": "analysis.dictionary",
    "fit_topics": "analysis.topics",
    "keywords_per_doc": "analysis.topics",
    "keywords_summary": "analysis.topics",
    "coherence_by_k": "analysis.topics",
    "npmi_coherence": "analysis.topics",
    "TopicModel": "analysis.topic_model",
    "documents_table": "analysis.documents",
    "document_coverage": "analysis.documents",
    "section_completeness": "analysis.documents",
    "removed_lines": "analysis.documents",
    "traditional_documents": "analysis.documents",
    "summarize_corpus": "analysis.documents",
    # facts
    "parse_number": "facts.numbers",
    "extract_facts": "facts.extract",
    "export_facts": "facts.extract",
    "indicator_table": "facts.extract",
    "read_facts": "corpus.store",
    "save_facts": "corpus.store",
    "trend_table": "facts.trends",
    "coverage_matrix": "facts.trends",
    "most_disclosed": "facts.trends",
    "trend_sources": "facts.trends",
    "trace": "facts.trends",
    "review_summary": "facts.review",
    "facts_to_review": "facts.review",
    "facts_sample": "facts.review",
    # viz: every plot returns a closed Figure
    "plot_document_lengths": "viz.documents",
    "plot_document_coverage": "viz.documents",
    "plot_trends": "viz.trends",
    "plot_coverage": "viz.trends",
    "plot_coherence": "viz.topics",
    "plot_top_terms": "viz.topics",
    "plot_doc_topics": "viz.topics",
    "plot_prevalence": "viz.topics",
    "use_cjk_font": "viz.fonts",
    "show_table": "viz.tables",
    "concordance": "viz.tables",
    "summary_line": "viz.tables",
    "reading_columns": "viz.tables",
    # output
    "save_table": "io",
    "render": "reports.execute",
}

# Modules of the flat layout, still reachable as attributes (``fazhi.trends``, ``fazhi.store``)
# for code written before the stages became packages.
_MOVED: dict[str, str] = {
    "readers": "corpus.readers", "html": "corpus.html_text", "normalize": "corpus.normalize",
    "metadata": "corpus.metadata", "places": "corpus.places", "structure": "corpus.structure",
    "store": "tokens.store", "segment": "tokens.segment", "frequency": "analysis.frequency",
    "dictionary": "analysis.dictionary", "topics": "analysis.topics",
    "topics_model": "analysis.topic_model", "overview": "analysis.documents",
    "numbers": "facts.numbers", "indicators": "facts.extract", "labels": "facts.labels",
    "trends": "facts.trends", "fonts": "viz.fonts", "topics_plots": "viz.topics",
    "report_html": "reports.export",
}

__all__ = sorted([*_EXPORTS, "viz", "__version__"])


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        # Subpackages (fazhi.viz, fazhi.corpus …) and the old module names are attributes too.
        if name in _MOVED:
            return importlib.import_module(f".{_MOVED[name]}", __name__)
        if not name.startswith("_") and importlib.util.find_spec(f"{__name__}.{name}"):
            return importlib.import_module(f".{name}", __name__)
        raise AttributeError(f"module 'fazhi' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
