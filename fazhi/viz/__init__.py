"""Every plot of fazhi. One rule (:func:`~fazhi.viz.figure.new_figure`): a CJK font is set,
and each function returns a matplotlib Figure already closed in pyplot, so a notebook cell
ending in the call shows it once and a script can ``fig.savefig(...)`` it."""

from .documents import plot_document_coverage, plot_document_lengths
from .fonts import use_cjk_font
from .tables import concordance, show_table
from .terms import bar, comparison_cloud, heatmap, network, wordcloud
from .topics import plot_coherence, plot_doc_topics, plot_prevalence, plot_top_terms
from .trends import plot_coverage, plot_trends

__all__ = ["bar", "concordance", "comparison_cloud", "heatmap", "network", "plot_coherence", "plot_coverage",
           "plot_doc_topics", "plot_document_coverage", "plot_document_lengths",
           "plot_prevalence", "plot_top_terms", "plot_trends", "show_table", "use_cjk_font",
           "wordcloud"]
