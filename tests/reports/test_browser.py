"""End to end: render the bundled notebooks on the seeds, then open the index and every report
in headless Chromium (Debian's ``chromium``) and look at them the way a reader would: the page
loads, every plot has loaded, no cell failed, the Chinese text is there. Screenshots are
saved next to the reports and copied to ``outputs/screenshots/`` for the README.

Locally the test is skipped without Chromium (``bash scripts/install-browser.sh`` installs it);
in CI (``CI=true``) a missing browser is a failure.
"""

from __future__ import annotations

import shutil
import time
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


# -- interactive tables and the concordance, offline -----------------------------------------

@pytest.fixture(scope="module")
def table_page(tmp_path_factory):
    from notebook_helpers import write_config, write_notebook

    folder = tmp_path_factory.mktemp("table-notebooks")
    write_notebook(
        folder / "tables.ipynb", "表格 Tables", "corpus = None\nmetadata = None\nout_dir = None",
        "import fazhi\ncorp = fazhi.load_corpus(corpus)",
        "fazhi.show_table(fazhi.documents_table(corp), columns=['place', 'year', 'title'])",
        "fazhi.concordance(fazhi.kwic(corp, '放管服'))")
    config = write_config(folder, "runs:\n  - name: t\n    notebooks: [tables.ipynb]\n")
    report = render(config=config, out=tmp_path_factory.mktemp("out"), progress=False)
    assert report.ok, report.failures
    return report.out / "t" / "tables.html"


def test_page_loads_with_the_network_off_and_requests_nothing(table_page, browser):
    browser.call("Network.enable")
    browser.call("Network.emulateNetworkConditions", offline=True, latency=0,
                 downloadThroughput=-1, uploadThroughput=-1)
    try:
        browser.open(table_page)
        time.sleep(1)
        requests = [e["params"]["request"]["url"] for e in browser.events
                    if e.get("method") == "Network.requestWillBeSent"]
        failed = [e for e in browser.events if e.get("method") == "Network.loadingFailed"]
        rows = browser.call("Runtime.evaluate", returnByValue=True, expression=(
            "document.querySelectorAll('table.dataTable tbody tr').length"))["result"]["value"]
    finally:
        browser.call("Network.emulateNetworkConditions", offline=False, latency=0,
                     downloadThroughput=-1, uploadThroughput=-1)
    assert [u for u in requests if not u.startswith(("file:", "data:", "blob:"))] == []
    assert failed == []
    assert rows == 5  # the interactive table was built from the inlined library


def test_search_box_filters_the_rows(table_page, browser):
    browser.open(table_page)
    time.sleep(1)
    count = browser.call("Runtime.evaluate", returnByValue=True, awaitPromise=True, expression="""
      (async () => {
        const box = document.querySelector('div.dt-search input, .dataTables_filter input');
        box.value = '青岛'; box.dispatchEvent(new Event('input', {bubbles: true}));
        await new Promise(r => setTimeout(r, 500));
        return document.querySelectorAll('table.dataTable tbody tr').length;
      })()""")["result"]["value"]
    assert count == 1


def test_concordance_highlights_the_keyword_on_one_line_per_hit(table_page, browser):
    browser.open(table_page)
    lines = browser.call("Runtime.evaluate", returnByValue=True, expression="""
      [...document.querySelectorAll('table.fazhi-kwic tr')].map(tr => [
        tr.querySelector('mark').innerText, getComputedStyle(tr.querySelector('.pre')).textAlign,
        tr.getBoundingClientRect().height])""")["result"]["value"]
    assert lines and all(key == "放管服" for key, _, _ in lines)
    assert {align for _, align, _ in lines} == {"right"}
    assert max(h for _, _, h in lines) < 40  # one line per hit, no wrapping
