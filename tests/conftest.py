"""Shared fixtures: the bundled seeds loaded once, and isolated caches for every test run."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")
# Tests never read or write the user's token cache.
os.environ.setdefault("FAZHI_CACHE_DIR", tempfile.mkdtemp(prefix="fazhi-test-cache-"))


@pytest.fixture(scope="session")
def seed_corpus():
    """The five bundled reports, loaded once per test session."""
    import fazhi

    return fazhi.load_corpus()


@pytest.fixture(scope="session")
def seed_docs(seed_corpus):
    """docs table indexed by the seed file's number prefix ("000" … "004")."""
    return seed_corpus.docs.set_index(seed_corpus.docs["doc_id"].str[:3])


def _load_benchmark(name: str):
    """Import ``benchmarks/<name>.py`` (a script folder, not a package)."""
    import importlib.util
    import sys
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "benchmarks" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(name, module)  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def load_benchmark():
    """``load_benchmark("synth")`` imports a script of ``benchmarks/``."""
    return _load_benchmark


@pytest.fixture(scope="session")
def mixed_reports(tmp_path_factory, load_benchmark):
    """The seeds, seven synthetic reports (in GB18030, HTML, 繁體 …), one of them under a
    seed's file stem, copies of two reports under other names, an empty file, and a sidecar
    that changes one year."""
    import fazhi

    folder = tmp_path_factory.mktemp("reports")
    shutil.copytree(fazhi.seeds_dir(), folder, dirs_exist_ok=True)
    synth = load_benchmark("synth")
    for i in range(6):
        synth.write_report(i, folder)
    seeds = sorted(fazhi.seeds_dir().glob("*.txt"))
    shutil.copy(seeds[1], folder / "zz_copy_of_001.txt")
    sub = folder / "sub"
    sub.mkdir()
    synth.write_report(6, sub)
    (sub / "report_00006.txt").rename(sub / f"{seeds[0].stem}.txt")
    shutil.copy(folder / "report_00002.txt", sub / "dup.txt")
    (folder / "sub" / "empty.txt").write_bytes(b"")
    (folder / "metadata.csv").write_text("file,year\nreport_00003,2017\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """Headless Chromium; skipped without it, except in CI (``CI=true``) where it must be."""
    from browser_helpers import CHROMIUM, Chromium

    if not Path(CHROMIUM).is_file():
        message = f"{CHROMIUM} not found; run `bash scripts/install-browser.sh`"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    chromium = Chromium(tmp_path_factory.mktemp("chromium-profile"))
    yield chromium
    chromium.close()
