# Coverage-guided fuzzing (cargo-fuzz / libFuzzer on the nightly toolchain).
#   make fuzz         each target for FUZZ_SECONDS (default 600)
#   make fuzz-smoke   each target for FUZZ_SMOKE_SECONDS (default 30); part of `make test`
# Seeds come from tests/fixtures and, when present, ../shared/fixtures/hacienda; they are copied
# into fuzz/corpus/ (gitignored) at run time. Crashes land in fuzz/artifacts/<target>/ and make
# the run fail; each one found becomes a fixture under tests/fixtures/hostile/.

FUZZ_TARGETS       ?= status message http_outcome clave document inspect planners
FUZZ_SECONDS       ?= 600
FUZZ_SMOKE_SECONDS ?= 30
FUZZ_FLAGS         := -rss_limit_mb=2048 -max_len=262144 -timeout=10

.PHONY: fuzz-setup fuzz-seed fuzz-build fuzz fuzz-smoke
EXTRA_TESTS += fuzz-smoke

fuzz-setup:
	@rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
	@command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --version '^0.13' --locked

fuzz-seed:
	python3 fuzz/seed.py

fuzz-build: fuzz-setup
	cd fuzz && cargo +nightly fuzz build -O

fuzz: fuzz-build fuzz-seed
	@mkdir -p fuzz/logs; for t in $(FUZZ_TARGETS); do \
	  echo "== fuzz $$t for $(FUZZ_SECONDS) s"; \
	  if ! (cd fuzz && cargo +nightly fuzz run -O $$t corpus/$$t -- $(FUZZ_FLAGS) \
	        -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 > logs/$$t.log 2>&1); then \
	    tail -40 fuzz/logs/$$t.log; echo "fuzz target $$t FAILED (log: fuzz/logs/$$t.log)"; exit 1; \
	  fi; \
	  grep -E '^(stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb|Done)' fuzz/logs/$$t.log; \
	done

fuzz-smoke:
	$(MAKE) fuzz FUZZ_SECONDS=$(FUZZ_SMOKE_SECONDS)
