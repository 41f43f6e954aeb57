# http workstream: the client (core feature `http`), the simulator (tests/simulator, crate
# hacienda-sim) and their benchmark. The Rust integration tests live in tests/simulator/tests and
# run with `cargo test --workspace` (the simulator dev-depends on core with `http`); the Python
# ones are tests/python/test_client*.py (run by test-python).

.PHONY: bench-http sim

EXTRA_BENCH += bench-http

# polling 100 documents (250 ms latency) poll_many vs requests; bulk submit 1000 under limits
bench-http: build-py
	$(PY) benches/bench_poll.py

# the simulator as a standalone server on 127.0.0.1 (Ctrl-C to stop)
sim: rust-setup
	cargo run -q --release -p hacienda-sim -- $(SIM_ARGS)

.PHONY: test-soak

# the bounded 2000-document fault soak alone (test-python runs it too; its counts are printed)
test-soak: build-py
	$(PY) -m pytest -q -s tests/python/test_client_soak.py
