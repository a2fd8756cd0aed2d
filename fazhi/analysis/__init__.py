"""Stage 3, analyses of tokens and of the corpus: term frequency, keyness, KWIC,
collocations, co-occurrence, dictionary coding, topics, and the corpus overview tables."""

from .._lazy import lazy_exports

#: exported name → the module defining it, imported on first use (fazhi._lazy)
_EXPORTS = {
    "dictionary_counts": "dictionary", "load_dictionary": "dictionary",
    "CorpusSummary": "documents", "document_coverage": "documents", "documents_table":
    "documents", "removed_lines": "documents", "section_completeness": "documents",
    "summarize_corpus": "documents", "traditional_documents": "documents",
    "collocations": "frequency", "cooccurrence": "frequency", "keyness": "frequency", "kwic":
    "frequency", "term_frequency": "frequency",
    "TopicModel": "topic_model",
    "coherence_by_k": "topics", "fit_topics": "topics", "keywords_per_doc": "topics",
    "keywords_summary": "topics", "npmi_coherence": "topics",
}

__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS)
