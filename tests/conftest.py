"""Shared fixtures: the bundled seeds loaded once, and isolated caches for every test run."""

from __future__ import annotations

import os
import tempfile

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
