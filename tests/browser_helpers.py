"""Headless Chromium (Debian's ``chromium``) driven over the DevTools protocol: open a page,
run a script in it, take a screenshot. Used by the browser tests."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import subprocess
import time
import urllib.request
from pathlib import Path

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# What works as root in a container: no sandbox, no GPU, nothing reaching out to the network.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--remote-debugging-port=0", "--window-size=1280,1600"]

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

    def wait_for_tables(self, timeout: float = 30) -> int:
        """Wait until every interactive table of the page is built (itables draws them with
        DataTables after the load event; on a busy machine that can take seconds); return
        how many there are."""
        expression = ("[document.querySelectorAll('table[id^=\"itables_\"]').length,"
                      " document.querySelectorAll('table[id^=\"itables_\"].dataTable').length]")
        deadline = time.monotonic() + timeout
        while True:
            total, built = self.call("Runtime.evaluate", returnByValue=True,
                                     expression=expression)["result"]["value"]
            if built >= total or time.monotonic() > deadline:
                return built
            time.sleep(0.2)

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
