"""Stage 2′, facts: numbers (Chinese and Arabic numerals, ranges, qualifiers) → quantitative
facts with their sentence and a canonical indicator name (the indicator dictionary
``indicators.yml``) → trend and coverage tables. Builds on the corpus only, not on tokens."""

from .extract import export_facts, extract_facts, indicator_table, load_indicators
from .numbers import parse_number
from .trends import choose_units, coverage_matrix, most_disclosed, trend_table

__all__ = ["choose_units", "coverage_matrix", "export_facts", "extract_facts",
           "indicator_table", "load_indicators", "most_disclosed", "parse_number", "trend_table"]
