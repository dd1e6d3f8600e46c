# Two commands: `make run` starts Lantern, `make test` runs the whole test suite.
# Both create .venv from pyproject.toml on first use (and again when it changes).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test check bench bench-smoke snapshots clean

run: $(STAMP)
	$(BIN)/lantern

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

# Validate the bundled lessons the way an educator would, and the translations:
# every shipped language complete, nothing fuzzy, placeholders intact.
check: $(STAMP)
	$(BIN)/lantern lessons check lessons/
	$(BIN)/lantern i18n status

# Performance: every benchmark at full size (minutes; prints PASS/FAIL per target,
# see docs/performance.md), or once at a tiny size to keep the scripts working (CI).
bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/perf.py

bench-smoke: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/perf.py --small --work "$$(mktemp -d)"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
