"""A batch on Dask's distributed scheduler (``--scheduler``): a LocalCluster of
two worker processes on loopback, and moto's S3 server on 127.0.0.1 as an
object store.  What a distributed run promises: the local batch's bytes,
nothing lost when a worker or the client dies, a bad file failing alone."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from _corpus import seed_copies

import convert
from convert.batching import JOURNAL, MANIFEST, RECORDS, BatchOptions, run
from convert.distributed import run as run_on_dask

try:
    import distributed  # noqa: F401
    import moto.server  # noqa: F401
    import s3fs  # noqa: F401
except ImportError:
    HAVE_DASK = False
else:
    HAVE_DASK = True

needs_dask = pytest.mark.skipif(not HAVE_DASK, reason="Dask, s3fs or moto is not installed "
                                                      "(pip install -e '.[test]' brings them)")
DOCCONV = Path(sys.executable).with_name("docconv")


@pytest.fixture(scope="module")
def s3_endpoint():
    """moto's S3 server on loopback; its address and keys in the environment,
    where the cluster's worker processes, started after it, find them too."""
    if not HAVE_DASK:
        pytest.skip("Dask, s3fs or moto is not installed")
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    saved = {k: os.environ.get(k) for k in _S3_ENV}
    os.environ.update({"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                       "AWS_DEFAULT_REGION": "us-east-1", "AWS_ENDPOINT_URL_S3": f"http://{host}:{port}"})
    try:
        yield f"http://{host}:{port}"
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        server.stop()


_S3_ENV = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL_S3")


@pytest.fixture(scope="module")
def cluster(s3_endpoint):
    """Two worker processes of one thread each, on 127.0.0.1."""
    import logging

    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address="127.0.0.1:0", silence_logs=logging.CRITICAL) as local, Client(local) as client:
        yield local.scheduler_address, client


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.startswith(".")}


def _inputs(tmp_path: Path, seed_path: Path, count: int) -> Path:
    """``count`` different texts, a saved page and a corpus text in another encoding."""
    folder = seed_copies(tmp_path, seed_path, count)
    corpus = Path(__file__).parent / "fixtures" / "corpus"
    (folder / "sub").mkdir()
    for page in sorted(corpus.glob("*.txt"))[:3]:
        (folder / "sub" / page.name).write_bytes(page.read_bytes())
    return folder


def _entries(out: Path) -> dict[str, dict]:
    """The manifest, less the inputs' stat (which says when it was read, not what)."""
    entries = json.loads((out / MANIFEST).read_text("utf-8"))["outputs"]
    return {k: {f: v for f, v in e.items() if f != "input_stat"} for k, e in entries.items()}


@needs_dask
def test_outputs_are_byte_identical_to_the_local_batch(tmp_path, seed_path, cluster):
    address, _ = cluster
    folder = _inputs(tmp_path, seed_path, 40)
    targets = tuple(convert.api.default_targets())
    local = list(run([folder], BatchOptions(tmp_path / "local", targets, jobs=2)))
    dask = list(run_on_dask([folder], BatchOptions(tmp_path / "dask", targets), scheduler=address))
    assert len(dask) == len(local) == 43 and {r.status for r in dask} == {"ok"}

    def said(results):
        return sorted((r.input, r.status, [Path(o).name for o in r.outputs], r.warnings, r.error, r.encoding,
                       r.furniture) for r in results)

    assert said(dask) == said(local)  # the report's lines are the same
    assert _files(tmp_path / "dask") == _files(tmp_path / "local")
    assert len(_files(tmp_path / "dask")) == 43 * len(targets)
    assert _entries(tmp_path / "dask") == _entries(tmp_path / "local")
    assert not (tmp_path / "dask" / RECORDS).exists()  # merged into the manifest, then gone
    again = list(run_on_dask([folder], BatchOptions(tmp_path / "dask", targets), scheduler=address))
    assert {r.status for r in again} == {"skipped"}


def _children() -> int:
    import multiprocessing

    return len(multiprocessing.active_children())


@needs_dask
def test_a_worker_keeps_its_child_from_shard_to_shard(tmp_path, seed_path, cluster):
    """Its shards' files go to one child process, forked once: a child
    ended with each shard throws away all it warmed."""
    from convert.distributed import release_pools

    address, client = cluster
    client.run(release_pools)
    assert set(client.run(_children).values()) == {0}
    folder = seed_copies(tmp_path, seed_path, 48)  # three shards of 16
    results = list(run_on_dask([folder], BatchOptions(tmp_path / "out", (convert.Target("txt"),)),
                               scheduler=address))
    assert {r.status for r in results} == {"ok"}
    assert set(client.run(_children).values()) <= {0, 1} and sum(client.run(_children).values()) >= 1


@needs_dask
def test_a_worker_killed_mid_run_loses_nothing(tmp_path, seed_path, cluster):
    """SIGKILL to a Dask worker in the middle of a shard: its shard goes to
    another worker, which converts only what the dead one had not recorded."""
    address, client = cluster
    folder = seed_copies(tmp_path, seed_path, 96)
    out = tmp_path / "out"
    pids = list(client.run(os.getpid).values())
    killed: list[int] = []

    def kill_one_worker_when_work_is_under_way():
        deadline = time.time() + 60
        while time.time() < deadline and len(list(out.glob("*.pdf"))) < 8:
            time.sleep(0.02)
        os.kill(pids[0], signal.SIGKILL)
        killed.append(pids[0])

    killer = threading.Thread(target=kill_one_worker_when_work_is_under_way)
    killer.start()
    results = list(run_on_dask([folder], BatchOptions(out, (convert.Target("json"), convert.Target("pdf"))),
                                 scheduler=address))
    killer.join()
    assert killed
    assert len(results) == 96 and {r.status for r in results} == {"ok"}, [r.error for r in results if r.error]
    assert sorted(p.name for p in out.glob("*.pdf")) == [f"a{i:03d}.pdf" for i in range(96)]
    assert not list(out.rglob("*.part"))
    # Each input's outputs once, in the manifest, and the rerun has nothing to do.
    assert len(_entries(out)) == 192
    again = list(run_on_dask([folder], BatchOptions(out, (convert.Target("json"), convert.Target("pdf"))),
                               scheduler=address))
    assert {r.status for r in again} == {"skipped"}
    client.wait_for_workers(2, timeout=60)  # the nanny has started another one


@needs_dask
def test_an_interrupted_client_reruns_only_the_missing_outputs(tmp_path, seed_path, cluster):
    """The client is killed outright mid-run; what the workers finished,
    before or after, is recorded, and the rerun converts only the rest."""
    address, client = cluster
    folder = seed_copies(tmp_path, seed_path, 120)
    out = tmp_path / "out"
    proc = subprocess.Popen([str(DOCCONV), "batch", str(folder), "-o", str(out), "-t", "json", "-t", "pdf",
                             "--scheduler", address, "--quiet"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.time() + 90
    while time.time() < deadline and len(list(out.glob("*.pdf"))) < 10:
        time.sleep(0.02)
    proc.kill()
    proc.wait()
    # Shards already running finish on the cluster (Dask cannot stop a
    # running task): wait until nothing has moved in the folder for a while.
    seen, still = None, time.time()
    while time.time() < deadline and time.time() - still < 3:
        now = sorted((p.name, p.stat().st_size) for p in out.rglob("*") if p.is_file())
        if now != seen:
            seen, still = now, time.time()
        time.sleep(0.1)
    made = {p.stem for p in out.glob("*.pdf")} & {p.stem for p in out.glob("*.json")}
    assert 10 <= len(made) < 120, "the client was to be killed in the middle of the run"
    assert (out / RECORDS).is_dir() or (out / JOURNAL).exists()

    results = list(run_on_dask([folder], BatchOptions(out, (convert.Target("json"), convert.Target("pdf"))),
                                 scheduler=address))
    status = {Path(r.input).stem: r.status for r in results}
    assert {s for s, st in status.items() if st == "skipped"} == made
    assert {s for s, st in status.items() if st == "ok"} == {f"a{i:03d}" for i in range(120)} - made
    assert len(_files(out)) == 240 and not list(out.rglob("*.part"))


def _poison(names: tuple[str, str]) -> None:
    """In a worker: the first file crashes the process converting it, the
    second holds it in C for hours.  The children kept for its shards are
    ended, so that those it forks next inherit this."""
    import re

    import convert.distributed as engine

    real = engine.__dict__.setdefault("_real_convert", engine.convert)
    crash, hang = names

    def poisoned(path, **kwargs):
        if Path(path).name == crash:
            os.kill(os.getpid(), signal.SIGKILL)
        if Path(path).name == hang:
            re.match(r"(a+)+$", "a" * 64 + "b")  # catastrophic backtracking, holding the GIL
        return real(path, **kwargs)

    engine.convert = poisoned
    engine.release_pools()


def _cure() -> None:
    import convert.distributed as engine

    engine.convert = engine.__dict__.pop("_real_convert", engine.convert)
    engine.release_pools()


@needs_dask
def test_a_poison_file_fails_alone(tmp_path, seed_path, cluster):
    """A file that kills its process and one that hangs each fail alone,
    with the cause; every other file of their shards is converted, and
    no Dask worker is lost."""
    address, client = cluster
    folder = seed_copies(tmp_path, seed_path, 24)
    before = set(client.run(os.getpid).values())
    client.run(_poison, ("a005.txt", "a017.txt"))
    try:
        out = tmp_path / "out"
        results = {Path(r.input).name: r for r in run_on_dask([folder], BatchOptions(
            out, (convert.Target("txt"), convert.Target("json")), timeout=4), scheduler=address)}
    finally:
        client.run(_cure)
    assert len(results) == 24
    assert "died" in results["a005.txt"].error and results["a005.txt"].status == "failed"
    assert results["a017.txt"].error == f"{folder / 'a017.txt'}: timed out after 4 s (--timeout raises the limit)"
    ok = {name for name, r in results.items() if r.status == "ok"}
    assert ok == set(results) - {"a005.txt", "a017.txt"}
    assert sorted(p.name for p in out.glob("a*.json")) == sorted(n.replace(".txt", ".json") for n in ok)
    assert not list(out.rglob("*.part"))
    assert set(client.run(os.getpid).values()) == before  # the Dask workers lived through it


@needs_dask
def test_an_s3_store_as_input_and_output(tmp_path, seed_path, cluster, s3_endpoint):
    """Inputs read from and outputs stored in an S3 bucket (moto's server):
    the same bytes as a local batch, every object whole, a bad object failing
    alone under its URL, and a rerun with nothing to do."""
    import s3fs

    address, _ = cluster
    fs = s3fs.S3FileSystem(client_kwargs={"endpoint_url": s3_endpoint})
    fs.mkdir("news")
    folder = _inputs(tmp_path, seed_path, 20)
    (folder / "empty.txt").write_bytes(b"")
    fs.put(str(folder) + "/", "news/in/", recursive=True)
    targets = (convert.Target("txt", "hant"), convert.Target("docx"), convert.Target("epub"))
    local = {Path(r.input).relative_to(folder).as_posix(): r
             for r in run([folder], BatchOptions(tmp_path / "local", targets, jobs=2))}
    results = {r.input: r for r in run_on_dask(["s3://news/in"], BatchOptions("s3://news/out", targets),
                                                               scheduler=address)}
    assert len(results) == 24
    bad = results.pop("s3://news/in/empty.txt")
    assert bad.status == "failed" and bad.error == "s3://news/in/empty.txt: empty input (no text)"
    assert {r.status for r in results.values()} == {"ok"}
    fs.invalidate_cache()
    stored = {key[len("news/out/"):]: fs.cat_file(key) for key in fs.find("news/out")
              if not Path(key).name.startswith(".")}
    assert stored == _files(tmp_path / "local")
    assert {r.input[len("s3://news/in/"):]: r.warnings for r in results.values()} == {
        name: r.warnings for name, r in local.items() if r.status == "ok"}
    assert not fs.find(f"news/out/{RECORDS}")  # merged into the manifest, then gone
    again = list(run_on_dask(["s3://news/in"], BatchOptions("s3://news/out", targets), scheduler=address))
    assert sorted(r.status for r in again) == ["failed"] + ["skipped"] * 23


def test_without_dask_the_option_says_how_to_install_it(tmp_path, seed_path):
    """No Dask installed: one line naming the extra, exit 2, nothing made."""
    script = ("import sys; sys.modules['distributed'] = None; sys.modules['dask'] = None\n"
              "from convert.cli import main; sys.argv[0] = 'docconv'; main()")
    out = tmp_path / "out"
    r = subprocess.run([sys.executable, "-c", script, "batch", str(seed_path), "-o", str(out),
                        "--scheduler", "local:2"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 2
    assert r.stderr == ("docconv: error: --scheduler needs Dask, which is not installed: "
                        "pip install 'docconv[dask]'\n")
    assert not out.exists()


@needs_dask
def test_a_bad_scheduler_or_url_is_one_line(tmp_path, seed_path):
    r = subprocess.run([str(DOCCONV), "batch", str(seed_path), "-o", str(tmp_path / "o"), "--scheduler", "nowhere"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "local:N" in r.stderr, r.stderr
    r = subprocess.run([str(DOCCONV), "batch", str(seed_path), "-o", "s3://bucket/out"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "--scheduler" in r.stderr, r.stderr
    assert not (tmp_path / "o").exists()
