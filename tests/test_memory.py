"""Freed memory given back to the system (fazhi._memory) and the loader's batches."""

from __future__ import annotations

import os
import subprocess
import sys

import pandas as pd
import pytest

import fazhi
from fazhi.corpus import load as load_module

_FRAGMENTED = """
import psutil
from fazhi._memory import release_memory

mb = lambda: psutil.Process().memory_info().rss / 2**20
blocks = [bytearray(4096) for _ in range(100_000)]   # 400 MB from malloc, not pymalloc
kept = blocks[::64]                                  # a live block every 256 KB of heap
del blocks
before = mb()
asked = release_memory()
print(asked, before, mb())
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="malloc_trim is glibc's")
def test_release_memory_gives_back_freed_heap_pages():
    out = subprocess.run([sys.executable, "-c", _FRAGMENTED], capture_output=True, text=True,
                         check=True).stdout.split()
    asked, before, after = out[0] == "True", float(out[1]), float(out[2])
    assert asked
    # 390 MB were freed but stayed mapped between the live blocks; trimming returns them
    assert before > 300
    assert before - after > 250, (before, after)


_ARROW_FREED = """
import psutil, pyarrow as pa
from fazhi._memory import release_memory

mb = lambda: psutil.Process().memory_info().rss / 2**20
arrays = [pa.array(["本级" * 20] * 2000) for _ in range(2000)]   # ~500 MB in Arrow's pool
kept = arrays[::50]
del arrays
before = mb()
release_memory()
print(before, mb())
"""


def test_release_memory_gives_back_arrows_freed_pages():
    # Arrow's own pool (mimalloc, jemalloc) keeps freed pages as glibc does
    out = subprocess.run([sys.executable, "-c", _ARROW_FREED], capture_output=True,
                         text=True, check=True).stdout.split()
    before, after = float(out[0]), float(out[1])
    assert before > 400
    assert before - after > 300, (before, after)


def test_loader_batches_build_the_tables_one_batch_would(monkeypatch, tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    for path in sorted(fazhi.seeds_dir().iterdir()):
        if path.suffix == ".txt":
            (folder / path.name).write_bytes(path.read_bytes())
    # a repeated text and an unreadable file, so ids and errors cross batch boundaries
    first = sorted(folder.iterdir())[0]
    (folder / "zz_copy.txt").write_bytes(first.read_bytes())
    (folder / "broken.pdf").write_bytes(b"not a pdf")
    with pytest.warns(UserWarning):
        whole = fazhi.load_corpus(folder)
    monkeypatch.setattr(load_module, "_BATCH_DOCS", 2)
    with pytest.warns(UserWarning):
        batched = fazhi.load_corpus(folder)
    assert len(whole) >= 5
    for name in ("docs", "paragraphs", "removed", "errors"):
        pd.testing.assert_frame_equal(getattr(batched, name), getattr(whole, name))
    assert len(whole.errors) == 2


def _square(x: int) -> int:
    return x * x


def test_processes_take_jobs_as_they_go_and_keep_the_order():
    from fazhi import _parallel

    taken = []

    def jobs():
        for i in range(400):
            taken.append(i)
            yield i

    results = _parallel.imap_in_processes(_square, jobs(), 2, size=10**9, chunksize=4,
                                          total=400)
    first = [next(results) for _ in range(3)]
    # two processes, WINDOW chunks of 4 each ahead of the reader, and the next chunk
    assert first == [0, 1, 4]
    assert len(taken) <= (2 * _parallel.WINDOW + 1) * 4 + 4 < 400
    assert list(results) == [i * i for i in range(3, 400)]


_STATE: list[str] = []


def _set_state(value: str) -> None:
    _STATE[:] = [value]


def _tagged(x: int) -> tuple[int, str, int]:
    return x, _STATE[0] if _STATE else "", os.getpid()


def test_a_shared_pool_keeps_its_processes_and_runs_each_map_s_initializer():
    from fazhi import _parallel

    def run(tag: str | None) -> list[tuple[int, str, int]]:
        init = (_set_state, (tag,)) if tag else (None, ())
        return _parallel.map_in_processes(_tagged, range(40), 2, size=10**9, chunksize=2,
                                          initializer=init[0], initargs=init[1])

    alone = {pid for _, _, pid in run("a")}
    with _parallel.shared_processes(2):
        maps = [run("a"), run("b"), run("a")]
        plain = run(None)
        with _parallel.shared_processes(2):  # a nested block uses the outer pool
            maps.append(run("b"))
    used = {pid for m in [*maps, plain] for _, _, pid in m}
    # the same two processes for every map, not those of a map outside the block
    assert len(used) <= 2 and not used & alone and os.getpid() not in used
    assert [x for x, _, _ in plain] == list(range(40))
    for m, want in zip(maps, ["a", "b", "a", "b"]):
        # results in order; each job saw its own map's initializer, though the process
        # ran another map's in between
        assert [x for x, _, _ in m] == list(range(40))
        assert {state for _, state, _ in m} == {want}
    assert _parallel._SHARED is None  # closed with its block


def test_tokens_made_compact_in_parts_are_those_of_one_part(monkeypatch, tmp_path):
    from fazhi.tokens import segment

    monkeypatch.setenv("FAZHI_CACHE_DIR", str(tmp_path / "cache"))

    corpus = fazhi.load_corpus()
    whole = fazhi.tokenize_corpus(corpus, cache=False)
    monkeypatch.setattr(segment, "_PART_TEXTS", 7)
    monkeypatch.setattr(segment, "_CHUNK_CHARS", 500)
    parted = fazhi.tokenize_corpus(corpus)  # fills the cache a part at a time
    warm = fazhi.tokenize_corpus(corpus)    # and reads it back from those parts
    assert len(corpus.paragraphs) > 7 * 10
    for tokens in (parted, warm):
        assert tokens.tokens == whole.tokens
        pd.testing.assert_frame_equal(tokens.units, whole.units)


def test_trends_by_metadata_with_unknown_values_from_categorical_facts():
    # city-level seeds have no county: "" is one of the categories of the facts' county
    facts = fazhi.extract_facts(fazhi.load_corpus())
    assert isinstance(facts["county"].dtype, pd.CategoricalDtype)
    assert "" in set(facts["county"].cat.categories)
    table = fazhi.trend_table(facts, "网上留言数", by="county")
    assert "(未知)" in set(table.index.get_level_values("county"))


def test_stored_facts_keep_their_dtypes(tmp_path):
    from fazhi.corpus import store

    facts = fazhi.extract_facts(fazhi.load_corpus())
    half = len(facts) // 2
    store.write_part(facts.iloc[:half], tmp_path, "facts", 0)
    store.write_part(facts.iloc[half:], tmp_path, "facts", 1)
    back = store.read_table(tmp_path, "facts")
    assert str(back["year"].dtype) == "Int64"
    assert isinstance(back["sentence"].dtype, pd.CategoricalDtype)
    assert back["sentence"].tolist() == facts["sentence"].tolist()


def test_token_units_hold_each_reports_metadata_once(seed_corpus):
    tokens = fazhi.tokenize_corpus(seed_corpus)
    units, docs = tokens.units, seed_corpus.docs
    expected = seed_corpus.paragraphs[["doc_id"]].merge(docs, on="doc_id", how="left")
    for column in ("title", "organ", "place", "province", "date"):
        values = units[column]
        assert isinstance(values.dtype, pd.CategoricalDtype), column
        assert len(values.cat.categories) <= len(docs)
        assert values.astype(object).tolist() == expected[column].astype(object).tolist()
    assert str(units["year"].dtype) == "Int64"
    # codes, not a copy of the title on each paragraph
    as_strings = units["title"].astype("str").memory_usage(deep=True)
    assert units["title"].memory_usage(deep=True) * 5 < as_strings


def test_analysis_tables_hold_plain_columns_from_categorical_units(seed_corpus):
    tokens = fazhi.tokenize_corpus(seed_corpus)
    by_place = fazhi.term_frequency(tokens, by="place")
    by_doc = fazhi.term_frequency(tokens, by="doc_id")
    model = fazhi.fit_topics(tokens, n_topics=3)
    tables = {"by place": by_place, "by doc": by_doc, "kwic": fazhi.kwic(tokens, "政府"),
              "prevalence": model.prevalence(by="place"),
              "representative": model.representative(corpus=seed_corpus)}
    for name, table in tables.items():
        assert len(table), name
        held = [c for c in table.columns if isinstance(table[c].dtype, pd.CategoricalDtype)]
        assert not held, (name, held)
    nothing = fazhi.kwic(tokens, "没有这个词语")  # no rows: still plain columns
    assert nothing.empty and "place" in nothing.columns
    assert not any(isinstance(d, pd.CategoricalDtype) for d in nothing.dtypes)
    # the per-unit table keeps the units' categoricals, as tokens.units does
    assert isinstance(model.unit_topics["place"].dtype, pd.CategoricalDtype)
    assert set(by_place["place"]) == set(seed_corpus.docs["place"])
    titles = dict(zip(seed_corpus.docs["doc_id"], seed_corpus.docs["title"]))
    assert all(titles[d] == t for d, t in zip(by_doc["doc_id"], by_doc["title"]))


def test_facts_short_text_columns_are_not_python_objects(seed_corpus):
    facts = fazhi.extract_facts(seed_corpus)
    assert len(facts) > 100
    for column in ("about", "bound", "reviewed", "label", "unit", "fact_id"):
        assert facts[column].dtype != object, column
    assert facts["about"].isin(["本级"]).any() and (facts["bound"] == "").any()


def test_units_of_a_corpus_whose_doc_ids_repeat_are_refused(seed_corpus):
    from fazhi.corpus.model import Corpus

    docs = pd.concat([seed_corpus.docs, seed_corpus.docs.iloc[:1]], ignore_index=True)
    with pytest.raises(ValueError, match="on more than one row"):
        fazhi.tokenize_corpus(Corpus(docs=docs, paragraphs=seed_corpus.paragraphs))
