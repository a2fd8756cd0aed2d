"""End to end: render the bundled notebooks on the seeds, then open the index and every report
in headless Chromium (Debian's ``chromium``) and look at them the way a reader would: the page
loads, every plot has loaded, no cell failed, the Chinese text is there. Screenshots are
saved next to the reports and copied to ``outputs/screenshots/`` for the README.

Locally the test is skipped without Chromium (``bash scripts/install-browser.sh`` installs it);
in CI (``CI=true``) a missing browser is a failure.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from browser_helpers import Chromium

from fazhi.reports.config import available_notebooks
from fazhi.reports.execute import render

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "outputs" / "screenshots"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    return render(out=tmp_path_factory.mktemp("outputs"), workers=2, progress=False)


def keep_screenshot(browser: Chromium, page: Path) -> Path:
    shot = browser.screenshot(page.with_suffix(".png"))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = shot.name if page.name == "index.html" else f"{page.parent.name}_{shot.name}"
    shutil.copy(shot, SCREENSHOTS / name)
    return shot


def test_every_seed_notebook_renders(rendered):
    assert [(f.notebook, f.error) for f in rendered.failures] == []


def test_index_opens_and_lists_every_report_as_ok(rendered, browser):
    browser.open(rendered.index)
    page = browser.inspect()
    keep_screenshot(browser, rendered.index)
    assert page["title"] == "法治政府建设年度报告分析 · Reports"
    assert page["failedRows"] == 0
    assert page["text"].count("成功 ok") == 1 + len(available_notebooks())


@pytest.mark.parametrize("notebook", [p.stem for p in available_notebooks()])
def test_report_opens_with_every_plot_loaded_and_no_error(rendered, browser, notebook):
    report = rendered.out / "seeds" / f"{notebook}.html"
    browser.open(report)
    page = browser.inspect()
    keep_screenshot(browser, report)
    assert page["images"], "the report shows no plot"
    assert [w for w in page["images"] if w == 0] == []
    assert (page["errorMarkers"], page["errorOutputs"]) == (0, 0)
    assert "Traceback (most recent call last)" not in page["text"]


def test_overview_report_shows_the_seed_places_in_chinese(rendered, browser):
    browser.open(rendered.out / "seeds" / "00_corpus_overview.html")
    text = browser.inspect()["text"]
    assert all(place in text for place in ("普宁市", "汕尾市", "海丰县", "深圳市", "青岛市"))
