"""Stage 3, analyses of tokens and of the corpus: term frequency, keyness, KWIC,
collocations, co-occurrence, dictionary coding, topics, and the corpus overview tables."""

from .dictionary import dictionary_counts, load_dictionary
from .documents import (
    CorpusSummary,
    document_coverage,
    documents_table,
    removed_lines,
    section_completeness,
    summarize_corpus,
    traditional_documents,
)
from .frequency import collocations, cooccurrence, keyness, kwic, term_frequency
from .topic_model import TopicModel
from .topics import coherence_by_k, fit_topics, keywords_per_doc, keywords_summary, npmi_coherence

__all__ = ["CorpusSummary", "TopicModel", "coherence_by_k", "collocations", "cooccurrence",
           "dictionary_counts", "document_coverage", "documents_table", "fit_topics", "keyness",
           "keywords_per_doc", "keywords_summary", "kwic", "load_dictionary", "npmi_coherence",
           "removed_lines", "section_completeness", "summarize_corpus", "term_frequency",
           "traditional_documents"]
