# Scheduling engine (issue 3): benchmark. Its tests run in `cargo test --workspace`
# (schedule_vectors, schedule_props) and `pytest tests/python` (test_schedule_*.py).
.PHONY: bench-sched

EXTRA_BENCH += bench-sched

bench-sched: build-py
	$(PY) benches/bench_schedule.py
