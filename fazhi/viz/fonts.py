"""CJK font resolution for every plot: a system font if one covers Chinese, else the Noto
Sans CJK font that the ``mplfonts`` dependency ships. Never tofu boxes."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..exceptions import FontNotFoundError

# Preferred system families, most common first on Linux, macOS and Windows.
_SYSTEM_FAMILIES = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei", "PingFang SC", "Heiti SC", "Microsoft YaHei", "SimHei",
)
_PROBE = "法治政府建设年度报告繁體青島辦復率"


def _covers(path: str, text: str) -> bool:
    from matplotlib.ft2font import FT2Font

    try:
        font = FT2Font(path)
    except Exception:
        return False
    charmap = font.get_charmap()
    return all(ord(ch) in charmap for ch in text if not ch.isspace())


@lru_cache(maxsize=1)
def cjk_font_path() -> Path:
    """Path of a font file that covers Chinese (simplified and traditional).

    Raises
    ------
    FontNotFoundError
        If neither a system CJK font nor the bundled ``mplfonts`` font is available.
    """
    from matplotlib import font_manager

    by_name = {f.name: f.fname for f in font_manager.fontManager.ttflist}
    for family in _SYSTEM_FAMILIES:
        path = by_name.get(family)
        if path and _covers(path, _PROBE):
            return Path(path)
    try:
        import mplfonts

        bundled = Path(mplfonts.__file__).parent / "fonts" / "NotoSansCJKsc-Regular.otf"
        if bundled.is_file() and _covers(str(bundled), _PROBE):
            return bundled
    except ImportError:
        pass
    raise FontNotFoundError(
        "No font covering Chinese characters was found. Install one (Debian: "
        "`apt-get install fonts-noto-cjk`) or `pip install mplfonts`."
    )


def covers(text: str, path: str | Path | None = None) -> bool:
    """Whether the resolved CJK font (or ``path``) has a glyph for every character of ``text``."""
    return _covers(str(path or cjk_font_path()), text)


@lru_cache(maxsize=1)
def use_cjk_font() -> str:
    """Register the CJK font with matplotlib and make it the default; return its family name.

    Examples
    --------
    >>> family = use_cjk_font()
    >>> isinstance(family, str)
    True
    """
    import matplotlib as mpl
    from matplotlib import font_manager

    path = cjk_font_path()
    font_manager.fontManager.addfont(str(path))
    family = font_manager.FontProperties(fname=str(path)).get_name()
    mpl.rcParams["font.family"] = "sans-serif"
    mpl.rcParams["font.sans-serif"] = [family, *mpl.rcParams["font.sans-serif"]]
    mpl.rcParams["axes.unicode_minus"] = False
    return family
