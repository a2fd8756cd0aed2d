"""Every plot of fazhi. One rule (:func:`~fazhi.viz.figure.new_figure`): a CJK font is set,
and each function returns a matplotlib Figure already closed in pyplot, so a notebook cell
ending in the call shows it once and a script can ``fig.savefig(...)`` it."""

from .._lazy import lazy_exports

#: exported name → the module defining it, imported on first use (fazhi._lazy)
_EXPORTS = {
    "plot_document_coverage": "documents", "plot_document_lengths": "documents",
    "use_cjk_font": "fonts",
    "concordance": "tables", "show_table": "tables",
    "bar": "terms", "comparison_cloud": "terms", "heatmap": "terms", "network": "terms",
    "wordcloud": "terms",
    "plot_coherence": "topics", "plot_doc_topics": "topics", "plot_prevalence": "topics",
    "plot_top_terms": "topics",
    "plot_coverage": "trends", "plot_trends": "trends",
}

__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS)
