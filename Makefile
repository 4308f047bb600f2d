# Quick start: `make run` converts seeds/ into out/ in every format;
# `make test` runs the whole suite. Both set up .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
# The exact versions the tests pass with (pyproject.toml declares ranges).
CONSTRAINTS := constraints.txt

.PHONY: run test lint golden bench eval fonts constraints clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The distribution was once named "convert": a .venv made then still holds
# it, and its entry points would declare every format twice.
$(STAMP): pyproject.toml $(CONSTRAINTS) | $(BIN)/python
	$(BIN)/python -m pip uninstall --quiet -y convert 2>/dev/null || true
	$(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) -e .
	touch $@

$(TEST_STAMP): pyproject.toml $(CONSTRAINTS) | $(BIN)/python
	$(BIN)/python -m pip uninstall --quiet -y convert 2>/dev/null || true
	$(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) -e '.[test]'
	touch $(STAMP) $@

# Every registered format in the seeds' own script, text in both scripts,
# then the document formats once more in simplified characters.
run: $(STAMP)
	$(BIN)/docconv batch seeds -o out
	$(BIN)/docconv batch seeds -o out $$($(BIN)/docconv formats --documents | sed 's/^/-t /; s/$$/:hans/')

test: $(TEST_STAMP)
	$(BIN)/python -m pytest -q

# Style, then the package's layers (the import-linter contracts in pyproject.toml).
lint: $(TEST_STAMP)
	$(BIN)/ruff check convert tests bench
	$(BIN)/lint-imports --no-cache --no-logo

# Rewrite the corpus pages' golden model files (tests/golden.py) after a change
# meant to alter what the reader finds or the transforms do; review with git diff.
golden: $(STAMP)
	$(BIN)/python tests/golden.py

bench: $(STAMP)
	$(BIN)/python bench/run.py
	$(BIN)/python bench/pdf_bench.py
	$(BIN)/python bench/large_input.py
	$(BIN)/python bench/punctuation_scaling.py
	$(BIN)/python bench/hostile_shapes.py

# Per-field accuracy of the reader over the annotated corpus, each page as saved and
# flattened, then the totals for the three sets of other sites' pages, then the HTML
# reader over the corpus's saved pages (bench/RESULTS.md).
eval: $(STAMP)
	$(BIN)/python bench/eval_reader.py
	$(BIN)/python bench/eval_reader.py --flatten | tail -1
	$(BIN)/python bench/eval_reader.py tests/fixtures/unseen | tail -1
	$(BIN)/python bench/eval_reader.py tests/fixtures/unseen --flatten | tail -1
	$(BIN)/python bench/eval_reader.py tests/fixtures/holdout | tail -1
	$(BIN)/python bench/eval_reader.py tests/fixtures/holdout --flatten | tail -1
	$(BIN)/python bench/eval_reader.py tests/fixtures/final | tail -1
	$(BIN)/python bench/eval_reader.py tests/fixtures/final --flatten | tail -1
	$(BIN)/python bench/eval_reader.py tests/fixtures/fresh | tail -1
	$(BIN)/python bench/eval_reader.py tests/fixtures/fresh --flatten | tail -1
	$(BIN)/python bench/eval_reader.py tests/fixtures/sixth | tail -1
	$(BIN)/python bench/eval_reader.py tests/fixtures/sixth --flatten | tail -1
	$(BIN)/python bench/eval_reader.py --html

# Rebuild fonts/ from Debian's fonts-noto-cjk (apt-get install fonts-noto-cjk).
fonts: $(STAMP)
	$(BIN)/python fonts/build_fonts.py

# Pin constraints.txt anew to what pyproject.toml's ranges resolve to today,
# in a fresh environment; review with git diff, then run make test.
constraints:
	rm -rf build/pin && $(PYTHON) -m venv build/pin
	build/pin/bin/python -m pip install --quiet -e '.[test]'
	{ sed -n '/^#/p' $(CONSTRAINTS); build/pin/bin/python -m pip freeze --exclude-editable; } > $(CONSTRAINTS).new
	mv $(CONSTRAINTS).new $(CONSTRAINTS)
	rm -rf build/pin

clean:
	rm -rf out build dist .pytest_cache
