"""One report set per value (each=province …), runs named after their corpus."""

from __future__ import annotations

import re
import shutil

import pytest

from fazhi._resources import seeds_dir
from fazhi.exceptions import ConfigError
from fazhi.reports.execute import render

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def per_province(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    return render(seeds_dir(), notebooks=["00"], each="province", out=out, workers=2,
                  progress=False)


def test_each_province_gets_its_own_report_set(per_province):
    assert sorted(r.name for r in per_province.runs) == ["seeds/山东省", "seeds/广东省"]
    assert per_province.ok
    for province in ("山东省", "广东省"):
        assert (per_province.out / "seeds" / province / "00_corpus_overview.html").is_file()


def test_each_report_set_holds_only_its_province(per_province):
    import pandas as pd

    docs = pd.read_csv(per_province.out / "seeds" / "广东省" / "00_corpus_overview_tables" /
                       "documents.csv", encoding="utf-8-sig")
    assert sorted(docs["place"]) == ["普宁市", "汕尾市", "海丰县", "深圳市"]


def test_index_groups_the_report_sets_under_their_run(per_province):
    index = per_province.index.read_text(encoding="utf-8")
    assert index.count("运行 Run: seeds") == 1
    assert re.search(r"<h3>province: 山东省</h3>", index)
    links = set(re.findall(r'href="([^"#]+\.html)"', index))
    assert {"seeds/山东省/00_corpus_overview.html",
            "seeds/广东省/00_corpus_overview.html"} <= links


def test_a_corpus_folder_names_its_run(tmp_path):
    corpus = tmp_path / "mycorpus"
    shutil.copytree(seeds_dir(), corpus)
    report = render(corpus, notebooks=["00"], out=tmp_path / "out", progress=False)
    assert [r.name for r in report.runs] == ["mycorpus"]
    assert (tmp_path / "out" / "mycorpus" / "00_corpus_overview.html").is_file()
    assert "mycorpus" in report.index.read_text(encoding="utf-8")


def test_each_on_a_column_that_is_not_metadata_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="each='text' is not a docs column"):
        render(notebooks=["00"], each="text", out=tmp_path, progress=False)
