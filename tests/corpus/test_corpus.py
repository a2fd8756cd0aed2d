"""load_corpus: the docs and paragraphs contracts, bad files in a batch, duplicates, the
sidecar, filtering, and the `fazhi corpus` command."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

import fazhi
from fazhi.cli import main
from fazhi.corpus.model import DOC_COLUMNS, PARA_COLUMNS
from fazhi.exceptions import CorpusError, MetadataError, ParameterError

REPORT = ("关于2020年度法治政府建设情况的报告\n2020年,区司法局全面推进依法行政。\n"
          "一、主要举措和成效\n全年办理行政复议案件15件。\n二、存在问题\n一是队伍建设有待加强。\n"
          "三、下一步工作计划\n进一步加强执法监督。\n武侯区司法局\n2021年1月12日\n")


@pytest.fixture
def folder(tmp_path):
    d = tmp_path / "reports"
    d.mkdir()
    (d / "wuhou.txt").write_text(REPORT, encoding="utf-8")
    (d / "wuhou_gbk.txt").write_bytes(REPORT.replace("武侯区", "锦江区").encode("gb18030"))
    return d


def test_contract_columns(seed_corpus):
    assert list(seed_corpus.docs.columns) == DOC_COLUMNS
    assert list(seed_corpus.paragraphs.columns) == PARA_COLUMNS


def test_seed_doc_ids_are_file_stems(seed_corpus):
    assert seed_corpus.docs["doc_id"].str[:4].tolist() == ["000_", "001_", "002_", "003_", "004_"]


def test_no_boilerplate_left_in_any_text(seed_corpus):
    for junk in ("您访问的链接即将离开", "扫一扫在手机打开当前页", "触碰右侧展开", "您现在的位置",
                 "信息提供日期", "视力保护色", "市政府部门\n"):
        assert not seed_corpus.docs["text"].str.contains(junk, regex=False).any(), junk


def test_paragraph_offsets_index_the_doc_text(seed_corpus):
    texts = seed_corpus.docs.set_index("doc_id")["text"]
    for p in seed_corpus.paragraphs.itertuples():
        assert texts[p.doc_id][p.start:p.end].strip() == p.text


def test_folder_with_encodings_and_a_bad_file_loads_the_rest(folder):
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 truncated")
    with pytest.warns(UserWarning, match="broken.pdf"):
        corp = fazhi.load_corpus(folder)
    assert sorted(corp.docs["county"]) == ["武侯区", "锦江区"]
    assert corp.docs.set_index("county").loc["锦江区", "encoding"] in ("gb18030", "gbk", "gb2312")
    assert corp.errors["path"].str.endswith("broken.pdf").tolist() == [True]
    assert (folder / "broken.pdf").read_bytes() == b"%PDF-1.4 truncated"  # never modified


def test_identical_texts_are_kept_once(folder):
    shutil.copy(folder / "wuhou.txt", folder / "wuhou_copy.txt")
    with pytest.warns(UserWarning, match="same text"):
        corp = fazhi.load_corpus(folder)
    assert len(corp) == 2
    assert "wuhou" in corp.errors["error"].iloc[0]


def test_sidecar_overrides_inferred_fields(folder):
    (folder / "metadata.csv").write_text("file,year,organ\nwuhou.txt,2019,成都市武侯区司法局\n",
                                         encoding="utf-8")
    docs = fazhi.load_corpus(folder).docs.set_index("county")
    assert (docs.loc["武侯区", "year"], docs.loc["武侯区", "organ"]) == (2019, "成都市武侯区司法局")
    assert docs.loc["锦江区", "year"] == 2020


def test_sidecar_with_unknown_column_is_an_error(folder):
    (folder / "metadata.csv").write_text("file,yaer\nwuhou.txt,2019\n", encoding="utf-8")
    with pytest.raises(MetadataError, match="yaer"):
        fazhi.load_corpus(folder)


def test_folder_of_only_bad_files_is_an_error(tmp_path):
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    with pytest.raises(CorpusError, match="empty.txt"), pytest.warns(UserWarning):
        fazhi.load_corpus(tmp_path)


def test_bad_workers_parameter():
    with pytest.raises(ParameterError, match="workers"):
        fazhi.load_corpus(workers=0)


def test_filter_by_place_and_year(seed_corpus):
    guangdong_2020s = seed_corpus.filter(years=range(2020, 2023), places="广东省")
    assert sorted(guangdong_2020s.docs["place"]) == ["普宁市", "汕尾市", "海丰县"]
    assert set(guangdong_2020s.paragraphs["doc_id"]) == set(guangdong_2020s.docs["doc_id"])


def test_filter_by_doc_ids_and_clear_errors_for_what_is_not_a_year(seed_corpus):
    ids = seed_corpus.docs["doc_id"].tolist()
    two = seed_corpus.filter(doc_ids=ids[:2])
    assert two.docs["doc_id"].tolist() == ids[:2]
    assert set(two.paragraphs["doc_id"]) == set(ids[:2])
    assert len(seed_corpus.filter(doc_ids=ids[0], places="广东省")) <= 1
    with pytest.raises(ParameterError, match="doc_ids: \\['nope'\\] not in the corpus"):
        seed_corpus.filter(doc_ids=["nope", ids[0]])
    # a pandas-style mask is not a list of years: said so, with what to use instead
    mask = seed_corpus.docs["doc_id"].isin(ids[:2])
    with pytest.raises(ParameterError, match="years: expected years such as 2020, got "
                                             "(np.)?True.*doc_ids="):
        seed_corpus.filter(mask)
    with pytest.raises(ParameterError, match="got 2020.7"):
        seed_corpus.filter(years=[2020.7])
    year = int(seed_corpus.docs["year"].iloc[0])
    assert len(seed_corpus.filter(years=np.int64(year))) == len(seed_corpus.filter(years=year))
    assert len(seed_corpus.filter(years=[float(year)])) == len(seed_corpus.filter(years=year))


def test_a_message_about_a_large_corpus_lists_a_few_values(seed_corpus):
    years = list(range(1900, 1990))
    with pytest.raises(ParameterError) as error:
        seed_corpus.filter(years=years)
    assert "78 more" in str(error.value) and len(str(error.value)) < 600


def test_parallel_load_equals_serial(folder, monkeypatch):
    import fazhi._parallel

    monkeypatch.setattr(fazhi._parallel, "PARALLEL_MIN_CHARS", 1)
    serial = fazhi.load_corpus(folder)
    parallel = fazhi.load_corpus(folder, workers=2)
    assert serial.docs.equals(parallel.docs)
    assert serial.paragraphs.equals(parallel.paragraphs)


def test_cli_corpus_json_on_the_seeds(capsys):
    assert main(["corpus", "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert [r["year"] for r in records] == [2020, 2022, 2021, 2020, 2018]
    assert [r["place"] for r in records] == ["普宁市", "汕尾市", "海丰县", "青岛市", "深圳市"]
    assert [r["date"] for r in records] == ["2020-12-23", "2023-01-10", "2022-01-05", "", "2019-01-04"]
    assert set(records[0]) == set(DOC_COLUMNS) - {"text"}  # metadata only


def test_cli_reports_a_missing_path(capsys, tmp_path):
    assert main(["corpus", str(tmp_path / "nowhere")]) == 2
    assert "nowhere" in capsys.readouterr().err


def test_written_tables_get_the_usual_file_permissions(tmp_path):
    import os

    import pandas as pd

    mask = os.umask(0o022)
    try:
        fazhi.save_table(pd.DataFrame({"指标": ["办复率"], "值": [100.0]}), "facts", tmp_path)
    finally:
        os.umask(mask)
    path = tmp_path / "facts.csv"
    assert oct(path.stat().st_mode & 0o777) == oct(0o644)
    assert path.read_text(encoding="utf-8-sig").splitlines() == ["指标,值", "办复率,100.0"]
    assert not list(tmp_path.glob(".*.part"))


def test_sidecar_place_fills_place_and_level_and_answers_the_warning(tmp_path):
    (tmp_path / "report.txt").write_text(
        "一、主要工作\n全面推进依法行政,办理行政复议案件12件。\n二、下一步计划\n继续加强执法监督。\n",
        encoding="utf-8")
    (tmp_path / "metadata.csv").write_text(
        "file,province,city,county,organ\nreport.txt,广东省,揭阳市,普宁市,普宁市司法局\n", encoding="utf-8")
    doc = fazhi.load_corpus(tmp_path).docs.iloc[0]
    assert (doc["place"], doc["level"], doc["organ_type"]) == ("普宁市", "县", "部门")
    assert "place not found" not in doc["warnings"] and "organ not found" not in doc["warnings"]
    assert "no date line" in doc["warnings"]


def test_filter_that_matches_nothing_names_what_there_is(seed_corpus):
    with pytest.raises(ParameterError, match=r"places=\['西藏自治区'\].*广东省|深圳市"):
        seed_corpus.filter(places=["西藏自治区"])
    with pytest.raises(ParameterError, match="2018, 2020, 2021, 2022"):
        fazhi.load_corpus(years=[1999])
