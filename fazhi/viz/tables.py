"""Tables for reading in a notebook or a shared HTML report.

Text from a report (titles, sentences, file names) is escaped wherever it enters the page:
pandas' own ``DataFrame`` display escapes, its ``Styler`` does not, and the HTML exporter does
not sanitise, so a table styled here always escapes its cells. Chinese text is aligned left.
"""

from __future__ import annotations

from typing import Any

import pandas as pd


def show_table(df: pd.DataFrame, precision: int = 3) -> Any:
    """A styled view of ``df`` whose every cell is text, never markup.

    Parameters
    ----------
    df : the table to show.
    precision : decimals shown for floating-point columns.

    Returns
    -------
    pandas Styler
        Escaped (``<img onerror=…>`` in a report shows as those characters), text cells
        aligned left, the index hidden. Its ``to_html()`` is what the report shows.

    Examples
    --------
    >>> import pandas as pd
    >>> html = show_table(pd.DataFrame({"句子": ["<img src=x onerror=alert(1)>"]})).to_html()
    >>> "<img" in html, "&lt;img src=x onerror=alert(1)&gt;" in html
    (False, True)
    """
    text = [c for c in df.columns if df[c].dtype == object or pd.api.types.is_string_dtype(df[c])]
    styler = df.style.format(escape="html", precision=precision).hide(axis="index")
    styler = styler.format_index(escape="html", axis="columns")
    if text:
        styler = styler.set_properties(subset=text, **{"text-align": "left"})
    return styler
