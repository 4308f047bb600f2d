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


# ------------------------------------------------------------------ behaving as a library


def test_each_error_is_also_the_standard_exception_it_is(tmp_path, seed_doc):
    """Code that knows nothing of this package catches our errors as Python's own."""
    with pytest.raises(FileNotFoundError) as missing:
        convert.read(tmp_path / "absent.txt")
    assert isinstance(missing.value, convert.NotFoundError) and isinstance(missing.value, convert.ConvertError)
    assert missing.value.errno == 2 and missing.value.filename == str(tmp_path / "absent.txt")
    assert str(missing.value) == f"{tmp_path / 'absent.txt'}: no such file"

    with pytest.raises(ValueError) as usage:
        convert.write(seed_doc, tmp_path / "x.txt", to="nosuchformat")
    assert isinstance(usage.value, convert.UsageError)

    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(ValueError) as bad_input:
        convert.read(tmp_path / "empty.txt")
    assert isinstance(bad_input.value, convert.InputError)

    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "x.txt").write_bytes(b"")
    (tmp_path / "locked" / "x.txt").chmod(0o444)
    with pytest.raises(OSError) as not_written:
        convert.write(seed_doc, tmp_path / "locked" / "x.txt")
    assert isinstance(not_written.value, convert.WriteError) and "read-only" in str(not_written.value)

    with pytest.raises(FileNotFoundError):
        convert.batch([tmp_path / "nowhere"], tmp_path / "out")


@pytest.mark.parametrize(("call", "named"), [
    (lambda doc, tmp: convert.read(42), "path must be str or PathLike, not int"),
    (lambda doc, tmp: convert.read(tmp / "x.txt", metadata=["title"]), "metadata must be Mapping or None, not list"),
    (lambda doc, tmp: convert.write("a document", tmp / "x.txt"), "doc must be Document, not str"),
    (lambda doc, tmp: convert.write(doc, tmp / "x.txt", to=5), "to must be str, Target or None, not int"),
    (lambda doc, tmp: convert.write(doc, tmp / "x.txt", transforms={"phrases": True}),
     "transforms must be TransformOptions or None, not dict"),
    (lambda doc, tmp: convert.convert(None), "path must be str or PathLike, not NoneType"),
    (lambda doc, tmp: convert.convert(tmp / "x.txt", to=[3]), "each of to must be str or Target, not int"),
    (lambda doc, tmp: convert.batch(tmp, tmp / "out", jobs="2"), "jobs must be int or None, not str"),
    (lambda doc, tmp: convert.batch(tmp, tmp / "out", max_size=1.5), "max_size must be int, not float"),
])
def test_a_wrong_argument_type_is_a_type_error_naming_the_argument(call, named, seed_doc, tmp_path):
    (tmp_path / "x.txt").write_text("标题\n\n正文。", "utf-8")
    with pytest.raises(TypeError) as raised:
        call(seed_doc, tmp_path)
    assert str(raised.value) == named
    assert not (tmp_path / "out").exists()


def test_a_script_given_twice_differently_is_refused_not_chosen(seed_doc, tmp_path):
    with pytest.raises(convert.UsageError, match="two scripts"):
        convert.write(seed_doc, tmp_path / "x.txt", to="txt:hans", script="tw")
    assert not (tmp_path / "x.txt").exists()
    convert.write(seed_doc, tmp_path / "x.txt", to="txt:hans", script="hans")  # the same one twice is fine
    with pytest.raises(convert.UsageError, match="unknown script"):
        convert.write(seed_doc, tmp_path / "y.txt", script="klingon")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("标题\n\n正文。", "utf-8")
    with pytest.raises(convert.UsageError, match="two scripts"):
        convert.bundle(tmp_path / "in", tmp_path / "book.epub", to="epub:hans", script="tw")
    assert not (tmp_path / "book.epub").exists()


def test_a_format_that_contradicts_the_file_name_is_refused(seed_doc, tmp_path):
    with pytest.raises(convert.UsageError, match="name it .pdf, or ask for docx"):
        convert.write(seed_doc, tmp_path / "x.docx", to="pdf")
    assert not list(tmp_path.iterdir())


def test_batch_runs_when_called_and_returns_results_in_the_inputs_order(tmp_path, seed_path):
    from convert.batching import default_jobs

    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("c.txt", "a.txt", "b.txt"):
        (folder / name).write_bytes(seed_path.read_bytes())
    (folder / "0-empty.txt").write_bytes(b"")
    results = convert.batch(folder, tmp_path / "out", to="txt", jobs=2)
    assert isinstance(results, list)  # already done: no iteration needed
    assert [Path(r.input).name for r in results] == ["0-empty.txt", "a.txt", "b.txt", "c.txt"]
    assert [r.status for r in results] == ["failed", "ok", "ok", "ok"]
    assert sorted(p.name for p in (tmp_path / "out").glob("*.txt")) == ["a.txt", "b.txt", "c.txt"]

    # The streaming form is plainly a generator: nothing is done until it is iterated.
    lazy = convert.iter_batch(folder, tmp_path / "later", to="txt")
    assert not (tmp_path / "later").exists()
    assert sorted(Path(r.input).name for r in lazy) == ["0-empty.txt", "a.txt", "b.txt", "c.txt"]
    assert (tmp_path / "later" / "a.txt").exists()

    # The default number of workers is the command line's.
    import inspect

    assert inspect.signature(convert.batch).parameters["jobs"].default is None
    assert default_jobs() == len(os.sched_getaffinity(0))


def test_batch_and_iter_batch_take_the_same_arguments():
    import inspect

    from convert.batching import _options

    batch = dict(inspect.signature(convert.batch).parameters)
    batch.pop("inputs")
    assert list(batch.values()) == list(inspect.signature(_options).parameters.values())


def test_dir_shows_only_the_public_api_each_documented():
    import inspect

    assert dir(convert) == sorted(convert.__all__)
    assert "api" not in dir(convert) and "annotations" not in dir(convert)
    for name in convert.__all__:
        value = getattr(convert, name)
        if name == "__version__":
            continue
        assert inspect.getdoc(value), name
        if inspect.isfunction(value) and inspect.signature(value).parameters:
            doc = inspect.getdoc(value)
            own = [p for p in inspect.signature(value).parameters if p not in ("inputs", "doc", "path", "data")]
            missing = [p for p in own if f"``{p}``" not in doc and p != "keywords"]
            assert not missing, f"{name}: {missing} not described"


def test_the_package_says_it_is_typed():
    assert (ROOT / "convert" / "py.typed").exists()
