"""Batch rendering, specified on three small notebooks written for the test: one saves a table,
one raises, one draws a plot. The bundled notebooks are exercised by the browser test."""

from __future__ import annotations

import logging
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from notebook_helpers import write_config, write_notebook

import fazhi
import fazhi.corpus.load
import fazhi.reports.worker as worker
from fazhi.cli import main
from fazhi.exceptions import ConfigError, ParameterError
from fazhi.reports.config import load_config
from fazhi.reports.execute import choose_kernel, render
from fazhi.reports.inspection import notebook_parameters
from fazhi.reports.worker import Task

UMASK = 0o027
SHARED = "corpus = None\nmetadata = None\noutput_dir = None\n"


@pytest.fixture(scope="module")
def notebooks(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("notebooks")
    write_notebook(
        folder / "terms.ipynb", "词频 Terms", SHARED + "top_n = 3",
        "import pandas as pd\nimport fazhi",
        "fazhi.save_table(pd.DataFrame({'词': ['法治政府'] * top_n}), 'top_terms', output_dir)")
    write_notebook(
        folder / "broken.ipynb", "出错 Broken", SHARED,
        "x = 1",
        "raise ValueError('第二部分缺失\\nsecond part missing')",
        "y = 2")
    write_notebook(
        folder / "plot.ipynb", "图表 Plot", SHARED,
        "import matplotlib.pyplot as plt\nimport fazhi\nfazhi.use_cjk_font()",
        "plt.bar(['成效', '问题'], [3, 1]); plt.title('段落 paragraphs'); plt.show()",
        # What the index reads to show the corpus covered (notebook 00 saves the same table).
        "fazhi.save_table(fazhi.documents_table(fazhi.load_corpus(corpus)), 'documents', "
        "output_dir)")
    return folder


@pytest.fixture(scope="module")
def rendered(notebooks, tmp_path_factory):
    """One render of two runs: the three notebooks, then terms with its own parameters."""
    config = write_config(notebooks, """\
runs:
  - name: all
    notebooks: [terms.ipynb, broken.ipynb, plot.ipynb]
  - name: top5
    notebooks: [terms.ipynb]
    parameters: {top_n: 5}
""")
    out = tmp_path_factory.mktemp("outputs")
    # Neither 0600 (mkstemp's) nor 0644 (the usual): the files must follow the umask.
    old = os.umask(UMASK)
    try:
        # The corpus is loaded once here, saved as a store, and every notebook reads that.
        calls = []
        real = fazhi.corpus.load.load_corpus
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(fazhi.corpus.load, "load_corpus",
                       lambda *a, **k: calls.append(a) or real(*a, **k))
            report = render(config=config, out=out, workers=2, progress=False)
        report.main_process_loads = len(calls)
        return report
    finally:
        os.umask(old)


def result(report, run: str, notebook: str):
    return next(r for r in report.results if (r.run, r.notebook) == (run, notebook))


# --- parameters and config: checked before anything runs ------------------------------------

def test_notebook_parameters_lists_the_assigned_names_in_order(notebooks):
    assert notebook_parameters(notebooks / "terms.ipynb") == [
        "corpus", "metadata", "output_dir", "top_n"]


def test_notebook_parameters_reads_annotated_and_tuple_assignments(tmp_path):
    nb = write_notebook(tmp_path / "n.ipynb", "n", "years: list | None = None\na, b = 1, 2")
    assert notebook_parameters(nb) == ["years", "a", "b"]


def test_notebook_without_parameters_cell_is_a_parameter_error(tmp_path):
    nb = write_notebook(tmp_path / "bare.ipynb", "bare", None, "x = 1")
    with pytest.raises(ParameterError, match=r"bare\.ipynb: no cell is tagged 'parameters'"):
        notebook_parameters(nb)


def test_default_config_is_one_run_named_seeds_over_the_bundled_notebooks():
    runs = load_config()
    assert [r.name for r in runs] == ["seeds"]
    assert "00_corpus_overview" in [p.stem for p in runs[0].notebooks]


def test_missing_config_names_the_file(tmp_path):
    with pytest.raises(ConfigError, match=r"nope\.yml: render config not found"):
        load_config(tmp_path / "nope.yml")


def test_repeated_run_name_is_a_config_error(notebooks):
    config = write_config(notebooks, "runs:\n  - name: a\n  - name: a\n")
    with pytest.raises(ConfigError, match=r"run 'a': the name is used by an earlier run"):
        load_config(config)


def test_run_name_that_is_not_a_folder_name_is_a_config_error(notebooks):
    config = write_config(notebooks, "runs:\n  - name: ../escape\n")
    with pytest.raises(ConfigError, match=r"run 1: 'name' must be a folder name"):
        load_config(config)


def test_unknown_run_key_is_a_config_error(notebooks):
    config = write_config(notebooks, "runs:\n  - name: a\n    params: {top_n: 3}\n")
    with pytest.raises(ConfigError, match=r"run 'a': unknown key\(s\) params"):
        load_config(config)


def test_unknown_notebook_is_a_config_error_listing_the_bundled_ones(notebooks):
    config = write_config(notebooks, "runs:\n  - name: a\n    notebooks: [99_missing]\n")
    with pytest.raises(ConfigError, match=r"notebook '99_missing' not found .*00_corpus_overview"):
        load_config(config)


def test_bundled_notebook_is_found_by_its_number():
    [run] = load_config(notebooks=["00"])
    assert [p.name for p in run.notebooks] == ["00_corpus_overview.ipynb"]


def test_unquoted_notebook_number_in_config_finds_the_notebook(notebooks):
    config = write_config(notebooks, "runs:\n  - name: a\n    notebooks: [00]\n")
    [run] = load_config(config)
    assert [p.name for p in run.notebooks] == ["00_corpus_overview.ipynb"]


def test_corpus_path_in_config_is_relative_to_the_config_file(notebooks):
    config = write_config(notebooks, "runs:\n  - name: a\n    parameters: {corpus: reports}\n")
    [run] = load_config(config)
    assert run.parameters["corpus"] == str((notebooks / "reports").resolve())


def test_choose_kernel_prefers_the_project_kernel():
    assert choose_kernel(["python3", "fazhi"]) == "fazhi"


def test_choose_kernel_falls_back_to_python3_and_says_how_to_install(caplog):
    with caplog.at_level(logging.WARNING, logger="fazhi.reports.execute"):
        assert choose_kernel(["python3"]) == "python3"
    assert "ipykernel install --sys-prefix --name fazhi" in caplog.text


def test_unknown_parameter_stops_the_render_before_any_kernel_starts(notebooks, tmp_path):
    config = write_config(notebooks, "runs:\n  - name: typo\n    notebooks: [terms.ipynb]\n"
                                     "    parameters: {top_nn: 5}\n")
    with pytest.raises(ConfigError, match=r"run 'typo', notebook terms: unknown parameter\(s\) "
                                          r"'top_nn'"):
        render(config=config, out=tmp_path, progress=False)
    assert not (tmp_path / "typo").exists() and not (tmp_path / "index.html").exists()


def test_corpus_path_reaches_the_notebook_as_its_corpus_parameter(tmp_path):
    # A notebook without a corpus parameter could not honour the path: an error, not a no-op.
    write_notebook(tmp_path / "nocorpus.ipynb", "无语料 No corpus", "output_dir = None")
    config = write_config(tmp_path, "runs:\n  - name: r\n    notebooks: [nocorpus.ipynb]\n")
    (tmp_path / "reports").mkdir()
    with pytest.raises(ConfigError, match="unknown parameter\\(s\\) 'corpus'"):
        render(tmp_path / "reports", config=config, out=tmp_path / "out", progress=False)


def test_cli_names_each_problem_on_stderr_and_exits_2(notebooks, tmp_path, capsys):
    config = write_config(notebooks, "runs:\n  - name: typo\n    notebooks: [terms.ipynb]\n"
                                     "    parameters: {top_nn: 5}\n")
    code = main(["render", "--config", str(config), "--out", str(tmp_path)])
    assert code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "  run 'typo', notebook terms: unknown parameter(s) 'top_nn' (its parameters "
        "cell defines: corpus, metadata, output_dir, top_n)")


# --- retry of a kernel that did not start ---------------------------------------------------

def _task(notebooks: Path, out: Path) -> Task:
    return Task(
        "r", notebooks / "terms.ipynb", {}, out / "terms.ipynb", out / "terms.html",
        out / "terms_tables", "fazhi", False, 60)


def test_kernel_that_did_not_start_is_retried_once(notebooks, tmp_path, monkeypatch):
    calls = []

    def fake(task, target, log=None):
        calls.append(target)
        if len(calls) == 1:
            return "RuntimeError: Kernel didn't respond in 60 seconds"
        nbformat.write(new_notebook(cells=[new_markdown_cell("# 好")]), str(target))
        return ""

    monkeypatch.setattr(worker, "_papermill", fake)
    outcome = worker.execute(_task(notebooks, tmp_path))
    assert (outcome["status"], outcome["attempts"]) == ("ok", 2)


def test_kernel_that_never_starts_fails_after_the_retry(notebooks, tmp_path, monkeypatch):
    monkeypatch.setattr(worker, "_papermill",
                        lambda task, target, log=None: "RuntimeError: Kernel died before replying")
    outcome = worker.execute(_task(notebooks, tmp_path))
    assert (outcome["status"], outcome["attempts"], outcome["error"]) == (
        "failed", 2, "RuntimeError: Kernel died before replying")


def test_no_temporary_file_is_left_when_the_kernel_dies(notebooks, tmp_path, monkeypatch):
    monkeypatch.setattr(worker, "_papermill",
                        lambda task, target, log=None: "DeadKernelError: Kernel died")
    worker.execute(_task(notebooks, tmp_path))
    assert list(tmp_path.iterdir()) == []


def test_no_temporary_file_is_left_after_ctrl_c(notebooks, tmp_path, monkeypatch):
    def interrupted(task, target, log=None):
        raise KeyboardInterrupt

    monkeypatch.setattr(worker, "_papermill", interrupted)
    with pytest.raises(KeyboardInterrupt):
        worker.execute(_task(notebooks, tmp_path))
    assert list(tmp_path.iterdir()) == []


def test_error_in_a_cell_is_not_retried(notebooks, tmp_path, monkeypatch):
    calls = []

    def fake(task, target, log=None):
        calls.append(target)
        cell = new_code_cell("1/0", execution_count=1)
        nbformat.write(new_notebook(cells=[cell]), str(target))
        return "ZeroDivisionError: division by zero"

    monkeypatch.setattr(worker, "_papermill", fake)
    worker.execute(_task(notebooks, tmp_path))
    assert len(calls) == 1


# --- a real render: three notebooks, one failing, in two worker processes -------------------

@pytest.mark.slow
def test_successful_notebook_writes_executed_ipynb_and_html(rendered):
    r = result(rendered, "all", "terms")
    assert r.status == "ok"
    assert (r.paths["ipynb"].name, r.paths["html"].name) == ("terms.ipynb", "terms.html")


@pytest.mark.slow
def test_saved_table_lands_as_csv_next_to_the_report(rendered):
    csv = rendered.out / "all" / "terms_tables" / "top_terms.csv"
    assert csv.read_text(encoding="utf-8-sig").splitlines() == ["词", *["法治政府"] * 3]


@pytest.mark.slow
def test_the_corpus_is_loaded_once_for_every_notebook_of_every_run(rendered):
    from fazhi._cache import cache_root

    assert rendered.main_process_loads <= 1  # none when an earlier render left the store
    nb = nbformat.read(str(rendered.out / "all" / "terms.ipynb"), as_version=4)
    injected = next(c.source for c in nb.cells
                    if "injected-parameters" in c.metadata.get("tags", []))
    assert f"corpus = \"{cache_root() / 'corpora'}" in injected
    assert nb.metadata["fazhi"]["corpus"].endswith("the bundled seeds")


@pytest.mark.slow
def test_each_report_ends_with_its_provenance(rendered):
    nb = nbformat.read(str(rendered.out / "top5" / "terms.ipynb"), as_version=4)
    assert nb.cells[-1].metadata["tags"] == ["fazhi-provenance"]
    made = nb.metadata["fazhi"]
    assert (made["run"], made["parameters"]["top_n"], made["fazhi"]) == ("top5", 5,
                                                                        fazhi.__version__)
    assert len(made["fingerprint"]) == 64 and made["files"] == 5
    html = (rendered.out / "top5" / "terms.html").read_text(encoding="utf-8")
    assert "来源 Provenance" in html and made["fingerprint"][:16] in html


@pytest.mark.slow
def test_run_parameters_reach_the_notebook(rendered):
    csv = rendered.out / "top5" / "terms_tables" / "top_terms.csv"
    assert len(csv.read_text(encoding="utf-8-sig").splitlines()) == 1 + 5


@pytest.mark.slow
def test_failing_notebook_reports_the_last_line_of_its_error(rendered):
    r = result(rendered, "all", "broken")
    assert (r.status, r.error) == ("failed", "second part missing")


@pytest.mark.slow
def test_failing_notebook_keeps_its_executed_copy_up_to_the_error(rendered):
    nb = nbformat.read(str(rendered.out / "all" / "broken.ipynb"), as_version=4)
    ran = [c.source for c in nb.cells if c.cell_type == "code" and c.execution_count]
    assert ran[-2:] == ["x = 1", "raise ValueError('第二部分缺失\\nsecond part missing')"]


@pytest.mark.slow
def test_failing_notebook_still_gets_its_html(rendered):
    html = (rendered.out / "all" / "broken.html").read_text(encoding="utf-8")
    assert "第二部分缺失" in html


@pytest.mark.slow
def test_one_failure_does_not_stop_the_others(rendered):
    statuses = {(r.run, r.notebook): r.status for r in rendered.results}
    assert statuses == {("all", "terms"): "ok", ("all", "broken"): "failed",
                        ("all", "plot"): "ok", ("top5", "terms"): "ok"}


@pytest.mark.slow
def test_report_is_not_ok_and_names_its_failures(rendered):
    assert not rendered.ok
    assert [(f.run, f.notebook) for f in rendered.failures] == [("all", "broken")]


@pytest.mark.slow
def test_plot_is_embedded_in_the_html(rendered):
    html = (rendered.out / "all" / "plot.html").read_text(encoding="utf-8")
    assert re.search(r'<img[^>]+src="data:image/png;base64,', html)


@pytest.mark.slow
def test_html_loads_nothing_from_the_network(rendered):
    html = (rendered.out / "all" / "plot.html").read_text(encoding="utf-8")
    assert re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="https?://', html) == []
    assert "<script src=" not in html


@pytest.mark.slow
def test_index_links_resolve_to_the_written_files(rendered):
    index = rendered.index.read_text(encoding="utf-8")
    links = set(re.findall(r'href="([^"#]+)"', index))
    assert "all/plot.html" in links
    assert [link for link in links if not (rendered.out / link).is_file()] == []


@pytest.mark.slow
def test_index_shows_each_status_and_error(rendered):
    index = rendered.index.read_text(encoding="utf-8")
    assert index.count("成功 ok</td>") == 3
    assert index.count("失败 failed</td>") == 1
    assert "second part missing" in index


@pytest.mark.slow
def test_index_shows_the_corpus_covered(rendered):
    index = rendered.index.read_text(encoding="utf-8")
    assert "<dt>文档 Documents</dt><dd>5</dd>" in index
    assert "<dt>年份 Years</dt><dd>2018, 2020, 2021, 2022</dd>" in index
    assert "<dt>地区 Places</dt><dd>普宁市、汕尾市、海丰县、深圳市、青岛市</dd>" in index


@pytest.mark.slow
def test_index_shows_the_corpus_of_a_run_that_saved_no_documents_table(rendered):
    index = rendered.index.read_text(encoding="utf-8")
    top5 = index[index.index('id="run-top5"'):]
    assert "<dt>文档 Documents</dt><dd>5</dd>" in top5
    assert "5 个文件 files" in top5 and f"fazhi {fazhi.__version__}" in top5


@pytest.mark.slow
def test_no_temporary_file_is_left_behind(rendered):
    # What stays: the mark that fazhi wrote the folder, the index's state and its lock.
    assert sorted(p.name for p in rendered.out.rglob(".*")) == [
        ".fazhi-index.json", ".fazhi-index.lock", ".fazhi-output"]


@pytest.mark.slow
def test_no_part_file_is_left_behind(rendered):
    assert [p.name for p in rendered.out.rglob("*.part*")] == []


@pytest.mark.slow
def test_every_written_file_has_the_umask_permissions(rendered):
    modes = {p.relative_to(rendered.out).as_posix(): stat.S_IMODE(p.stat().st_mode)
             for p in rendered.out.rglob("*")}
    assert "all/broken.ipynb" in modes
    assert "all/terms_tables/top_terms.csv" in modes
    wrong = {name: oct(mode) for name, mode in modes.items()
             if mode != (0o777 if (rendered.out / name).is_dir() else 0o666) & ~UMASK}
    assert wrong == {}


@pytest.mark.slow
def test_no_input_hides_the_code(notebooks, tmp_path):
    config = write_config(notebooks, "runs:\n  - name: bare\n    notebooks: [plot.ipynb]\n")
    report = render(config=config, out=tmp_path, no_input=True, progress=False)
    html = report.results[0].paths["html"].read_text(encoding="utf-8")
    assert "fazhi.use_cjk_font" not in html
    assert "data:image/png;base64," in html


@pytest.mark.slow
def test_no_answers_passes_answers_false_and_drops_the_cells_tagged_answer(tmp_path):
    import nbformat

    path = tmp_path / "nb" / "lesson.ipynb"
    path.parent.mkdir()
    nb = new_notebook(cells=[
        new_markdown_cell("# 练习 Lesson"),
        new_code_cell(SHARED + "answers = True", metadata={"tags": ["parameters"]}),
        new_code_cell("print('题目 task', answers)"),
        new_code_cell("print('答案 the answer is 42')",
                      metadata={"tags": ["answer"], "jupyter": {"source_hidden": True}})])
    nb.metadata["kernelspec"] = {"name": "fazhi", "display_name": "Python (fazhi)",
                                 "language": "python"}
    nbformat.write(nb, path)
    config = write_config(path.parent, "runs:\n  - name: handout\n    notebooks: [lesson.ipynb]\n")
    report = render(config=config, out=tmp_path / "out", answers=False, progress=False)
    assert report.results[0].status == "ok", report.results[0].error
    html = report.results[0].paths["html"].read_text(encoding="utf-8")
    assert "题目 task False" in html
    assert "the answer is 42" not in html


def test_cli_render_has_a_no_answers_option():
    from fazhi.cli import build_parser

    args = build_parser().parse_args(["render", "--no-answers"])
    assert args.no_answers is True


def test_a_render_process_skips_jsonschema_s_slow_iri_checker_and_still_validates():
    # rfc3987_syntax builds its parsers on import (seconds in every render process); the
    # reports package hides it while jsonschema is imported, and only then
    code = (
        "import sys, fazhi.reports, nbformat\n"
        "assert 'rfc3987_syntax' not in sys.modules\n"
        "nbformat.validate(nbformat.v4.new_notebook())\n"
        "bad = nbformat.v4.new_notebook(); bad.cells.append({'cell_type': 'nope'})\n"
        "try:\n    nbformat.validate(bad)\nexcept nbformat.ValidationError:\n    print('refused')\n"
        "import importlib.util\n"
        "if importlib.util.find_spec('rfc3987_syntax'):\n    import rfc3987_syntax\n"
        "print('ok')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["refused", "ok"]
