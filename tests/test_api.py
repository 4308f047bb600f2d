from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest

import convert
from convert import api
from convert.api import atomic_output, prepare

ROOT = Path(__file__).resolve().parents[1]


def test_readme_library_example_runs(tmp_path, monkeypatch, capsys):
    readme = (ROOT / "README.md").read_text("utf-8")
    code = re.search(r"## Library\n\n```python\n(.*?)```", readme, re.S).group(1)
    (tmp_path / "seeds").mkdir()
    for seed in (ROOT / "seeds").glob("*.txt"):
        (tmp_path / "seeds" / seed.name).write_bytes(seed.read_bytes())
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "README.md", "exec"), {})
    assert (tmp_path / "article.hans.txt").read_text("utf-8").startswith("新疆维吾尔自治区党委召开常委会议")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "000_e8dd265e510804e2.json", "000_e8dd265e510804e2.tw.txt"]
    assert "2017-06-25T14:35+08:00" in capsys.readouterr().out


def test_write_to_text_and_binary_streams(seed_doc):
    text, data = io.StringIO(), io.BytesIO()
    convert.write(seed_doc, text, to="txt:hans")
    convert.write(seed_doc, data, to="txt", script="hans")
    assert text.getvalue() == data.getvalue().decode("utf-8")


def test_output_is_byte_identical_across_runs(tmp_path, seed_path):
    a = convert.convert(seed_path, to=["txt:hk", "json"], out_dir=tmp_path / "a")
    b = convert.convert(seed_path, to=["txt:hk", "json"], out_dir=tmp_path / "b")
    for x, y in zip(a.outputs, b.outputs, strict=True):
        assert Path(x).read_bytes() == Path(y).read_bytes()


def test_failed_write_leaves_no_file_behind(tmp_path):
    dest = tmp_path / "x.txt"
    dest.write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_output(dest) as out:
            out.write(b"half")
            raise RuntimeError("writer crashed")
    assert dest.read_text() == "old"
    assert os.listdir(tmp_path) == ["x.txt"]


def test_convert_never_overwrites_its_input(tmp_path, seed_path):
    src = tmp_path / "a.json"
    convert.convert(seed_path, to="json", out_dir=tmp_path, stem="a")
    before = src.read_bytes()
    result = convert.convert(src, to="json", out_dir=tmp_path)  # its own name: named after the script
    assert result.outputs == [str(tmp_path / "a.hant.json")] and src.read_bytes() == before
    with pytest.raises(convert.UsageError, match="overwrite the input"):
        convert.convert(src, to="json", out_dir=tmp_path, stem="a")  # a name the caller chose
    assert src.read_bytes() == before


def test_json_output_reads_back_as_the_same_document(tmp_path, seed_path):
    doc = prepare(convert.read(seed_path))  # what every writer receives
    result = convert.convert(seed_path, to="json", out_dir=tmp_path)
    assert convert.read(result.outputs[0]) == doc


def test_batch_reports_each_input(tmp_path, seed_path):
    (tmp_path / "bad.txt").write_bytes(b"")
    results = list(convert.batch([seed_path, tmp_path / "bad.txt"], tmp_path / "out", to="txt"))
    assert [r.status for r in results] == ["ok", "failed"]
    assert "bad.txt: empty input" in results[1].error


def test_one_rule_says_whether_an_output_would_replace_an_input(tmp_path):
    src = tmp_path / "in" / "page.txt"
    src.parent.mkdir()
    src.write_text("标题\n正文。", encoding="utf-8")
    (tmp_path / "link").symlink_to(src.parent)
    os.link(src, tmp_path / "hard.txt")
    (tmp_path / "to-input.txt").symlink_to(src)
    assert api.would_overwrite(src, src)
    assert api.would_overwrite(tmp_path / "link" / "page.txt", src)  # through a linked folder
    assert api.would_overwrite(tmp_path / "to-input.txt", src)  # a link in the last place
    assert api.would_overwrite(tmp_path / "hard.txt", src)  # a second name of the same file
    assert api.would_overwrite(tmp_path / "in" / "PAGE.txt", src)  # as case-blind file systems see it
    assert not api.would_overwrite(tmp_path / "in" / "page.docx", src)
    assert not api.would_overwrite(tmp_path / "elsewhere.txt", src)


def test_batch_is_found_under_every_name_it_had():
    """batch() lives in convert.batching; convert.batch and convert.api.batch
    are the same function, found when asked for."""
    import convert.api
    import convert.batching
    from convert.api import batch

    assert convert.batch is convert.api.batch is batch is convert.batching.batch
    with pytest.raises(AttributeError, match="no attribute 'bundles'"):
        convert.api.bundles  # noqa: B018 - the lookup is what is tested
