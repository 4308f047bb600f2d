"""Regression tests for the ways a batch could lose or corrupt data.

One test a fault; each names what used to go wrong.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from _corpus import seed_copies
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import convert
from convert.errors import ExitCode

DOCCONV = Path(sys.executable).with_name("docconv")


def docconv(*args: str | os.PathLike, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(DOCCONV), *map(str, args)], capture_output=True, cwd=cwd, timeout=300)




# ------------------------------------------------------------------ 1


def test_gbk_file_names_survive_the_manifest_report_and_progress(tmp_path, seed_path):
    """A name that is not UTF-8 made the manifest save raise at the 100-file
    checkpoint: no report, and every rerun crashed at the same place."""
    folder = seed_copies(tmp_path, seed_path, 100)
    gbk = [b"0" + "新闻".encode("gbk") + b".txt", b"0" + "臺灣".encode("big5") + b".txt"]
    for name in gbk:  # "0" sorts them first: they are done before the checkpoint
        with open(os.fsencode(folder) + b"/" + name, "wb") as f:
            f.write(seed_path.read_bytes())
    out, report = tmp_path / "out", tmp_path / "report.json"
    first = docconv("batch", folder, "-o", out, "-t", "txt:hans", "--report", report, "-j", "2")
    err = first.stderr.decode("utf-8")
    assert first.returncode == 0 and "Traceback" not in err, err
    assert "102 converted" in err and "\\xd0\\xc2" in err  # the name as bash's $'...' would write it

    data = json.loads(report.read_text("utf-8"))
    reported = {os.fsencode(i["input"]) for i in data["inputs"]}
    assert {os.fsencode(folder) + b"/" + name for name in gbk} <= reported
    made = set(os.listdir(os.fsencode(out)))
    assert {name[:-4] + b".hans.txt" for name in gbk} <= made
    manifest = json.loads((out / ".docconv-manifest.json").read_text("utf-8"))["outputs"]
    assert {name[:-4] + b".hans.txt" for name in gbk} <= {os.fsencode(k) for k in manifest}

    again = docconv("batch", folder, "-o", out, "-t", "txt:hans", "-j", "2")
    assert again.returncode == 0 and "0 converted, 102 up to date" in again.stderr.decode("utf-8")
    # The document's metadata reads the name in its own encoding.
    doc = convert.read(os.fsdecode(os.fsencode(folder) + b"/" + gbk[0]))
    assert doc.meta.input_path.endswith("0新闻.txt")


# ------------------------------------------------------------------ 2


def test_a_link_in_the_output_folder_never_leads_to_writing_an_input(tmp_path, seed_path):
    """``ln -s ../in/b.txt out/a.txt``: a batch wrote a's text into b.txt."""
    folder = seed_copies(tmp_path, seed_path, 0)
    text = seed_path.read_text("utf-8")
    (folder / "a.txt").write_text(text.replace("姚彤", "甲"), "utf-8")
    (folder / "b.txt").write_text(text.replace("姚彤", "乙"), "utf-8")
    (folder / "sub").mkdir()
    (folder / "sub" / "c.txt").write_text(text.replace("姚彤", "丙"), "utf-8")
    before = {p: p.read_bytes() for p in folder.rglob("*.txt")}
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.txt").symlink_to("../in/b.txt")
    (out / "sub").symlink_to("../in/sub", target_is_directory=True)  # a folder on the way
    (out / ".docconv-lock").symlink_to("../in/nothing-here.txt")  # O_CREAT would make it

    r = docconv("batch", folder, "-o", out, "-t", "txt", "-j", "1")
    assert r.returncode == 2 and b"is a symbolic link" in r.stderr and r.stderr.count(b"\n") == 1
    assert not (folder / "nothing-here.txt").exists()
    (out / ".docconv-lock").unlink()

    r = docconv("batch", folder, "-o", out, "-t", "txt", "-j", "1")
    err = r.stderr.decode("utf-8")
    assert r.returncode == 1 and "Traceback" not in err, err
    assert {p: p.read_bytes() for p in folder.rglob("*.txt")} == before
    assert "sub/c.txt: output" in err and f"a.txt: output {out / 'a.txt'} would overwrite the input" in err
    assert "0 converted" not in err and (out / "b.txt").exists()

    # A link to a file that is no input of the run is replaced, not written through.
    (tmp_path / "elsewhere.txt").write_text("keep me", "utf-8")
    (out / "a.txt").unlink()
    (out / "a.txt").symlink_to("../elsewhere.txt")
    assert docconv("batch", folder / "a.txt", "-o", out, "-t", "txt").returncode == 0
    assert (tmp_path / "elsewhere.txt").read_text("utf-8") == "keep me"
    assert not (out / "a.txt").is_symlink() and "（甲）" in (out / "a.txt").read_text("utf-8")

    # One input's output landing on another input, through the linked folder.
    (folder / "sub" / "c.hans.txt").write_text(text.replace("姚彤", "丁"), "utf-8")
    before = {p: p.read_bytes() for p in folder.rglob("*.txt")}
    r = docconv("batch", folder, "-o", out, "-t", "txt:hans", "-j", "1")
    assert r.returncode == 1 and b"would overwrite the input" in r.stderr
    assert {p: p.read_bytes() for p in folder.rglob("*.txt") if p.name != "c.hans.hans.txt"} == before

    # The library alone: a link is replaced, not written through.
    (out / "a.txt").unlink()
    (out / "a.txt").symlink_to("../in/b.txt")
    convert.convert(folder / "a.txt", to="txt", out_dir=out, stem="a")
    assert not (out / "a.txt").is_symlink() and (folder / "b.txt").read_bytes() == before[folder / "b.txt"]


# ------------------------------------------------------------------ 3


def test_up_to_date_is_decided_by_the_input_content_not_its_date(tmp_path, seed_path, monkeypatch):
    """An input edited while it converted got an output newer than itself,
    and one replaced by a copy with an older date was "up to date": both
    kept a stale output for good."""
    import convert.batching as batching

    folder = seed_copies(tmp_path, seed_path, 3)
    out = tmp_path / "out"
    hour_ago = os.stat(folder / "a000.txt").st_mtime - 3600
    for p in folder.iterdir():
        os.utime(p, (hour_ago, hour_ago))

    def status(**kwargs) -> dict[str, str]:
        return {Path(r.input).name: r.status for r in convert.batch([folder], out, to=["txt"], **kwargs)}

    def edit(name: str, old: str, new: str) -> None:
        path = folder / name
        path.write_text(path.read_text("utf-8").replace(old, new), "utf-8")

    real = batching.convert

    def edited_while_converting(path, **kwargs):
        result = real(path, **kwargs)
        if Path(path).name == "a002.txt":
            edit("a002.txt", "記者2", "記者9")  # same size, and dated as before
            os.utime(path, (hour_ago, hour_ago))
        return result

    monkeypatch.setattr(batching, "convert", edited_while_converting)
    assert status() == dict.fromkeys(("a000.txt", "a001.txt", "a002.txt"), "ok")
    monkeypatch.setattr(batching, "convert", real)

    edit("a000.txt", "記者0", "編輯0")  # then back to the old date, as cp -p, rsync or tar would
    os.utime(folder / "a000.txt", (hour_ago - 86400, hour_ago - 86400))
    os.utime(folder / "a001.txt")  # touched only: the same bytes
    assert status() == {"a000.txt": "ok", "a001.txt": "skipped", "a002.txt": "ok"}
    assert "編輯0" in (out / "a000.txt").read_text("utf-8") and "記者9" in (out / "a002.txt").read_text("utf-8")
    assert status() == dict.fromkeys(("a000.txt", "a001.txt", "a002.txt"), "skipped")


# ------------------------------------------------------------------ 4


def test_a_manifest_that_cannot_be_saved_does_not_stop_the_batch(tmp_path, seed_path, monkeypatch):
    """A full disk at a manifest checkpoint crashed the batch with a
    traceback and no summary; the files after it were never attempted."""
    from typer.testing import CliRunner

    import convert.batching as batching
    from convert.cli import app

    folder = seed_copies(tmp_path, seed_path, 5)
    out, report = tmp_path / "out", tmp_path / "report.json"
    real_replace = os.replace

    def disk_full_for_the_manifest(src, dst, *args, **kwargs):
        if Path(dst).name == batching.MANIFEST:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(batching, "CHECKPOINT_EVERY", 2)
    monkeypatch.setattr(os, "replace", disk_full_for_the_manifest)
    r = CliRunner().invoke(app, ["batch", str(folder), "-o", str(out), "-t", "json", "-j", "1", "-q",
                                 "--report", str(report)])
    monkeypatch.setattr(os, "replace", real_replace)
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    assert r.exit_code == 1
    errors = [line for line in r.stderr.splitlines() if line.startswith("docconv: error:")]
    assert len(errors) == 1 and batching.MANIFEST in errors[0] and "No space left" in errors[0]
    assert "5 converted, 0 up to date, 0 failed" in r.stderr
    assert sorted(p.name for p in out.glob("*.json")) == [f"a{i:03d}.json" for i in range(5)]
    data = json.loads(report.read_text("utf-8"))
    assert data["problems"] == [errors[0][len("docconv: error: "):]] and data["summary"] == {"ok": 5}
    assert not list(out.rglob("*.part"))

    # The library says so too.  A rerun once there is room makes again what
    # was not recorded: nothing where the journal kept it.
    monkeypatch.setattr(os, "replace", disk_full_for_the_manifest)
    with pytest.warns(RuntimeWarning, match="No space left"):
        assert len(list(convert.batch([folder], out, to=["json"], force=True))) == 5
    monkeypatch.setattr(os, "replace", real_replace)
    journal = batching._boot_id() is not None
    assert [r.status for r in convert.batch([folder], out, to=["json"])] == ["skipped" if journal else "ok"] * 5
    assert [r.status for r in convert.batch([folder], out, to=["json"])] == ["skipped"] * 5


# ------------------------------------------------------------------ 5


def test_the_leftover_cleanup_removes_only_its_own_temporaries_of_an_accepted_run(tmp_path, seed_path):
    """Any hidden ``.*.XXXXXX.part`` older than 15 minutes under -o was
    deleted, a user's file too, and even when the run was then refused."""
    import fcntl

    from convert.api import TEMPORARY_PREFIX
    from convert.batching import LOCK

    folder = seed_copies(tmp_path, seed_path, 1)
    out = tmp_path / "out"
    (out / "notes").mkdir(parents=True)
    users = [out / ".notes.abcdef.part", out / "notes" / ".draft.txt.x1y2z3w4.part"]
    ours = out / f"{TEMPORARY_PREFIX}a000.json.x1y2z3w4.part"
    hour_ago = os.stat(folder / "a000.txt").st_mtime - 3600
    for path in (*users, ours):
        path.write_bytes(b"a draft the user keeps")
        os.utime(path, (hour_ago, hour_ago))

    refused = [docconv("batch", tmp_path / "missing", "-o", out, "-t", "json"),
               docconv("batch", tmp_path / "notes-only", "-o", out, "-t", "json")]
    (tmp_path / "notes-only").mkdir()
    refused.append(docconv("batch", tmp_path / "notes-only", "-o", out, "-t", "json"))
    with open(out / LOCK, "w") as held:  # as a running batch holds it
        fcntl.lockf(held, fcntl.LOCK_EX)
        refused.append(docconv("batch", folder, "-o", out, "-t", "json"))
    assert [r.returncode for r in refused] == [2, 2, 2, 2]
    assert ours.exists(), "removed by a run that was refused"

    assert docconv("batch", folder, "-o", out, "-t", "json").returncode == 0
    assert not ours.exists()
    assert all(p.read_bytes() == b"a draft the user keeps" for p in users)


# ------------------------------------------------------------------ 6


def test_a_report_over_an_output_or_the_manifest_is_refused_before_converting(tmp_path, seed_path):
    """``--report out/a000.json`` silently overwrote that output (or the
    manifest, or an input, found out only after converting everything)."""
    folder = seed_copies(tmp_path, seed_path, 2)
    out = tmp_path / "out"
    assert docconv("batch", folder, "-o", out, "-t", "json", "-t", "txt:hans").returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (folder / "a002.txt").write_bytes(seed_path.read_bytes())  # work the refused runs must not do
    for report, needle in ((out / "a000.json", "the output"), (out / "a001.hans.txt", "the output"),
                           (out / "a002.json", "the output"),  # not made yet, but it would be
                           (out / ".docconv-manifest.json", "the manifest"),
                           (folder / "a001.txt", "the input"), (out, "is a directory")):
        r = docconv("batch", folder, "-o", out, "-t", "json", "-t", "txt:hans", "--report", report)
        err = r.stderr.decode("utf-8")
        assert r.returncode == 2 and err.count("\n") == 1 and err.startswith("docconv: error:"), err
        assert needle in err and "Traceback" not in err
        assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert (folder / "a001.txt").read_bytes() != b"" and not (out / "a002.json").exists()


# ------------------------------------------------------------------ 7


def test_a_read_only_output_is_not_replaced(tmp_path, seed_path):
    """A 0444 output was replaced, and its mode reset to 0644."""
    folder = seed_copies(tmp_path, seed_path, 2)
    out = tmp_path / "out"
    out.mkdir()
    kept = out / "a000.txt"
    kept.write_text("hand-corrected; keep", "utf-8")
    kept.chmod(0o444)

    r = docconv("batch", folder, "-o", out, "-t", "txt", "-j", "1", "--force")
    err = r.stderr.decode("utf-8")
    assert r.returncode == 1 and "Traceback" not in err, err
    failed = [line for line in err.splitlines() if line.startswith("failed")]
    assert len(failed) == 1 and f"{kept}: read-only, not replaced" in failed[0]
    assert "1 converted, 0 up to date, 1 failed" in err
    assert kept.read_text("utf-8") == "hand-corrected; keep" and kept.stat().st_mode & 0o777 == 0o444
    assert (out / "a001.txt").exists()

    one = docconv("convert", folder / "a000.txt", "-o", kept)
    errors = [line for line in one.stderr.decode("utf-8").splitlines() if line.startswith("docconv: error:")]
    assert one.returncode == 1 and len(errors) == 1 and "read-only, not replaced" in errors[0]
    assert kept.read_text("utf-8") == "hand-corrected; keep"


# ------------------------------------------------------------------ 8


def test_an_output_is_never_written_under_another_formats_extension(tmp_path, seed_path):
    """``-o x.docx`` wrote plain text into x.docx; ``-t docx -o x.pdf`` a DOCX named .pdf."""
    import zipfile

    docx = tmp_path / "x.docx"
    r = docconv("convert", seed_path, "-o", docx)
    assert r.returncode == 0, r.stderr
    assert zipfile.is_zipfile(docx) and "word/document.xml" in zipfile.ZipFile(docx).namelist()
    assert docconv("convert", seed_path, "-o", tmp_path / "x.pdf").returncode == 0
    assert (tmp_path / "x.pdf").read_bytes().startswith(b"%PDF-")
    assert docconv("convert", seed_path, "-o", tmp_path / "x.md").returncode == 0  # not a format's: text
    assert (tmp_path / "x.md").read_text("utf-8").startswith("新疆")

    for args in (("-t", "docx", "-o", tmp_path / "y.pdf"), ("-t", "txt:hans", "-o", tmp_path / "y.json"),
                 ("-t", "docx", "-t", "pdf", "-o", tmp_path / "y.pdf")):
        r = docconv("convert", seed_path, *args)
        err = r.stderr.decode("utf-8")
        assert r.returncode == 2 and err.count("\n") == 1 and err.startswith("docconv: error:"), err
        assert "y." in err and not list(tmp_path.glob("y*"))
    bundle = docconv("batch", seed_path, "--bundle", tmp_path / "y.pdf")
    assert bundle.returncode == 2 and not list(tmp_path.glob("y*"))

    doc = convert.read(seed_path)
    convert.write(doc, tmp_path / "z.json")  # the library too
    assert json.loads((tmp_path / "z.json").read_text("utf-8"))["meta"]["byline"] == "姚彤"
    with pytest.raises(convert.UsageError, match="ask for pdf"):
        convert.write(doc, tmp_path / "z.pdf", to="docx")


# ------------------------------------------------------------------ 9


def test_text_decoded_into_the_private_use_area_is_warned_about(tmp_path, seed_path):
    """A file mixing GBK and Big5 decoded as GB18030 into Private Use Area
    characters (blanks or boxes in every output) with exit 0 and no word."""
    gbk = "国家发展改革委发出通知，决定将汽、柴油价格每吨均提高50元。\n".encode("gbk")
    big5 = "台北市政府今天公布星級商圈分級認證，美食聖地獲得最高殊榮。\n".encode("big5")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "mixed.txt").write_bytes(gbk * 3 + big5)
    (folder / "clean.txt").write_bytes(gbk * 3)
    report = tmp_path / "report.json"
    r = docconv("batch", folder, "-o", tmp_path / "out", "-t", "txt", "--report", report, "-j", "1")
    err = r.stderr.decode("utf-8")
    assert r.returncode == 0 and "Private Use Area" in err, err
    warnings = {Path(i["input"]).name: i["warnings"] for i in json.loads(report.read_text("utf-8"))["inputs"]}
    assert [w for w in warnings["mixed.txt"] if "Private Use Area" in w] == [
        next(w for w in warnings["mixed.txt"] if w.startswith("10 character(s) decoded as gb18030"))]
    assert not any("Private Use Area" in w for w in warnings["clean.txt"])

    one = docconv("convert", folder / "mixed.txt", "-o", "-")
    assert one.returncode == 0 and b"docconv: warning:" in one.stderr and b"Private Use Area" in one.stderr


# ------------------------------------------------------------------ 13


def _start_batch(folder: Path, out: Path, *args: str) -> subprocess.Popen:
    # A suite started in the background inherits SIGINT ignored, and so would
    # the batch: it gets the default behaviour back, as at a terminal.
    return subprocess.Popen([str(DOCCONV), "batch", str(folder), "-o", str(out), "-t", "json", "-t", "pdf",
                             "-j", "2", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def _wait_for_outputs(out: Path, count: int) -> None:
    deadline = time.time() + 60
    while time.time() < deadline and not (out.exists() and len(list(out.glob("*.json"))) >= count):
        time.sleep(0.05)


def test_sigterm_stops_a_batch_as_ctrl_c_does(tmp_path, seed_path):
    """SIGTERM (kill, a service stopping, a CI time-out) ended the batch
    where it stood: temporary files left behind, the manifest unsaved."""
    folder = seed_copies(tmp_path, seed_path, 120)
    out = tmp_path / "out"
    proc = _start_batch(folder, out)
    try:
        _wait_for_outputs(out, 2)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    finally:
        _kill_group(proc)
    assert proc.returncode == ExitCode.TERMINATED, err
    assert b"Traceback" not in err and b"terminated after" in err
    assert not list(out.rglob("*.part"))
    made = sorted(out.glob("*.json"))
    assert 2 <= len(made) < 120
    complete = {p.stem for p in made if (out / f"{p.stem}.pdf").exists()}
    for path in made:
        json.loads(path.read_text("utf-8"))
    rerun = list(convert.batch([folder], out, to=["json", "pdf"], jobs=2))
    assert {Path(r.input).stem for r in rerun if r.status == "skipped"} == complete


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found


@pytest.mark.parametrize("sig, code, word", [(signal.SIGTERM, ExitCode.TERMINATED, "terminated"),
                                             (signal.SIGINT, ExitCode.INTERRUPTED, "interrupted")])
def test_a_conversion_stopped_says_so_ends_its_writers_and_leaves_nothing(tmp_path, seed_path, sig, code, word):
    """Typer turned Ctrl-C and SIGTERM during a conversion into a silent exit
    130; the writers started ahead must end with it, their files too."""
    if not sys.platform.startswith("linux"):
        pytest.skip("the children are found through /proc")
    big = tmp_path / "big.txt"
    big.write_bytes(seed_path.read_bytes() * 600)
    out = tmp_path / "out"
    proc = subprocess.Popen([str(DOCCONV), "convert", str(big), "-t", "docx", "-t", "pdf", "-t", "epub", "-t", "txt",
                             "-o", str(out)], stderr=subprocess.PIPE, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        deadline = time.time() + 60
        children: list[int] = []
        while time.time() < deadline and proc.poll() is None and not children:
            time.sleep(0.05)
            children = _children(proc.pid)
        time.sleep(0.3)  # the conversion under way
        assert proc.poll() is None, "the conversion ended before it could be stopped"
        proc.send_signal(sig)  # to the command alone, as a service manager or kill does
        _, err = proc.communicate(timeout=60)
    finally:
        _kill_group(proc)
    assert proc.returncode == code, err
    assert err.decode().splitlines() == [f"docconv: {word}: {big}: no output written"]
    assert not out.exists() or os.listdir(out) == []
    if len(os.sched_getaffinity(0)) > 1:  # the command writes in children where it has a processor to spare
        assert children, "no writer was started ahead"
    for child in children:
        assert not Path(f"/proc/{child}").exists() or "Z" in Path(f"/proc/{child}/stat").read_text().split()[2]


def test_workers_die_with_their_parent(tmp_path, seed_path):
    """A batch killed outright left its workers converting into a folder
    that no lock guarded any more."""
    if not sys.platform.startswith("linux"):
        pytest.skip("the system kills workers with their parent only on Linux")
    folder = seed_copies(tmp_path, seed_path, 120)
    out = tmp_path / "out"
    proc = _start_batch(folder, out)
    try:
        _wait_for_outputs(out, 2)
        proc.kill()  # the parent only, as the out-of-memory killer would
        proc.wait()
        deadline = time.time() + 10
        while time.time() < deadline and _group_alive(proc.pid):
            time.sleep(0.05)
        assert not _group_alive(proc.pid), "workers outlived their parent"
    finally:
        _kill_group(proc)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    # Zombies count as gone: only the test (their grandparent's parent) could reap them.
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                return True
    return False


def _kill_group(proc: subprocess.Popen) -> None:

    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


def test_a_batch_killed_outright_loses_at_most_the_files_in_flight(tmp_path, seed_path):
    """The manifest was saved every 100 files: kill -9 (or the out-of-memory
    killer) before the first save lost the record of everything done."""
    import convert.batching as batching

    if batching._boot_id() is None:
        pytest.skip("the journal is kept only where the system's boot id is known")
    folder = seed_copies(tmp_path, seed_path, 120)
    out = tmp_path / "out"
    proc = _start_batch(folder, out)
    try:
        _wait_for_outputs(out, 20)
        proc.kill()
        proc.wait()
    finally:
        _kill_group(proc)
    complete = {p.stem for p in out.glob("*.json") if (out / f"{p.stem}.pdf").exists()}
    assert 10 <= len(complete) < batching.CHECKPOINT_EVERY
    rerun = list(convert.batch([folder], out, to=["json", "pdf"], jobs=2))
    skipped = {Path(r.input).stem for r in rerun if r.status == "skipped"}
    in_flight = 2 * 3  # the window of jobs handed to two workers
    assert skipped <= complete and len(complete - skipped) <= in_flight
    assert {r.status for r in rerun} == {"ok", "skipped"}


# ------------------------------------------------------------------ 15


def test_the_library_takes_one_path_as_one_input_and_keeps_outputs_in_their_folder(tmp_path, seed_path,
                                                                                   monkeypatch):
    """``convert.batch('/path/in', 'out')`` took the str for one input a
    character (and "/" for the first); ``convert.convert(..., stem='../../x')``
    wrote outside out_dir."""
    folder = seed_copies(tmp_path, seed_path, 2)
    out = tmp_path / "deep" / "out"
    monkeypatch.chdir(tmp_path)  # a relative name: a regression must not walk from "/"
    results = list(convert.batch("in", out, to="json"))
    assert sorted(Path(r.input).name for r in results) == ["a000.txt", "a001.txt"]
    assert [r.status for r in convert.batch(folder / "a000.txt", out, to="json")] == ["skipped"]
    for stem in ("../../x", "/tmp/x", "sub/../../x", "", "."):
        with pytest.raises(convert.UsageError, match="inside the output folder"):
            convert.convert(folder / "a000.txt", to="json", out_dir=out, stem=stem)
    assert not (tmp_path / "x.json").exists() and not list(tmp_path.glob("*.json"))
    assert convert.convert(folder / "a000.txt", to="json", out_dir=out, stem="sub/x").outputs == [
        str(out / "sub" / "x.json")]


# ------------------------------------------------------------------ 24


def test_a_refused_batch_leaves_no_output_folder_or_lock_behind(tmp_path, seed_path):
    """A missing input still created the -o folder and a lock file in it."""
    folder = seed_copies(tmp_path, seed_path, 1)
    (tmp_path / "empty").mkdir()
    for args in ((tmp_path / "missing.txt",), (folder, tmp_path / "missing"), (tmp_path / "empty",),
                 (folder, "--report", folder / "a000.txt")):
        out = tmp_path / "out" / "deeper"
        r = docconv("batch", *args[:1], "-o", out, *args[1:])
        assert r.returncode == 2 and r.stderr.count(b"\n") == 1, r.stderr
        assert not (tmp_path / "out").exists()


# ------------------------------------------------------------------ 14


def test_links_out_of_an_input_folder_are_followed_only_when_asked(tmp_path, seed_path):
    """A link in the input tree to a file outside it (``secret.txt ->
    ~/.ssh/notes.txt``) was read, and its content written into the outputs."""
    folder = seed_copies(tmp_path, seed_path, 1)
    outside = tmp_path / "private"
    (outside / "more").mkdir(parents=True)
    (outside / "notes.txt").write_text("口令：123456\n不该出现在输出里。", "utf-8")
    (outside / "more" / "deep.txt").write_text("另一份私人笔记。", "utf-8")
    (folder / "secret.txt").symlink_to(outside / "notes.txt")
    (folder / "linked").symlink_to(outside / "more", target_is_directory=True)
    (folder / "loop").symlink_to(folder, target_is_directory=True)  # followed, it must not go round for ever
    (folder / "inside.txt").symlink_to(folder / "a000.txt")  # within the tree: the same file, once

    out = tmp_path / "out"
    r = docconv("batch", folder, "-o", out, "-t", "txt", "--report", tmp_path / "report.json")
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in out.glob("*.txt")) == ["a000.txt"]
    assert "口令" not in (tmp_path / "report.json").read_text("utf-8")

    followed = {Path(r.input).relative_to(folder).as_posix()
                for r in convert.batch(folder, tmp_path / "out2", to="txt", follow_links=True)}
    assert followed == {"a000.txt", "secret.txt", "linked/deep.txt"}
    assert docconv("batch", folder, "-o", tmp_path / "out3", "-t", "txt", "--follow-links").returncode == 0
    assert (tmp_path / "out3" / "secret.txt").read_text("utf-8").startswith("口令")
    # A link named on its own is the caller's choice.
    assert [r.status for r in convert.batch(folder / "secret.txt", tmp_path / "out4", to="txt")] == ["ok"]


# ------------------------------------------------------------------ 16


def test_control_characters_in_file_names_are_printed_escaped(tmp_path, seed_path):
    """A file name holding an escape sequence drove the terminal (set its
    title, cleared the screen), and one with a newline split a one-line error."""
    folder = tmp_path / "in"
    folder.mkdir()
    name = "a\x1b]0;pwned\x07\x1b[2J\nb.txt"
    (folder / name).write_bytes(seed_path.read_bytes())
    (folder / "bad\x1b[31m.txt").write_bytes(b"")
    runs = [docconv("batch", folder, "-o", tmp_path / "out", "-t", "txt"),
            docconv("convert", folder / name, "-o", tmp_path / "x.txt"),
            docconv("convert", folder / "bad\x1b[31m.txt", "-o", tmp_path / "y.txt"),
            docconv("inspect", folder / name)]
    assert [r.returncode for r in runs] == [1, 0, 1, 0]
    for r in runs:
        assert not any(c in r.stderr + r.stdout for c in (b"\x1b", b"\x07")), r.stderr
    lines = runs[0].stderr.decode("utf-8").splitlines()
    assert any(line.startswith("ok") and line.endswith("s)") and "\\x1b]0;pwned\\x07" in line
               and "\\x0ab.txt" in line for line in lines), lines
    failed = [line for line in lines if line.startswith("failed")]
    assert failed[0].endswith("bad\\x1b[31m.txt: empty input (no text)")
    assert runs[2].stderr.decode("utf-8").count("\n") == 1


# ------------------------------------------------------------------ 19


def test_a_huge_paragraph_converts_and_a_failed_file_leaves_no_outputs(tmp_path, seed_path, monkeypatch):
    """A 20 MB single-paragraph text: the EPUB writer failed ("Text node too
    long") with a traceback after the other formats were written; in a batch
    the file failed but its DOCX stayed, listed nowhere; --bundle lost the
    whole book."""
    import zipfile

    import docx
    from lxml import etree

    import convert.writers.epub as epub
    from convert.writers.epub import book as epub_book

    sentence = "新疆维吾尔自治区党委召开常委会议，陈全国主持会议并讲话。"
    huge = tmp_path / "huge.txt"  # just over libxml2's 10,000,000 bytes a text node
    huge.write_text("标题\n\n" + sentence * 121_000 + "\n", "utf-8")
    out = tmp_path / "out"
    r = docconv("convert", huge, "-t", "json", "-t", "docx", "-t", "epub", "-o", out)
    err = r.stderr.decode("utf-8")
    assert r.returncode == 0 and "Traceback" not in err, err
    paragraphs = [p.text for p in docx.Document(str(out / "huge.docx")).paragraphs]
    assert max(map(len, paragraphs)) == len(sentence) * 121_000
    with zipfile.ZipFile(out / "huge.epub") as book:
        chapter = etree.fromstring(book.read("EPUB/text/chapter-001.xhtml"))  # no huge_tree needed
    assert len("".join(chapter.itertext())) > len(sentence) * 121_000

    # A writer that fails takes the file's other outputs with it.
    folder = seed_copies(tmp_path, seed_path, 2)
    real = epub.EpubWriter.write

    def fails_on_a001(self, doc, stream, options=None):
        if doc.meta.input_path.endswith("a001.txt"):
            raise ValueError("the writer broke")
        return real(self, doc, stream, options)

    monkeypatch.setattr(epub.EpubWriter, "write", fails_on_a001)
    results = {Path(r.input).name: r for r in convert.batch(folder, out, to=["docx", "epub", "json"])}
    assert results["a001.txt"].status == "failed" and "the writer broke" in results["a001.txt"].error
    assert results["a001.txt"].outputs == [] and not list(out.glob("a001.*")) and not list(out.rglob("*.part"))
    assert sorted(p.name for p in out.glob("a000.*")) == ["a000.docx", "a000.epub", "a000.json"]

    # One chapter that cannot be set leaves the others their book.
    real_chapter = epub_book.chapter

    def chapter_fails_on_a001(doc, *args):
        if doc.meta.input_path.endswith("a001.txt"):
            raise ValueError("the chapter broke")
        return real_chapter(doc, *args)

    monkeypatch.setattr(epub_book, "chapter", chapter_fails_on_a001)
    book = tmp_path / "news.epub"
    r_bundle = convert.api.bundle(folder, book)
    statuses = {Path(r.input).name: r.status for r in r_bundle}
    assert statuses == {"a000.txt": "ok", "a001.txt": "failed"} and zipfile.is_zipfile(book)
    assert "the chapter broke" in next(r.error for r in r_bundle if r.status == "failed")


# ------------------------------------------------------------------ 20


def _reference(path: Path, change: dict[str, bytes | None] | None = None, **styles) -> Path:
    """A Word document made by python-docx, with parts replaced (None: removed)."""
    import io
    import zipfile

    import docx

    word = docx.Document()
    word.styles["Title"].font.size = docx.shared.Pt(30)
    word.add_paragraph("模板里的示例文字")
    raw = io.BytesIO()
    word.save(raw)
    change = change or {}
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            if name not in change:
                dst.writestr(name, src.read(name))
        for name, data in change.items():
            if data is not None:
                dst.writestr(name, data)
    return path


def _zip_part(path: Path, name: str) -> bytes:
    import zipfile

    with zipfile.ZipFile(path) as z:
        return z.read(name)


def test_a_broken_reference_docx_is_a_one_line_error(tmp_path, seed_path):
    """A reference DOCX with a DTD or broken XML in fontTable.xml, or without
    w:sectPr, gave a traceback (XMLSyntaxError, IndexError)."""
    import re

    plain = _reference(tmp_path / "plain.docx")
    fonts = _zip_part(plain, "word/fontTable.xml")
    dtd = fonts.replace(b"?>", b'?><!DOCTYPE w:fonts [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>', 1)
    dtd = dtd.replace(b"</w:fonts>", b'<w:font w:name="&b;"/></w:fonts>')
    document = _zip_part(plain, "word/document.xml")
    for name, change, needle in (("dtd.docx", {"word/fontTable.xml": dtd}, "declares a DTD"),
                                 ("broken.docx", {"word/fontTable.xml": fonts[:-20]}, "not well-formed XML"),
                                 ("garbage.docx", {"word/styles.xml": b"\x00\xff" * 10}, "word/styles.xml")):
        reference = _reference(tmp_path / name, change)
        for command in (("convert", seed_path, "-t", "docx", "-o", tmp_path / "out.docx"),
                        ("batch", seed_path, "-t", "docx", "-o", tmp_path / "out")):
            r = docconv(*command, "--reference-docx", reference)
            err = r.stderr.decode("utf-8")
            assert r.returncode == 2 and err.count("\n") == 1 and err.startswith("docconv: error:"), err
            assert needle in err and name in err
        assert not (tmp_path / "out.docx").exists() and not (tmp_path / "out").exists()

    # A document without a section (Word's own defaults) lends its styles; the page is ours.
    bare = re.sub(rb"<w:sectPr.*</w:sectPr>", b"", document, flags=re.S)
    reference = _reference(tmp_path / "no-section.docx", {"word/document.xml": bare})
    r = docconv("convert", seed_path, "-t", "docx", "-o", tmp_path / "out.docx", "--reference-docx", reference)
    err = r.stderr.decode("utf-8")
    assert r.returncode == 0 and "no page setup" in err and "Traceback" not in err, err
    made = _zip_part(tmp_path / "out.docx", "word/document.xml")
    assert b'w:w="11906"' in made and b"w:sectPr" in made  # A4
    assert b'w:val="60"' in _zip_part(tmp_path / "out.docx", "word/styles.xml")  # its 30 pt title


# ------------------------------------------------------------------ 10


def test_a_reference_docx_lends_no_links_to_outside_it(tmp_path, seed_path):
    """--reference-docx carried its external relationships into every output:
    a remote attachedTemplate, the hyperlinks of its text, a picture on a
    ``file://`` share in its header."""
    import io
    import zipfile

    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml

    word = docx.Document()
    word.styles["Title"].font.size = docx.shared.Pt(30)
    body = word.add_paragraph("模板里的示例文字")
    link = word.part.relate_to("http://attacker.example/track", RT.HYPERLINK, is_external=True)
    body._p.append(parse_xml(f'<w:hyperlink xmlns:w="{W}" xmlns:r="{R}" r:id="{link}"><w:r><w:t>点这里</w:t>'
                             "</w:r></w:hyperlink>"))
    header = word.sections[0].header
    header.paragraphs[0].text = "本社内部稿件"
    picture = header.part.relate_to("file:///\\\\fileserver\\share\\logo.png", RT.IMAGE, is_external=True)
    header.paragraphs[0]._p.append(parse_xml(
        f'<w:r xmlns:w="{W}" xmlns:r="{R}" xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape>'
        f'<v:imagedata r:id="{picture}"/></v:shape></w:pict></w:r>'))
    template = word.part._settings_part.relate_to("http://attacker.example/normal.dotm", f"{R}/attachedTemplate",
                                                  is_external=True)
    word.settings.element.append(parse_xml(f'<w:attachedTemplate xmlns:w="{W}" xmlns:r="{R}" r:id="{template}"/>'))
    reference = tmp_path / "house.docx"
    word.save(str(reference))

    out = tmp_path / "out.docx"
    r = docconv("convert", seed_path, "-t", "docx", "-o", out, "--reference-docx", reference)
    err = r.stderr.decode("utf-8")
    assert r.returncode == 0, err
    warnings = [line for line in err.splitlines() if "left out" in line]
    assert len(warnings) == 1 and "3 link(s)" in warnings[0] and "attacker.example" in warnings[0]
    with zipfile.ZipFile(out) as z:
        everything = b"".join(z.read(name) for name in z.namelist())
    assert b"External" not in everything and b"attacker" not in everything and b"fileserver" not in everything
    made = docx.Document(io.BytesIO(out.read_bytes()))
    assert made.sections[0].header.paragraphs[0].text == "本社内部稿件"  # the header stays, the picture goes
    assert made.styles["Title"].font.size == docx.shared.Pt(30)
    assert "点这里" not in everything.decode("utf-8", "replace")


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


# ------------------------------------------------------------------ 11


def test_a_zip_bomb_as_reference_docx_is_read_within_bounds(tmp_path, seed_path):
    """A reference document of 1 MB with a part of 1 GiB took 3.2 GB and 27 s,
    and the part was copied into every output."""
    import re
    import zipfile

    def bomb(path: Path, name: str, extra: dict[str, bytes] | None = None) -> Path:
        plain = _reference(tmp_path / "plain.docx")
        with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
            for member in src.namelist():
                data = src.read(member)
                for old, new in (extra or {}).items():
                    if member == old.split("|")[0]:
                        data = re.sub(old.split("|")[1].encode(), new, data, count=1)
                if member != name:
                    dst.writestr(member, data)
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            with dst.open(info, "w", force_zip64=True) as part:
                zeros = bytes(1 << 20)
                for _ in range(1024):
                    part.write(zeros)
        return path

    def measured(*args) -> tuple[subprocess.CompletedProcess, float]:
        probe = ("import resource, subprocess, sys\n"
                 "r = subprocess.run(sys.argv[1:], capture_output=True)\n"
                 "sys.stderr.buffer.write(r.stderr)\n"
                 "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)\n"
                 "sys.exit(r.returncode)\n")
        r = subprocess.run([sys.executable, "-c", probe, str(DOCCONV), *map(str, args)], capture_output=True,
                           timeout=300)
        return r, float(r.stdout)

    # A picture of the reference's own text: never read, never copied.
    rels = "word/_rels/document.xml.rels|</Relationships>"
    picture = (b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
               b'relationships/image" Target="media/image1.png"/></Relationships>')
    types = "[Content_Types].xml|<Default "
    reference = bomb(tmp_path / "picture-bomb.docx", "word/media/image1.png",
                     {rels: picture, types: b'<Default Extension="png" ContentType="image/png"/><Default '})
    assert reference.stat().st_size < 8 << 20
    out = tmp_path / "out.docx"
    r, peak_mb = measured("convert", seed_path, "-t", "docx", "-o", out, "--reference-docx", reference)
    assert r.returncode == 0, r.stderr
    assert out.stat().st_size < 1 << 20 and peak_mb < 400
    assert "word/media/image1.png" not in zipfile.ZipFile(out).namelist()

    # A part the styles need: refused once the bound is passed, in one line.
    reference = bomb(tmp_path / "styles-bomb.docx", "word/styles.xml")
    r, peak_mb = measured("convert", seed_path, "-t", "docx", "-o", out, "--reference-docx", reference)
    err = r.stderr.decode("utf-8")
    assert r.returncode == 2 and err.count("\n") == 1 and "word/styles.xml is larger than" in err, err
    assert peak_mb < 400

    # Too many parts to be a Word document.
    many = tmp_path / "many.docx"
    with zipfile.ZipFile(_reference(tmp_path / "plain.docx")) as src, zipfile.ZipFile(many, "w") as dst:
        for member in src.namelist():
            dst.writestr(member, src.read(member))
        for i in range(20_000):
            dst.writestr(f"customXml/extra{i}.xml", b"")
    r = docconv("convert", seed_path, "-t", "docx", "-o", out, "--reference-docx", many)
    assert r.returncode == 2 and b"holds 20017 files" in r.stderr and r.stderr.count(b"\n") == 1, r.stderr


# ------------------------------------------------------------------ 21


def test_a_json_document_is_checked_whole_on_reading(tmp_path, seed_path):
    """The JSON reader checked almost no types: a title of 123, null or a
    list, numbers for the date or language, ``"level": true``, NaN, an
    unknown script, a 5,000-digit number, a lone surrogate, U+0001, 300-deep
    nesting, editors as a string (split into characters), a lang EPUBCheck
    refuses, a heading of level -5 (``<h-4>``): tracebacks or broken output."""
    good = json.loads(convert.to_json(convert.read(seed_path)))
    assert good["blocks"][0]["t"] == "Para" and good["blocks"][0]["c"]["content"][0]["t"] == "Str"

    def doc(change) -> str:
        data = json.loads(json.dumps(good))
        change(data)
        return json.dumps(data, ensure_ascii=False)

    def text_of(value: str):
        return lambda d: d["blocks"][0]["c"]["content"][0]["c"].update(text=value)

    def nested(depth: int):
        def change(d):
            node = {"t": "Str", "c": {"text": "深"}}
            for _ in range(depth):
                node = {"t": "Span", "c": {"content": [node]}}
            d["blocks"][0]["c"]["content"] = [node]
        return change

    cases = {
        "title-number": (doc(lambda d: d["meta"].update(title=123)), "meta.title: expected text, not the number 123"),
        "title-null": (doc(lambda d: d["meta"].update(title=None)), "meta.title: expected text, not null"),
        "title-list": (doc(lambda d: d["meta"].update(title=["a"])), "meta.title: expected text, not a list"),
        "published": (doc(lambda d: d["meta"].update(published=20170625)), "meta.published"),
        "published-text": (doc(lambda d: d["meta"].update(published="yesterday")), "meta.published"),
        "language": (doc(lambda d: d["meta"].update(language=7)), "meta.language"),
        "level-true": (doc(lambda d: d["blocks"].insert(0, {"t": "Heading", "c": {"level": True, "content": []}})),
                       "blocks[0].c.level: expected a whole number from 1 to 6, not true"),
        "level-negative": (doc(lambda d: d["blocks"].insert(0, {"t": "Heading", "c": {"level": -5, "content": []}})),
                           "blocks[0].c.level: expected a whole number from 1 to 6, not -5"),
        "nan": (doc(lambda d: d["furniture"].append({"text": "x", "kind": "share", "line": 1})).replace(
            '"line": 1}', '"line": NaN}'), "line: expected a whole number from 0 to 1000000000, not NaN"),
        "script": (doc(lambda d: d["meta"].update(script="klingon")), "meta.script"),
        "digits": (doc(lambda d: d["furniture"].append({"text": "x", "kind": "share", "line": 1})).replace(
            '"line": 1}', '"line": ' + "9" * 5000 + "}"), "a number of 5000 digits"),
        "surrogate": (doc(lambda d: None).replace('"text": "', '"text": "\\ud800', 1),
                      "blocks[0].c.content[0].c.text: a lone surrogate U+D800"),
        "control": (doc(text_of("新\u0001闻")), "blocks[0].c.content[0].c.text: a control character U+0001"),
        "nesting": (doc(nested(300)), "nested deeper"),
        "json-nesting": ("[" * 100_000 + "]" * 100_000, "nested deeper"),
        "editors": (doc(lambda d: d["meta"].update(editors="张三")), "meta.editors: expected a list"),
        "lang": (doc(lambda d: d["blocks"][0]["c"]["content"].append(
            {"t": "Span", "c": {"content": [], "attr": {"id": "", "classes": [], "pairs": [["lang", "zh_CN x"]]}}})),
                 "attr.pairs[0][1]: the text \"zh_CN x\" is not a language tag"),
    }
    (tmp_path / "good.json").write_text(doc(lambda d: None), "utf-8")
    assert docconv("convert", tmp_path / "good.json", "-t", "epub", "-o", tmp_path / "good.epub").returncode == 0
    for name, (content, needle) in cases.items():
        path = tmp_path / f"{name}.json"
        path.write_text(content, "utf-8")
        r = docconv("convert", path, "-t", "epub", "-o", tmp_path / f"{name}.epub")
        err = r.stderr.decode("utf-8")
        assert r.returncode == 1 and err.count("\n") == 1 and "Traceback" not in err, (name, err)
        assert err.startswith(f"docconv: error: {path}: ") and needle in err, (name, err)
        assert not (tmp_path / f"{name}.epub").exists()


# ------------------------------------------------------------------ 23


def test_unusable_encodings_and_standard_outputs_are_one_line_errors(tmp_path, seed_path):
    """``--encoding rot13|zlib|base64|hex`` raised LookupError; ``-o - >/dev/full``
    OSError; ``-o - >&-`` AttributeError; the library's ``write(doc, StringIO(),
    to='docx')`` UnicodeDecodeError."""
    import io

    def errors(r: subprocess.CompletedProcess) -> list[str]:
        err = r.stderr.decode("utf-8")
        assert "Traceback" not in err and "Exception ignored" not in err, err
        return [line for line in err.splitlines() if line.startswith("docconv: error:")]

    convert.write(convert.read(seed_path), tmp_path / "x.json")
    for codec in ("rot13", "zlib", "base64", "hex"):
        for command in (("convert", seed_path, "-o", "-"), ("batch", seed_path, "-o", tmp_path / "out"),
                        ("inspect", seed_path), ("convert", tmp_path / "x.json", "-o", "-")):
            r = docconv(*command, "--encoding", codec)
            assert r.returncode == 2 and errors(r) == [
                f"docconv: error: --encoding: '{codec}' is not a text encoding (utf-8, gb18030, big5, utf-16le, ...)"]
    assert not (tmp_path / "out").exists()

    with open("/dev/full", "wb") as full:
        r = subprocess.run([str(DOCCONV), "convert", str(seed_path), "-o", "-"], stdout=full, stderr=subprocess.PIPE)
    assert r.returncode == 1 and errors(r) == ["docconv: error: -: cannot write to standard output: "
                                               "No space left on device"]
    r = subprocess.run([str(DOCCONV), "convert", str(seed_path), "-o", "-"], capture_output=True,
                       preexec_fn=lambda: os.close(1))
    assert r.returncode == 1 and errors(r) == ["docconv: error: -: standard output is closed; give -o FILE"]

    doc = convert.read(seed_path)
    with pytest.raises(TypeError, match="docx is a binary format"):
        convert.write(doc, io.StringIO(), to="docx")
    with pytest.raises(TypeError, match="a path or a stream"):
        convert.write(doc, 42, to="txt")
    text = io.StringIO()
    convert.write(doc, text, to="json")  # a text format into a text stream is fine
    assert json.loads(text.getvalue())["meta"]["byline"] == "姚彤"


# ------------------------------------------------------------------ 12

# Pieces of what scraped text can hold in long runs: letters and base64,
# dots, marks, brackets, quote marks, spaces, link and address starts.
_HOSTILE_PIECES = ["a", "a.", "aZ0+", "-", "!", "?!", ",", ":", ")", "(", "(x)", "x(", '"', "“", "”'", "‘",
                   " ", " !", "! ", "\u00a0", "http://", "www.", "@", "a@", "中", "“!”", "﹁", "︱ ", "――"]
_HOSTILE_SIZE = 120_000  # characters: a quadratic rule takes minutes on this, a linear one a second


@st.composite
def _hostile_paragraph(draw) -> str:
    unit = "".join(draw(st.lists(st.sampled_from(_HOSTILE_PIECES), min_size=1, max_size=3)))
    head = draw(st.sampled_from(["", "中", "中,", "见 http://", "联系 a@b.cn，中,", "(", "“", "中 "]))
    tail = draw(st.sampled_from(["", "中", "，", ")", "@x.cn", "://x", "”", "!"]))
    return head + unit * (_HOSTILE_SIZE // len(unit)) + tail


_TRANSFORM_ALL = """
import json, sys
from convert.model import Document, Meta, Para, Str
from convert.transforms import TransformOptions, apply_transforms
for text in json.load(sys.stdin):
    apply_transforms(Document(Meta(title="t"), (Para((Str(text),)),)), TransformOptions(script="hant"))
"""


@settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck))
@example(["a" * _HOSTILE_SIZE + "@x", "联系 a@b.cn，," + "aZ0+" * (_HOSTILE_SIZE // 4), "见 http://" + "a" * _HOSTILE_SIZE,
          "见 http://x" + ")" * _HOSTILE_SIZE, "中" + "!" * _HOSTILE_SIZE, "中" + "(x)" * (_HOSTILE_SIZE // 3),
          "中" + '"' * _HOSTILE_SIZE, "(" * (_HOSTILE_SIZE // 2) + "x" + ")" * (_HOSTILE_SIZE // 2) + "中"])
@given(st.lists(_hostile_paragraph(), min_size=4, max_size=4))
def test_punctuation_rules_take_linear_time_on_hostile_runs(paragraphs):
    """The URL and e-mail patterns took quadratic time: a 100 KB paragraph
    with an address, one ASCII comma and base64 data took 120 s, a 200 KB
    URL over 300 s (and a run of marks, a pass a mark, longer still).
    Not timed: a quadratic rule would not finish within the generous limit."""
    subprocess.run([sys.executable, "-c", _TRANSFORM_ALL], input=json.dumps(paragraphs).encode(),
                   timeout=180, check=True)


# ------------------------------------------------------------------ 17


def test_inputs_are_read_within_a_size_limit_and_devices_are_refused(tmp_path, seed_path):
    """``/dev/zero`` as a file or as standard input was read without limit
    (until memory ran out), and so was any file however large."""
    def run(*args, stdin=subprocess.DEVNULL) -> tuple[int, list[str]]:
        r = subprocess.run([str(DOCCONV), *map(str, args)], stdin=stdin, capture_output=True, timeout=60)
        err = r.stderr.decode("utf-8")
        assert "Traceback" not in err, err
        return r.returncode, [line for line in err.splitlines() if line.startswith("docconv: error:")]

    assert run("convert", "/dev/zero", "-o", "-") == (1, ["docconv: error: /dev/zero: is a device, not a text file"])
    with open("/dev/zero", "rb") as zero:
        assert run("convert", "-", "-o", "-", stdin=zero) == (1, [
            "docconv: error: -: standard input is a device, not text (redirect a file or pipe text into it)"])

    huge = tmp_path / "huge.txt"  # sparse: above the default limit without the disk space
    with open(huge, "wb") as f:
        f.truncate(300 << 20)
    assert run("convert", huge, "-o", "-") == (1, [
        f"docconv: error: {huge}: larger than the input limit of 256 MiB (--max-size raises it)"])
    assert run("convert", seed_path, "-o", "-", "--max-size", "1K")[1] == [
        f"docconv: error: {seed_path}: larger than the input limit of 1 KiB (--max-size raises it)"]
    assert run("convert", seed_path, "-o", "-", "--max-size", "64K")[0] == 0
    assert run("convert", seed_path, "-o", "-", "--max-size", "lots") == (2, [
        "docconv: error: --max-size takes a size such as 512M or 2G, not 'lots'"])
    with open(seed_path, "rb") as text:  # a pipe says nothing of its size before it is read
        feeder = subprocess.Popen(["cat"], stdin=text, stdout=subprocess.PIPE)
        assert run("convert", "-", "-o", "-", "--max-size", "1K", stdin=feeder.stdout) == (1, [
            "docconv: error: -: larger than the input limit of 1 KiB (--max-size raises it)"])
        feeder.wait()

    folder = seed_copies(tmp_path, seed_path, 1)
    r = subprocess.run([str(DOCCONV), "batch", folder, "/dev/zero", huge, "-o", tmp_path / "out", "-t", "txt"],
                       capture_output=True, timeout=60)
    err = r.stderr.decode("utf-8")
    assert r.returncode == 1 and "1 converted, 0 up to date, 2 failed" in err, err
    assert "/dev/zero: is a device" in err and "huge.txt: larger than the input limit" in err
    with pytest.raises(convert.InputError, match="larger than the input limit of 1 KiB"):
        convert.read(seed_path, max_size=1024)


# ------------------------------------------------------------------ 18

_HANGS_ON_A001 = """
import json, re, sys
from pathlib import Path
import convert, convert.batching as batching

real = batching.convert

def hangs_on_a001(path, **kwargs):
    if Path(path).name == "a001.txt":
        re.match(r"(a+)+$", "a" * 64 + "b")  # catastrophic backtracking: hours in C, holding the GIL
    return real(path, **kwargs)

batching.convert = hangs_on_a001
folder, out, jobs = sys.argv[1], sys.argv[2], int(sys.argv[3])
results = convert.batch(folder, out, to=["txt", "json"], jobs=jobs, timeout=5)
print(json.dumps({Path(r.input).name: [r.status, r.error, len(r.outputs)] for r in results}))
"""


def test_a_file_that_takes_too_long_fails_alone_with_a_time_out(tmp_path, seed_path):
    """A batch had no per-file time-out: one file caught in a regular
    expression (or a parser) that never ends held the whole run for ever."""
    folder = seed_copies(tmp_path, seed_path, 4)
    for jobs in (2, 1):
        out = tmp_path / f"out{jobs}"
        r = subprocess.run([sys.executable, "-c", _HANGS_ON_A001, str(folder), str(out), str(jobs)],
                           capture_output=True, timeout=240)
        assert r.returncode == 0, r.stderr
        results = json.loads(r.stdout)
        assert results.pop("a001.txt") == ["failed", f"{folder / 'a001.txt'}: timed out after 5 s "
                                           "(--timeout raises the limit)", 0]
        assert results == {f"a00{i}.txt": ["ok", None, 2] for i in (0, 2, 3)}
        assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == sorted(
            f"a00{i}.{ext}" for i in (0, 2, 3) for ext in ("txt", "json"))
        assert not list(out.rglob("*.part"))

    # Far more than the time-out even on a fast machine, while the others
    # (a worker's first file included) stay well under it on a busy one.
    slow = folder / "slow.txt"
    slow.write_text("标题\n\n" + "新疆维吾尔自治区党委召开常委会议，陈全国主持会议并讲话。" * 400_000, "utf-8")
    r = docconv("batch", folder, "-o", tmp_path / "cli", "-t", "txt", "--timeout", "4", "-j", "2")
    err = r.stderr.decode("utf-8")
    assert r.returncode == 1 and "4 converted, 0 up to date, 1 failed" in err, err
    assert f"failed  {slow}: timed out after 4 s (--timeout raises the limit)" in err
    slow.write_text("标题\n\n" + "新疆维吾尔自治区党委召开常委会议，陈全国主持会议并讲话。" * 20_000, "utf-8")
    assert docconv("batch", slow, "-o", tmp_path / "cli", "-t", "txt", "--timeout", "0").returncode == 0
    with pytest.raises(convert.UsageError, match="time-out"):
        convert.batch(folder, tmp_path / "x", timeout=-1)


# ------------------------------------------------------------------ 24


KINDS_READ = ".txt, .text, .html, .htm, .shtml, .xhtml or .json documents"


def test_errors_say_what_is_wrong_in_the_users_terms(tmp_path, seed_path):
    """Unclear errors: output names of 243-255 bytes failed with "File name
    too long" (the temporary name was longer); "no input files (.txt) found"
    with the input folder inside -o; UTF-16 without a byte order mark was
    "binary"; --report into a place that cannot take it failed only after
    every conversion; warnings named the file twice; "schema version '1' is
    not supported (this version reads 1)"; ``-t txt:hans -t txt:hant -o
    a.txt/`` said "a.txt/a.hans.txt: File exists"."""
    def errors(r: subprocess.CompletedProcess) -> list[str]:
        err = r.stderr.decode("utf-8")
        assert "Traceback" not in err, err
        return [line[len("docconv: error: "):] for line in err.splitlines() if line.startswith("docconv: error:")]

    text = seed_path.read_bytes()
    folder = tmp_path / "in"
    folder.mkdir()
    long_name = "𠀀" * 61 + ".txt"  # 248 bytes, four a character: the output's name is as long
    (folder / long_name).write_bytes(text)
    r = docconv("batch", folder, "-o", tmp_path / "out", "-t", "txt", "-t", "json", "-j", "1")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "out" / long_name).exists() and (tmp_path / "out" / ("𠀀" * 61 + ".json")).exists()
    too_long = folder / ("新" * 83 + ".txt")  # 253 bytes; with .hant.txt 258
    too_long.write_bytes(text)
    if os.pathconf(tmp_path, "PC_NAME_MAX") == 255:
        r = docconv("convert", too_long, "-t", "txt:hant", "-o", f"{tmp_path / 'out2'}/")
        assert r.returncode == 1 and errors(r) == [
            f"{tmp_path / 'out2' / ('新' * 83 + '.hant.txt')}: cannot write: the name '{'新' * 83}.hant.txt' "
            "is 258 bytes long, more than the file system takes"]

    # The input folder inside the output folder, and `batch . -o .`.
    (tmp_path / "all" / "in").mkdir(parents=True)
    (tmp_path / "all" / "in" / "a.txt").write_bytes(text)
    for cwd, args in ((tmp_path, ("all/in", "-o", "all")), (tmp_path / "all", (".", "-o", "."))):
        r = docconv("batch", *args, "-t", "txt", cwd=cwd)
        assert r.returncode == 2 and errors(r) == [
            f"{args[0]}: no input files ({KINDS_READ}) found outside the output folder {args[2]}: the 1 input "
            "file(s) there are inside it, and a batch never reads the folder it writes into (choose an output "
            "folder outside the input folder)"]
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.md").write_text("x")
    (tmp_path / "other" / "records.json").write_text('{"id": 1}')
    (tmp_path / "other" / ".hidden.txt").write_bytes(text)
    assert errors(docconv("batch", tmp_path / "other", "-o", tmp_path / "o")) == [
        f"{tmp_path / 'other'}: no input files ({KINDS_READ}) found; left out: 1 hidden file(s); "
        "files of other kinds (.json that is not a document, .md)"]

    # UTF-16 without a byte order mark.
    for codec in ("utf-16-le", "utf-16-be"):
        (tmp_path / f"{codec}.txt").write_bytes(seed_path.read_text("utf-8").encode(codec))
        r = docconv("convert", tmp_path / f"{codec}.txt", "-o", "-")
        assert r.returncode == 0 and r.stdout.decode("utf-8").startswith("新疆"), r.stderr
        assert f"read as {codec.upper().replace('-LE', 'LE').replace('-BE', 'BE')} though it has no byte order " \
               "mark" in r.stderr.decode("utf-8")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 8)
    assert errors(docconv("convert", tmp_path / "binary.txt", "-o", "-")) == [
        f"{tmp_path / 'binary.txt'}: binary file (contains NUL bytes), not text; if it is UTF-16 without a byte "
        "order mark, give --encoding utf-16le (or utf-16be)"]

    # --report where it cannot be written: refused before any work.
    for report, message in ((f"{tmp_path}/reports/", "names a folder; --report takes a file name (report.json)"),
                            ("/proc/nowhere/r.json", "cannot write the report in /proc: ")):
        r = docconv("batch", folder, "-o", tmp_path / "out3", "-t", "txt", "--report", report)
        assert r.returncode == 2 and len(errors(r)) == 1 and errors(r)[0].startswith(f"{report}: {message}")
        assert not (tmp_path / "out3").exists() and not (tmp_path / "reports").exists()

    # A warning names its file once.
    rare = tmp_path / "rare.txt"
    rare.write_text("标题\n\n这个字𪚥不在字库里。\n", "utf-8")
    r = docconv("convert", rare, "-t", "pdf", "-o", tmp_path / "rare.pdf")
    warnings = [line for line in r.stderr.decode("utf-8").splitlines() if "no font has" in line]
    assert r.returncode == 0 and len(warnings) == 1 and warnings[0].count("rare.txt") == 1, warnings

    # The schema version as a string, not the number.
    data = json.loads(convert.to_json(convert.read(seed_path)))
    data["version"] = "1"
    (tmp_path / "v.json").write_text(json.dumps(data), "utf-8")
    assert errors(docconv("convert", tmp_path / "v.json", "-o", "-")) == [
        f"{tmp_path / 'v.json'}: version: expected the number 1, not the text \"1\""]

    # Several formats into a name that is a file.
    (tmp_path / "a.txt").write_text("keep me")
    r = docconv("convert", seed_path, "-t", "txt:hans", "-t", "txt:hant", "-o", f"{tmp_path / 'a.txt'}/")
    assert r.returncode == 2 and errors(r) == [
        f"{tmp_path / 'a.txt'}: is a file, not a folder to write {seed_path.stem}.hans.txt into"]
    r = docconv("batch", folder, "-o", tmp_path / "a.txt", "-t", "txt")
    assert r.returncode == 2 and errors(r) == [
        f"{tmp_path / 'a.txt'}: is a file, not a folder: a batch writes its outputs into a folder"]
    assert (tmp_path / "a.txt").read_text() == "keep me"


# ------------------------------------------------------------------ 22


def test_a_folder_that_cannot_be_listed_is_reported_and_the_rest_converted(tmp_path, seed_path, monkeypatch):
    """A subfolder that could not be listed (searchable but not readable)
    stopped the planning with PermissionError, and nothing was converted; a
    ``chmod 000`` one was skipped without a word.  (The suite runs as root,
    whom permissions do not stop: the listing is made to fail instead.)"""
    from typer.testing import CliRunner

    from convert.cli import app

    folder = seed_copies(tmp_path, seed_path, 2)
    for sub in ("locked", "sealed", "open"):
        (folder / sub).mkdir()
        (folder / sub / "b.txt").write_bytes(seed_path.read_bytes())
    real_scandir = os.scandir

    def unlistable(path="."):
        if Path(os.fsdecode(path)).name in ("locked", "sealed"):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fsdecode(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", unlistable)
    out, report = tmp_path / "out", tmp_path / "report.json"
    r = CliRunner().invoke(app, ["batch", str(folder), "-o", str(out), "-t", "txt", "-j", "1",
                                 "--report", str(report)])
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    errors = [line for line in r.stderr.splitlines() if line.startswith("docconv: error:")]
    assert r.exit_code == 1 and errors == [
        f"docconv: error: {folder / name}: cannot list the folder: Permission denied; what it holds is not converted"
        for name in ("locked", "sealed")], r.stderr
    assert "3 converted, 0 up to date, 0 failed" in r.stderr
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.txt")) == ["a000.txt", "a001.txt",
                                                                                 "open/b.txt"]
    assert len(json.loads(report.read_text("utf-8"))["problems"]) == 2

    with pytest.warns(RuntimeWarning) as caught:
        assert len(list(convert.batch(folder, tmp_path / "out2", to="txt"))) == 3
    assert sorted(Path(str(w.message).split(": ")[0]).name for w in caught) == ["locked", "sealed"]
    results = convert.api.bundle(folder, tmp_path / "book.epub")
    assert sorted(Path(r.input).name for r in results if r.status == "failed") == ["locked", "sealed"]
    assert sum(r.status == "ok" for r in results) == 3 and (tmp_path / "book.epub").stat().st_size


def test_an_error_is_one_line_and_a_bug_says_it_is_ours():
    from convert.errors import InputError, one_line

    assert one_line(InputError("not valid utf-8:\n bad byte", "a.txt")) == str(
        InputError("not valid utf-8: bad byte", "a.txt"))
    assert one_line(KeyError("epub")) == "internal error: KeyError: 'epub'"
    assert one_line(ValueError("two\nlines")) == "internal error: ValueError: two lines"
