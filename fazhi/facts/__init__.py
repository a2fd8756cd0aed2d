"""Stage 2′, facts: numbers (Chinese and Arabic numerals, ranges, qualifiers) → quantitative
facts with their sentence and a canonical indicator name (the indicator dictionary
``indicators.yml``) → trend and coverage tables. Builds on the corpus only, not on tokens."""

from .._lazy import lazy_exports

#: exported name → the module defining it, imported on first use (fazhi._lazy)
_EXPORTS = {
    "export_facts": "extract", "extract_facts": "extract", "indicator_table": "extract",
    "load_indicators": "extract",
    "parse_number": "numbers",
    "choose_units": "trends", "coverage_matrix": "trends", "most_disclosed": "trends",
    "trend_table": "trends",
}

__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS)
