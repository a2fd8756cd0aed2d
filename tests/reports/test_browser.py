"""End to end: render the bundled notebooks on the seeds, then open the index and every report
in headless Chromium (Debian's ``chromium``) and look at them the way a reader would: the page
loads, every plot has loaded, no cell failed, the Chinese text is there. Screenshots are
saved next to the reports and copied to ``outputs/screenshots/`` for the README.

Locally the test is skipped without Chromium (``bash scripts/install-browser.sh`` installs it);
in CI (``CI=true``) a missing browser is a failure.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from fazhi.reports.config import available_notebooks
from fazhi.reports.execute import render

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# What works as root in a container: no sandbox, no GPU, nothing reaching out to the network.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--remote-debugging-port=0", "--window-size=1280,1600"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "outputs" / "screenshots"

# Runs in the page once it has loaded: waits for every image, then reports what a reader sees.
INSPECT = """(async () => {
  const images = [...document.images];
  await Promise.all(images.map(img => img.complete ? null
    : new Promise(done => { img.onload = img.onerror = done; })));
  const stderr = [...document.querySelectorAll(
    '[data-mime-type="application/vnd.jupyter.stderr"]')].map(e => e.innerText);
  return {
    title: document.title,
    text: document.body.innerText,
    images: images.map(img => img.naturalWidth),
    errorMarkers: document.querySelectorAll('.celltag_papermill-error-cell-tag').length,
    errorOutputs: stderr.filter(t => /Traceback|Error\\b/.test(t)).length,
    failedRows: document.querySelectorAll('tr.failed').length,
  };
})()"""


class Chromium:
    """Just enough of the DevTools protocol to open a page, run a script and take a picture."""

    def __init__(self, profile: Path):
        self.proc = subprocess.Popen([CHROMIUM, *FLAGS, f"--user-data-dir={profile}",
                                      "about:blank"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not (port_file.is_file() and port_file.read_text().strip()):
            if time.monotonic() > deadline or self.proc.poll() is not None:
                self.close()
                raise RuntimeError(f"{CHROMIUM} did not open its debugging port")
            time.sleep(0.1)
        port = port_file.read_text().split()[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as r:
            page = next(t for t in json.load(r) if t["type"] == "page")
        # tornado comes with the Jupyter kernel stack, so no extra websocket package is needed.
        from tornado.websocket import websocket_connect

        async def connect():  # tornado binds the connection to the loop running it
            return await websocket_connect(page["webSocketDebuggerUrl"],
                                           max_message_size=1 << 28)

        self.loop = asyncio.new_event_loop()
        self.ws = self.loop.run_until_complete(connect())
        self.events: list[dict] = []
        self.next_id = 0
        self.call("Page.enable")

    async def _receive(self, timeout: float) -> dict:
        message = await asyncio.wait_for(self.ws.read_message(), timeout)
        if message is None:
            raise RuntimeError("Chromium closed the connection")
        return json.loads(message)

    def call(self, method: str, timeout: float = 60, **params) -> dict:
        self.next_id += 1
        self.ws.write_message(json.dumps({"id": self.next_id, "method": method,
                                          "params": params}))
        while True:
            message = self.loop.run_until_complete(self._receive(timeout))
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message["result"]
            self.events.append(message)

    def open(self, path: Path) -> None:
        self.events.clear()
        self.call("Page.navigate", url=path.as_uri())
        deadline = time.monotonic() + 60
        while not any(e.get("method") == "Page.loadEventFired" for e in self.events):
            self.events.append(self.loop.run_until_complete(
                self._receive(max(0.1, deadline - time.monotonic()))))

    def inspect(self) -> dict:
        reply = self.call("Runtime.evaluate", expression=INSPECT, returnByValue=True,
                          awaitPromise=True)
        if "exceptionDetails" in reply:
            raise RuntimeError(reply["exceptionDetails"])
        return reply["result"]["value"]

    def screenshot(self, target: Path) -> Path:
        png = self.call("Page.captureScreenshot", format="png")["data"]
        target.write_bytes(base64.b64decode(png))
        return target

    def close(self) -> None:
        if getattr(self, "ws", None) is not None:
            self.ws.close()
            self.loop.close()
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not Path(CHROMIUM).is_file():
        message = f"{CHROMIUM} not found; run `bash scripts/install-browser.sh`"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    chromium = Chromium(tmp_path_factory.mktemp("chromium-profile"))
    yield chromium
    chromium.close()


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
