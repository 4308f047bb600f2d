from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from _corpus import seed_copies

import convert
from convert.api import collect_inputs
from convert.batching import BatchOptions, output_stems, run
from convert.errors import ExitCode

DOCCONV = Path(sys.executable).with_name("docconv")




def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.startswith(".")}


def test_parallel_run_gives_the_same_bytes_as_a_serial_one(tmp_path, seed_path):
    folder = seed_copies(tmp_path, seed_path)
    for jobs in (1, 2):
        results = list(convert.batch([folder], tmp_path / f"out{jobs}", to=["txt:hans", "json"], jobs=jobs))
        assert [r.status for r in results] == ["ok"] * 4
    assert _files(tmp_path / "out1") == _files(tmp_path / "out2")
    assert len(_files(tmp_path / "out1")) == 8


def test_up_to_date_outputs_are_skipped_until_input_or_options_change(tmp_path, seed_path):
    folder = seed_copies(tmp_path, seed_path, 2)
    out = tmp_path / "out"
    first = list(convert.batch([folder], out, to=["txt:hans"]))
    assert [r.status for r in first] == ["ok", "ok"]
    again = list(convert.batch([folder], out, to=["txt:hans"]))
    assert [r.status for r in again] == ["skipped", "skipped"]

    later = time.time() + 5
    os.utime(folder / "a000.txt", (later, later))  # a date alone changes nothing
    (folder / "a001.txt").write_text((folder / "a001.txt").read_text("utf-8") + "\n补记。\n", "utf-8")
    changed = {Path(r.input).name: r.status for r in convert.batch([folder], out, to=["txt:hans"])}
    assert changed == {"a000.txt": "skipped", "a001.txt": "ok"}

    from convert.transforms import TransformOptions
    other = list(convert.batch([folder], out, to=["txt:hans"], transforms=TransformOptions(phrases=True)))
    assert [r.status for r in other] == ["ok", "ok"]
    forced = list(convert.batch([folder], out, to=["txt:hans"], force=True, transforms=TransformOptions(phrases=True)))
    assert [r.status for r in forced] == ["ok", "ok"]


def test_same_stem_in_different_folders_does_not_collide(tmp_path, seed_path):
    for sub in ("x", "y/z"):
        (tmp_path / "in" / sub).mkdir(parents=True)
        (tmp_path / "in" / sub / "same.txt").write_bytes(seed_path.read_bytes())
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "same.txt").write_bytes(seed_path.read_bytes())
    stems = [stem for _, stem in output_stems([tmp_path / "in", tmp_path / "other" / "same.txt"])]
    assert stems == ["x/same", "y/z/same", "same"]
    both = [stem for _, stem in output_stems([tmp_path / "in" / "x" / "same.txt", tmp_path / "other"])]
    assert len(set(both)) == 2
    list(convert.batch([tmp_path / "in"], tmp_path / "out", to=["json"]))
    assert sorted(_files(tmp_path / "out")) == ["x/same.json", "y/z/same.json"]


def test_stale_temporary_files_are_removed(tmp_path, seed_path):
    out = tmp_path / "out"
    out.mkdir()
    stale, fresh = out / ".docconv-tmp.a000.json.x1y2z3w4.part", out / ".docconv-tmp.a001.json.k9k9k9k9.part"
    stale.write_bytes(b"half a file")
    fresh.write_bytes(b"another run is writing this one")
    hour_ago = time.time() - 3600
    os.utime(stale, (hour_ago, hour_ago))
    folder = seed_copies(tmp_path, seed_path, 1)
    list(run([folder], BatchOptions(out, (convert.Target("json"),))))
    assert not stale.exists() and fresh.exists()


def test_what_a_killed_run_leaves_is_known_to_the_sweeps(tmp_path):
    # The temporary file an output group reserves, as a run killed before
    # its rename would leave it: the batch's sweep and a Dask shard's
    # recognise it by its name.
    from convert.api import OutputGroup
    from convert.batching import _TEMPORARY, remove_stale_temporaries

    out = tmp_path / "out"
    out.mkdir()
    names = []
    for n in range(20):
        fd, name = OutputGroup().reserve(out / f"a{n:03d}.pdf")
        os.close(fd)
        names.append(Path(name).name)
    assert all(_TEMPORARY.match(name) for name in names), names
    assert all(name[:-13] == f".docconv-tmp.a{n:03d}.pdf." for n, name in enumerate(names))
    assert remove_stale_temporaries(out, max_age=0) == 20 and not list(out.iterdir())


def test_report_names_every_input_with_status_and_warnings(tmp_path, seed_path):
    folder = seed_copies(tmp_path, seed_path, 2)
    (folder / "bad.txt").write_bytes(b"\x00\x00")
    report = tmp_path / "report.json"
    r = subprocess.run([str(DOCCONV), "batch", str(folder), "-o", str(tmp_path / "out"), "-t", "txt:hans",
                        "--report", str(report), "-j", "2"], capture_output=True, timeout=120)
    assert r.returncode == 1
    data = json.loads(report.read_text("utf-8"))
    by_name = {Path(i["input"]).name: i for i in data["inputs"]}
    assert by_name["bad.txt"]["status"] == "failed" and "binary" in by_name["bad.txt"]["error"]
    good = by_name["a000.txt"]
    assert good["status"] == "ok" and good["encoding"] == "utf-8" and good["furniture_removed"] == 4
    assert not any("furniture" in w for w in good["warnings"]) and good["outputs"][0].endswith("a000.hans.txt")
    assert data["summary"] == {"ok": 2, "failed": 1}


def test_fail_fast_stops_at_the_first_failure(tmp_path, seed_path):
    folder = seed_copies(tmp_path, seed_path, 3)
    (folder / "a000.txt").write_bytes(b"")
    results = list(convert.batch([folder], tmp_path / "out", to=["json"], fail_fast=True))
    assert [r.status for r in results] == ["failed"]


def test_ctrl_c_stops_cleanly_and_leaves_no_half_written_file(tmp_path, seed_path):
    # Enough work (the PDF of 120 files) that the run is still going when
    # Ctrl-C comes, a moment after the first outputs appear.
    folder = seed_copies(tmp_path, seed_path, 120)
    out = tmp_path / "out"
    # A suite started in the background inherits SIGINT ignored, and so would
    # the batch: it gets the default behaviour back, as at a terminal.
    proc = subprocess.Popen([str(DOCCONV), "batch", str(folder), "-o", str(out), "-t", "json", "-t", "txt:hk",
                             "-t", "pdf", "-j", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.time() + 60
    while time.time() < deadline and not (out.exists() and len(list(out.glob("*.json"))) >= 2):
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == ExitCode.INTERRUPTED, err
    assert b"Traceback" not in err and b"interrupted" in err
    assert not list(out.rglob("*.part"))
    made = list(out.glob("*.json"))
    assert 2 <= len(made) < 120
    for path in made:
        json.loads(path.read_text("utf-8"))  # every file there is whole
    for path in out.glob("*.pdf"):
        assert path.read_bytes().rstrip().endswith(b"%%EOF")
    # Every input whose outputs all exist is known as done: a rerun skips it.
    complete = {p.name[: -len(".json")] for p in made
                if all((out / p.name.replace(".json", ext)).exists() for ext in (".hk.txt", ".pdf"))}
    rerun = list(convert.batch([folder], out, to=["json", "txt:hk", "pdf"], jobs=2))
    skipped = {Path(r.input).stem for r in rerun if r.status == "skipped"}
    assert skipped == complete


def test_inputs_given_twice_and_output_inside_input_folder(tmp_path, seed_path):
    folder = seed_copies(tmp_path, seed_path, 2)
    out = folder / "out"
    for _ in range(2):  # the second run must not take the first run's outputs as inputs
        results = list(convert.batch([folder, folder / "a000.txt"], out, to=["txt:hans"]))
        assert sorted(Path(r.input).name for r in results) == ["a000.txt", "a001.txt"]
    assert sorted(_files(out)) == ["a000.hans.txt", "a001.hans.txt"]


def test_final_names_never_collide_and_stay_inside_the_output_folder(tmp_path, seed_path):
    (tmp_path / "A").mkdir()
    (tmp_path / "A" / "x.txt").write_bytes(seed_path.read_bytes())
    (tmp_path / "x.txt").write_bytes(seed_path.read_bytes())
    (tmp_path / "x.hans.txt").write_bytes(seed_path.read_bytes())
    out = tmp_path / "out"
    targets = [convert.Target("txt"), convert.Target("txt", "hans")]
    planned = output_stems([tmp_path / "A" / "x.txt", tmp_path / "x.txt", tmp_path / "x.hans.txt"], targets, out)
    names = [t.filename(stem) for _, stem in planned for t in targets]
    assert len(names) == len(set(names)) == 6
    assert all(not Path(n).is_absolute() and ".." not in Path(n).parts for n in names)


def test_resume_does_not_trust_an_output_made_from_another_input(tmp_path, seed_path):
    day1, day2, out = tmp_path / "day1", tmp_path / "day2", tmp_path / "out"
    for day, who in ((day1, "甲"), (day2, "乙")):
        day.mkdir()
        (day / "x.txt").write_text(seed_path.read_text("utf-8").replace("姚彤", who), "utf-8")
    list(convert.batch([day1], out, to=["txt:hans"]))
    later = time.time() - 100
    os.utime(day2 / "x.txt", (later, later))  # older than the output: mtime alone would skip it
    assert [r.status for r in convert.batch([day2], out, to=["txt:hans"])] == ["ok"]
    assert "（乙）" in (out / "x.hans.txt").read_text("utf-8")


def test_resume_redoes_an_output_a_power_cut_left_empty(tmp_path, seed_path):
    """Batch outputs are not flushed to the disk one by one; after a power
    cut a file may exist under its final name with nothing in it."""
    folder = seed_copies(tmp_path, seed_path, 2)
    out = tmp_path / "out"
    list(convert.batch([folder], out, to=["txt:hans"]))
    whole = (out / "a001.hans.txt").read_bytes()
    (out / "a001.hans.txt").write_bytes(b"")
    later = time.time() + 5
    os.utime(out / "a001.hans.txt", (later, later))  # newer than its input, as it would be
    statuses = {Path(r.input).name: r.status for r in convert.batch([folder], out, to=["txt:hans"])}
    assert statuses == {"a000.txt": "skipped", "a001.txt": "ok"}
    assert (out / "a001.hans.txt").read_bytes() == whole


def test_resume_redoes_docx_when_the_reference_document_changes(tmp_path, seed_path):
    import docx

    from convert.writers.docx import DocxOptions

    folder = seed_copies(tmp_path, seed_path, 1)
    out, reference = tmp_path / "out", tmp_path / "reference.docx"
    template = docx.Document()
    template.styles["Body Text"].font.size = docx.shared.Pt(15)
    template.save(str(reference))
    options = {"docx": DocxOptions(reference_docx=str(reference))}
    assert [r.status for r in convert.batch([folder], out, to=["docx"], writer_options=options)] == ["ok"]
    assert [r.status for r in convert.batch([folder], out, to=["docx"], writer_options=options)] == ["skipped"]
    template.styles["Body Text"].font.size = docx.shared.Pt(18)
    template.save(str(reference))
    assert [r.status for r in convert.batch([folder], out, to=["docx"], writer_options=options)] == ["ok"]
    made = docx.Document(str(out / "a000.docx"))
    assert made.styles["Body Text"].font.size == docx.shared.Pt(18)


def test_a_second_batch_into_the_same_folder_is_refused(tmp_path, seed_path):
    import fcntl

    from convert.batching import LOCK

    folder = seed_copies(tmp_path, seed_path, 1)
    out = tmp_path / "out"
    out.mkdir()
    with open(out / LOCK, "w") as held:  # as a running batch holds it
        fcntl.lockf(held, fcntl.LOCK_EX)
        done = subprocess.run([str(DOCCONV), "batch", str(folder), "-o", str(out), "-t", "json"],
                              capture_output=True, text=True)
        assert done.returncode == 2
        assert done.stderr.count("\n") == 1 and "another batch" in done.stderr and str(out) in done.stderr
        assert not list(out.glob("*.json"))
    assert [r.status for r in convert.batch([folder], out, to=["json"])] == ["ok"]  # free again


def test_two_batches_in_one_process_do_not_share_a_folder(tmp_path, seed_path):
    from convert.errors import UsageError

    folder = seed_copies(tmp_path, seed_path, 3)
    out = tmp_path / "out"
    first = convert.iter_batch([folder], out, to=["json"], force=True)
    next(first)  # running, and holding the folder
    try:
        list(convert.batch([folder], out, to=["json"], force=True))
    except UsageError as exc:
        assert "another batch" in str(exc)
    else:
        raise AssertionError("the second batch ran")
    assert len(list(first)) == 2
    assert [r.status for r in convert.batch([folder], out, to=["json"])] == ["skipped"] * 3


def test_a_killed_batch_leaves_the_folder_free(tmp_path, seed_path):
    """The lock dies with the batch (its workers die with it on Linux; the
    lock would be free even where they live on)."""
    folder = seed_copies(tmp_path, seed_path, 120)
    out = tmp_path / "out"
    proc = subprocess.Popen([str(DOCCONV), "batch", str(folder), "-o", str(out), "-t", "json", "-t", "pdf",
                             "-j", "2", "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline and not (out.exists() and list(out.glob("*.json"))):
        time.sleep(0.05)
    proc.kill()  # the parent only, as the out-of-memory killer would
    proc.wait()
    try:
        results = list(convert.batch([folder], out, to=["json"], jobs=1))
        assert {r.status for r in results} <= {"ok", "skipped"} and len(results) == 120
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # workers orphaned where the system does not end them
        except ProcessLookupError:
            pass


def test_a_file_that_kills_its_worker_fails_alone(tmp_path, seed_path, monkeypatch):
    """One file crashes its worker (as a segfault or the out-of-memory
    killer would): it is reported, and every other file, including those
    that were in flight in the same pool, is converted."""
    import multiprocessing

    import convert.batching as batching

    if multiprocessing.get_start_method() != "fork":
        import pytest

        pytest.skip("the crashing stand-in reaches the workers only through fork")
    folder = seed_copies(tmp_path, seed_path, 12)
    real = batching.convert

    def crashing(path, **kwargs):
        if Path(path).name == "a005.txt":
            os.kill(os.getpid(), signal.SIGKILL)
        return real(path, **kwargs)

    monkeypatch.setattr(batching, "convert", crashing)
    out = tmp_path / "out"
    results = {Path(r.input).name: r for r in convert.batch([folder], out, to=["json"], jobs=2)}
    assert len(results) == 12
    assert results["a005.txt"].status == "failed" and "died" in results["a005.txt"].error
    assert {name for name, r in results.items() if r.status == "ok"} == set(results) - {"a005.txt"}
    assert sorted(p.name for p in out.glob("a*.json")) == sorted(n.replace(".txt", ".json") for n in results
                                                                    if n != "a005.txt")
    assert not list(out.rglob("*.part"))


# ------------------------------------------------------------------ what a folder gives up

PAGE = ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>網頁的標題 | 某某新聞網</title></head><body>"
        "<h1>網頁的標題</h1><div class='date'>2021-05-06 10:20</div><div class='article'>"
        "<p>市政府今天公布新的交通計劃，將在三年內增設十條公車路線，並延長捷運的營運時間，以回應市民的需求。</p>"
        "<p>交通局長表示，新路線將優先連接新建住宅區與主要商業區，預計每天可服務超過五萬名乘客。</p></div>"
        "<div class='footer'><p>版權所有 2021 某某新聞網</p></div></body></html>")


def test_a_folder_gives_up_every_kind_a_reader_takes(tmp_path, seed_path):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_bytes(seed_path.read_bytes())
    (folder / "b.html").write_text(PAGE, "utf-8")
    (folder / "sub" / "c.HTM").write_text(PAGE, "utf-8")
    convert.write(convert.read(seed_path), folder / "d.json", to="json")  # a document of ours
    (folder / "records.json").write_text('[{"title": "a scraper\'s record"}]', "utf-8")  # any JSON: not one
    (folder / "notes.md").write_text("# notes", "utf-8")
    (folder / ".e.html").write_text(PAGE, "utf-8")
    assert [p.relative_to(folder).as_posix() for p in collect_inputs(folder)] == [
        "a.txt", "b.html", "d.json", "sub/c.HTM"]
    results = {Path(r.input).name: r for r in convert.batch([folder], tmp_path / "out", to=["json"])}
    assert {name: r.status for name, r in results.items()} == dict.fromkeys(["a.txt", "b.html", "c.HTM", "d.json"], "ok")
    assert json.loads((tmp_path / "out" / "b.json").read_text("utf-8"))["meta"]["title"] == "網頁的標題"
    assert collect_inputs(folder / "records.json") == [folder / "records.json"]  # named alone, it is read


def test_a_folder_gives_up_the_endings_any_registered_reader_declares(tmp_path, seed_path, monkeypatch):
    from convert import registry

    class MarkdownReader:
        name, suffixes = "md", (".md",)

    known, load = registry.reader_names, registry.get_reader
    monkeypatch.setattr(registry, "reader_names", lambda: [*known(), "md"])
    monkeypatch.setattr(registry, "get_reader", lambda name: MarkdownReader() if name == "md" else load(name))
    (tmp_path / "notes.md").write_text("# notes", "utf-8")
    (tmp_path / "a.txt").write_bytes(seed_path.read_bytes())
    assert [p.name for p in collect_inputs(tmp_path)] == ["a.txt", "notes.md"]


def test_a_page_and_its_text_side_by_side_never_write_the_same_file(tmp_path, seed_path):
    """A crawler that saves a page's HTML and its text as page.html and
    page.txt: the text keeps the name it had alone, the page keeps its ending."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "page.txt").write_bytes(seed_path.read_bytes())
    (folder / "page.html").write_text(PAGE, "utf-8")
    (folder / "page.htm").write_text(PAGE, "utf-8")
    convert.write(convert.read(seed_path), folder / "Page.json", to="json")  # a name differing in case too
    targets = [convert.Target("docx"), convert.Target("json"), convert.Target("txt", "hans")]
    stems = {p.name: stem for p, stem in output_stems([folder], targets)}
    assert stems == {"page.txt": "page", "page.htm": "page.htm", "page.html": "page.html", "Page.json": "Page.json"}
    out = tmp_path / "out"
    results = list(convert.batch([folder], out, to=targets))
    assert [r.status for r in results] == ["ok"] * 4
    names = sorted(_files(out))
    assert len(names) == 12 and "page.docx" in names and "page.html.docx" in names and "page.htm.hans.txt" in names
    assert json.loads((out / "page.json").read_text("utf-8"))["meta"]["title"] != "網頁的標題"  # the text's
    assert json.loads((out / "page.html.json").read_text("utf-8"))["meta"]["title"] == "網頁的標題"
    assert [r.status for r in convert.batch([folder], out, to=targets)] == ["skipped"] * 4
    # Without the text, the first page by name is named as the text was.
    (folder / "page.txt").unlink()
    assert {p.name: stem for p, stem in output_stems([folder], targets)}["page.htm"] == "page"
