"""What a user installs: the wheel as built from this checkout, its name,
its Python and its dependencies, and a conversion run from the installed
package far from the checkout."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import sysconfig
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
SEED = ROOT / "seeds" / "000_e8dd265e510804e2.txt"


def _pinned() -> dict[str, Version]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text("utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            requirement = Requirement(line)
            (specifier,) = requirement.specifier
            assert specifier.operator == "==", line
            pins[_normal(requirement.name)] = Version(specifier.version)
    return pins


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_the_distribution_is_named_for_the_command_and_claims_the_python_it_is_tested_on():
    project = PYPROJECT["project"]
    assert project["name"] == "docconv"  # "convert" on the package index is another project
    assert project["scripts"] == {"docconv": "convert.console:main"}
    assert PYPROJECT["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"] == ["convert"]
    assert project["requires-python"] == ">=3.11"
    assert f"Programming Language :: Python :: {sys.version_info.major}.{sys.version_info.minor}" \
        in project["classifiers"]


def test_dependencies_are_ranges_that_hold_the_exact_versions_the_tests_run_with():
    pins = _pinned()
    for line in PYPROJECT["project"]["dependencies"]:
        requirement = Requirement(line)
        name = _normal(requirement.name)
        assert name in pins, f"{name} is not pinned in constraints.txt"
        assert requirement.specifier.contains(pins[name]), f"{line} does not take the pinned {pins[name]}"
        if name == "fonttools":  # shared with much else a user has: never an exact pin
            assert not any(s.operator == "==" for s in requirement.specifier)
    from importlib.metadata import version

    for name, pinned in pins.items():  # what this run has is what is pinned
        if name in {_normal(Requirement(d).name) for d in PYPROJECT["project"]["dependencies"]}:
            assert Version(version(name)) == pinned, name


def test_every_library_the_package_imports_is_declared():
    declared = {_normal(Requirement(d).name) for d in PYPROJECT["project"]["dependencies"]}
    optional = {_normal(Requirement(d).name) for d in PYPROJECT["project"]["optional-dependencies"]["dask"]}
    # Brought by a declared one: click by older typers (cli.py falls back on
    # it), distributed by dask[distributed].
    brought = {"click": "typer", "distributed": "dask"}
    owners = packages_distributions()
    missing = set()
    for path in (ROOT / "convert").rglob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module else []
            for module in names:
                top = module.split(".")[0]
                if top in sys.stdlib_module_names or top in ("convert", "_typeshed"):
                    continue
                dists = {_normal(brought.get(d, d)) for d in owners.get(top, [top])}
                wanted = declared | (optional if path.name == "distributed.py" else set())
                if not dists & wanted:
                    missing.add(f"{path.relative_to(ROOT)}: {module} ({', '.join(sorted(dists))})")
    assert not missing, missing


def test_every_seed_path_the_readme_names_exists():
    readme = (ROOT / "README.md").read_text("utf-8")
    named = set(re.findall(r"seeds/[\w.-]+\.txt", readme))
    assert named and all((ROOT / name).is_file() for name in named), named


@pytest.mark.slow
def test_the_built_wheel_installs_and_converts_far_from_the_checkout(tmp_path):
    """The wheel as a user gets it: built from this checkout, installed
    without the checkout on any path, fonts and entry points from the
    wheel alone; its dependencies are this environment's (no index needed)."""
    wheels = tmp_path / "wheels"
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(wheels), str(ROOT)],
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr
    (wheel,) = wheels.glob("docconv-*-py3-none-any.whl")
    import zipfile

    names = zipfile.ZipFile(wheel).namelist()
    assert "convert/py.typed" in names and "convert/fonts/NotoSerifCJKsc-Regular.ttf" in names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert any(n.endswith(".dist-info/licenses/fonts/OFL.txt") for n in names)

    # A fresh environment that sees this one's libraries but neither the
    # checkout nor its editable install (a path a .pth adds is not searched
    # for further .pth files, so the editable hook stays out).
    fresh = tmp_path / "fresh"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(fresh)], check=True, timeout=120)
    fresh_python = fresh / "bin" / "python"
    site = Path(subprocess.run([str(fresh_python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                               capture_output=True, text=True, check=True).stdout.strip())
    (site / "borrowed.pth").write_text(sysconfig.get_path("purelib") + "\n", "utf-8")
    installed = subprocess.run([sys.executable, "-m", "pip", "--python", str(fresh_python), "install", "--no-deps",
                                "--quiet", str(wheel)], capture_output=True, text=True, timeout=600)
    assert installed.returncode == 0, installed.stderr

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "article.txt").write_bytes(SEED.read_bytes())
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    docconv = str(fresh / "bin" / "docconv")

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(args, cwd=elsewhere, env=env, capture_output=True, text=True, timeout=300)

    version = run(docconv, "--version")
    assert version.returncode == 0, version.stderr
    assert version.stdout == f"docconv {PYPROJECT_VERSION()}\n"
    where = run(str(fresh_python), "-c", "import convert, convert.writers._fonts as f; print(convert.__file__);"
                "print(f.font_dir())")
    package, fonts = where.stdout.split()
    assert Path(package).is_relative_to(site) and Path(fonts) == site / "convert" / "fonts", where.stdout
    assert str(ROOT) not in where.stdout

    made = run(docconv, "convert", "article.txt", "-t", "pdf", "-t", "epub", "-t", "txt:hans", "-o", "out")
    assert made.returncode == 0, made.stderr
    assert sorted(p.name for p in (elsewhere / "out").iterdir()) == ["article.epub", "article.hans.txt", "article.pdf"]
    assert (elsewhere / "out" / "article.hans.txt").read_text("utf-8").startswith("新疆维吾尔自治区党委召开常委会议")
    from pypdf import PdfReader

    pdf = PdfReader(elsewhere / "out" / "article.pdf")
    assert "新疆維吾爾自治區黨委召開常委會議" in pdf.pages[0].extract_text().replace(" ", "")
    fonts_used = {str(f["/BaseFont"]) for page in pdf.pages
                  for f in page["/Resources"]["/Font"].get_object().values()}
    assert any("NotoSerifCJK" in name for name in fonts_used), fonts_used
    formats = run(docconv, "formats")
    assert formats.returncode == 0 and "(docconv)" in formats.stdout


def PYPROJECT_VERSION() -> str:  # noqa: N802 - reads as the constant it stands for
    text = (ROOT / "convert" / "_version.py").read_text("utf-8")
    return re.search(r'__version__ = "([^"]+)"', text).group(1)
