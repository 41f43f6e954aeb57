# hacienda-cr — the two commands that matter are `make demo` and `make test`.
# Everything a fresh machine lacks is installed by the targets themselves.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV     := .venv
PY       := $(VENV)/bin/python
PIP      := $(VENV)/bin/pip
PYSTAMP  := $(VENV)/.deps-stamp
export VIRTUAL_ENV := $(abspath $(VENV))
export PATH := $(abspath $(VENV))/bin:$(PATH)

.PHONY: help setup rust-setup py-setup build-py demo demo-inspect test lint lint-rust lint-python \
        test-rust test-python bench bench-python bench-rust

help:
	@echo "make demo   - the main job (builds what it needs first)"
	@echo "make test   - install what is missing, then every test and lint"
	@echo "make bench  - benchmarks (numbers side by side with their baselines)"

# ---------------------------------------------------------------- setup
setup: rust-setup py-setup

rust-setup:
	@command -v cargo >/dev/null || { echo "cargo (Rust 1.95) is required"; exit 1; }
	@rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt
	@rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy

$(PY):
	python3 -m venv $(VENV)

$(PYSTAMP): requirements-dev.txt | $(PY)
	$(PIP) install -q -r requirements-dev.txt
	touch $@

py-setup: $(PYSTAMP)

build-py: setup
	$(VENV)/bin/maturin develop --release -q 2>&1 | grep -v '^Ignoring' || true
	@$(PY) -c "import hacienda_cr" || { echo "the Python extension did not build"; exit 1; }

# ---------------------------------------------------------------- main job
# The reference host (SQLite, bulk submit, polling, retry queue on a compressed clock) against an
# in-process simulator, dashboard at the end: `make demo DEMO_ARGS="-n 2000 --faults heavy"`.
demo: build-py
	$(VENV)/bin/hacienda-cr demo $(DEMO_ARGS)

# What each sample answer / document of examples/inspect is and what to do about it.
demo-inspect: build-py
	$(VENV)/bin/hacienda-cr inspect examples/inspect/*

# Each workstream (scheduling, client, wasm, odoo, fuzz) adds its own targets in mk/*.mk and
# appends them to these lists, so this file stays small.
EXTRA_TESTS :=
EXTRA_BENCH :=
-include mk/*.mk

# ---------------------------------------------------------------- tests
test: lint test-rust test-python $(EXTRA_TESTS)
	@echo "make test: all green"

lint: lint-rust lint-python

lint-rust: rust-setup py-setup
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings

lint-python: build-py
	$(VENV)/bin/ruff check bindings-python/python tests/python benches fuzz/seed.py
	$(VENV)/bin/ruff format --check bindings-python/python tests/python benches fuzz/seed.py
	$(VENV)/bin/mypy --strict bindings-python/python/hacienda_cr
	$(PY) -m mypy.stubtest hacienda_cr._native

test-rust: rust-setup py-setup
	cargo test --workspace

test-python: build-py
	$(PY) -m pytest -q tests/python

# ---------------------------------------------------------------- benchmarks
# Every benchmark prints its numbers beside its baseline plus one `BENCH {json}` line per figure;
# `make bench` runs them all into one log and regenerates BENCHMARKS.md from it.
BENCH_LOG := target/bench.log
BENCH_TARGETS = bench-python bench-rust $(EXTRA_BENCH)

bench: build-py
	@mkdir -p target; : > $(BENCH_LOG)
	@set -o pipefail; for t in $(BENCH_TARGETS); do \
	  $(MAKE) --no-print-directory $$t 2>&1 | tee -a $(BENCH_LOG) || exit 1; done
	$(PY) benches/report.py $(BENCH_LOG) > BENCHMARKS.md
	@echo "wrote BENCHMARKS.md"

bench-python: build-py
	$(PY) benches/bench_status_parse.py

bench-rust: py-setup
	cargo bench -q -p hacienda-core --bench parse -- --noplot
