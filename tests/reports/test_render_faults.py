"""A render stopped, starved or misconfigured: Ctrl-C, a full disk, a read-only or wrong
``--out``, bad parameters, two renders into one folder. Each ends in one clear message and the
exit code the README gives, and never in a folder whose files come from two renders."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from notebook_helpers import write_config, write_notebook

from fazhi.cli import main
from fazhi.exceptions import ConfigError
from fazhi.reports.execute import render

pytestmark = pytest.mark.slow
SHARED = "corpus = None\nmetadata = None\noutput_dir = None\n"


@pytest.fixture(scope="module")
def notebooks(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("notebooks")
    write_notebook(folder / "quick.ipynb", "快 Quick", SHARED + "seconds = 0\nlabel = 'first'",
                   "import pandas as pd\nimport fazhi",
                   "fazhi.save_table(pd.DataFrame({'标签': [label]}), 'label', output_dir)")
    write_notebook(folder / "slow.ipynb", "慢 Slow", SHARED + "seconds = 0\nlabel = 'first'",
                   "import time\ntime.sleep(seconds)", "print('渲染', label)")
    write_notebook(folder / "big.ipynb", "大 Big", SHARED,
                   "import pandas as pd\nimport fazhi",
                   "fazhi.save_table(pd.DataFrame({'x': ['法治政府建设' * 50] * 20000}), 'big', "
                   "output_dir)")
    return folder


def fazhi_cli(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "fazhi.cli", *args],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def processes_under(folder: Path) -> list[int]:
    """Live processes whose working folder or command line is under ``folder``."""
    import psutil

    found = []
    for p in psutil.process_iter(["pid", "cwd", "cmdline"]):
        try:
            where = [p.info["cwd"] or "", *(p.info["cmdline"] or [])]
        except psutil.Error:
            continue
        if any(str(folder) in w for w in where) and p.pid != os.getpid():
            found.append(p.pid)
    return found


@pytest.fixture
def tmpfs(tmp_path):
    """A tiny filesystem of its own (a full disk, or a read-only one) — root only."""
    mounts = []

    def mount(options: str) -> Path:
        where = tmp_path / f"fs{len(mounts)}"
        where.mkdir()
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)],
                              capture_output=True, text=True)
        if done.returncode:
            if os.environ.get("CI") == "true":
                pytest.fail(f"cannot mount a tmpfs in CI: {done.stderr.strip()}")
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
        mounts.append(where)
        return where

    yield mount
    for where in reversed(mounts):
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


# -- Ctrl-C ---------------------------------------------------------------------------------

def test_ctrl_c_stops_promptly_and_keeps_the_earlier_render_whole(notebooks, tmp_path):
    out = tmp_path / "out"
    first = write_config(notebooks, "runs:\n  - name: r\n    notebooks: [quick.ipynb, slow.ipynb]\n")
    assert main(["render", "--config", str(first), "--out-dir", str(out), "--workers", "2"]) == 0
    before = {p.name: p.read_bytes() for p in (out / "r").glob("*.html")}
    second = notebooks / "second.yml"
    second.write_text("runs:\n  - name: r\n    notebooks: [quick.ipynb, slow.ipynb]\n"
                      "    parameters: {seconds: 120, label: second}\n", encoding="utf-8")
    proc = fazhi_cli("render", "--config", str(second), "--out-dir", str(out), "--workers", "1")
    # quick runs first (one worker); wait until slow is running, then press Ctrl-C.
    deadline = time.monotonic() + 120
    while not list(out.glob(".staging-*/r/quick.html")) and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(3)
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert time.monotonic() - sent < 20
    assert "interrupted" in err
    # Nothing of the interrupted run replaced the earlier one: every file is the first render's.
    assert {p.name: p.read_bytes() for p in (out / "r").glob("*.html")} == before
    assert list(out.glob(".staging-*")) == []
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.count("中断 interrupted</td>") == 2
    assert "the report linked is the earlier render" in index
    time.sleep(1)
    assert processes_under(notebooks) == []  # no worker or kernel left running


# -- full disk, read-only and wrong --out ---------------------------------------------------

def test_full_disk_is_one_message_exit_2_and_no_cut_file(notebooks, tmpfs, capsys):
    out = tmpfs("size=2m")
    config = write_config(notebooks, "runs:\n  - name: r\n    notebooks: [quick.ipynb, big.ipynb]\n")
    code = main(["render", "--config", str(config), "--out-dir", str(out), "--workers", "1"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "no space left on the disk" in err
    for ipynb in out.rglob("*.ipynb"):
        nbformat.read(str(ipynb), as_version=4)  # never cut short under its final name
    assert list(out.rglob("*.part*")) == []


def test_read_only_out_is_one_message_exit_2(notebooks, tmpfs, capsys):
    out = tmpfs("ro,size=1m")
    config = write_config(notebooks, "runs:\n  - name: r\n    notebooks: [quick.ipynb]\n")
    code = main(["render", "--config", str(config), "--out-dir", str(out)])
    assert code == 2
    assert "cannot write there" in capsys.readouterr().err


def test_out_that_is_a_file_is_one_message_exit_2(notebooks, tmp_path, capsys):
    (tmp_path / "out").write_text("not a folder", encoding="utf-8")
    config = write_config(notebooks, "runs:\n  - name: r\n    notebooks: [quick.ipynb]\n")
    code = main(["render", "--config", str(config), "--out-dir", str(tmp_path / "out")])
    assert code == 2
    assert "is an existing file" in capsys.readouterr().err
    assert (tmp_path / "out").read_text(encoding="utf-8") == "not a folder"


# -- checked before any kernel starts -------------------------------------------------------

@pytest.mark.parametrize("name", ["index.html", "seeds\n", "../up"])
def test_run_name_that_would_clash_or_escape_is_refused(notebooks, name):
    config = write_config(notebooks, f"runs:\n  - name: {json.dumps(name)}\n")
    with pytest.raises(ConfigError, match="name"):
        render(config=config, out=notebooks / "never", progress=False)
    assert not (notebooks / "never").exists()


@pytest.mark.parametrize(("parameter", "value", "says"), [
    ("years", '"abc"', "parameter years = 'abc': 'abc' is not a year or a list of years"),
    ("seconds", "-1", "parameter seconds = -1"),
    ("label", "[1, 2]", "parameter label = [1, 2]: [1, 2] is not text"),
    ("corpus", '"/no/such/folder"', "parameter corpus = '/no/such/folder': no such file"),
])
def test_bad_value_names_run_notebook_parameter_and_value(notebooks, tmp_path, parameter,
                                                          value, says):
    shared = "years = None\n" if parameter == "years" else ""
    write_notebook(notebooks / "typed.ipynb", "类型 Typed",
                   SHARED + shared + "seconds = 0\nlabel = 'x'", "print(seconds)")
    config = write_config(notebooks, "runs:\n  - name: ok\n    notebooks: [quick.ipynb]\n"
                                     f"  - name: bad\n    notebooks: [typed.ipynb]\n"
                                     f"    parameters: {{{parameter}: {value}}}\n")
    start = time.monotonic()
    with pytest.raises(ConfigError) as caught:
        render(config=config, out=tmp_path / "out", progress=False)
    assert "run 'bad', notebook typed: " + says in str(caught.value)
    assert time.monotonic() - start < 10  # no kernel was started
    assert not (tmp_path / "out" / "ok").exists()


# -- two renders into one folder at once ----------------------------------------------------

def test_two_renders_at_once_both_end_up_in_the_index(notebooks, tmp_path):
    out = tmp_path / "out"
    a = notebooks / "a.yml"
    a.write_text("runs:\n  - name: first\n    notebooks: [quick.ipynb]\n", encoding="utf-8")
    b = notebooks / "b.yml"
    b.write_text("runs:\n  - name: second\n    notebooks: [quick.ipynb]\n"
                 "    parameters: {label: second}\n", encoding="utf-8")
    procs = [fazhi_cli("render", "--config", str(c), "--out-dir", str(out)) for c in (a, b)]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'id="run-first"' in index and 'id="run-second"' in index
    assert (out / "first" / "quick.html").is_file() and (out / "second" / "quick.html").is_file()


def test_render_marks_its_folder_so_it_is_never_read_back(notebooks, tmp_path):
    import fazhi

    corpus = tmp_path / "reports"
    corpus.mkdir()
    (corpus / "a.txt").write_text("某县人民政府2021年法治政府建设情况报告\n全年办理行政复议案件12件。\n",
                                  encoding="utf-8")
    config = write_config(notebooks, "runs:\n  - name: r\n    notebooks: [quick.ipynb]\n")
    render(corpus, config=config, out=corpus / "outputs", progress=False)
    assert (corpus / "outputs" / ".fazhi-output").is_file()
    assert fazhi.load_corpus(corpus).docs["doc_id"].tolist() == ["a"]
