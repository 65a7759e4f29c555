# Every target does its own set-up: a fresh clone needs only `make demo` or `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= data/demo.duckdb
PORT ?= 8501
CORPUS ?= ../shared/corpus

.PHONY: install system-deps test stress check lint typecheck bench bench-large demo screenshots fuzz clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test,ui]'
	touch $(STAMP)

install: $(STAMP)

system-deps:
	bash tools/system-deps.sh

test: install system-deps
	NIANBAO_CORPUS=$(CORPUS) $(BIN)/python -m pytest -q -n 2 --dist loadfile

# The full proofs of the store's safety: 8 threads x 50 uploads, 20 kill -9 trials, 10x the property examples.
stress: install system-deps
	NIANBAO_STRESS=1 NIANBAO_CORPUS=$(CORPUS) $(BIN)/python -m pytest -q -s tests/test_store_connections.py tests/test_properties.py tests/test_bounded_work.py

lint: install
	$(BIN)/ruff check nianbao tests app_pages dashboard.py bench
	$(BIN)/ruff format --check nianbao tests app_pages dashboard.py bench

typecheck: install
	$(BIN)/mypy

check: lint typecheck test

bench: install
	$(BIN)/python -m bench

# The same with a 100,000-report store added (about 15 more minutes).
bench-large: install
	$(BIN)/python -m bench --sizes 300 1000 10000 100000

demo: install
	test -f $(DB) || $(BIN)/nianbao demo --db $(DB)
	$(BIN)/streamlit run dashboard.py --server.address 127.0.0.1 --server.port $(PORT) --server.headless true -- --db $(DB)

# Fuzz the extractors and the recognizer with atheris for FUZZ_SECONDS (crashes: test-output/fuzz/).
FUZZ_SECONDS ?= 60
FUZZ_DIR := test-output/fuzz
fuzz: install
	$(BIN)/python -c "import atheris" 2>/dev/null || $(BIN)/pip install -q -e '.[fuzz]'
	mkdir -p $(FUZZ_DIR)/corpus
	$(BIN)/python tests/fuzz_parse.py --seeds $(FUZZ_DIR)/seeds
	$(BIN)/python tests/fuzz_parse.py $(FUZZ_DIR)/corpus $(FUZZ_DIR)/seeds -max_total_time=$(FUZZ_SECONDS) \
		-timeout=20 -rss_limit_mb=4096 -max_len=400000 -artifact_prefix=$(FUZZ_DIR)/

# Re-take docs/screenshots/ (the README's pictures) with the browser tests.
screenshots: install system-deps
	NIANBAO_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest -q tests/test_make_demo.py tests/test_dashboard_browser.py

clean:
	rm -rf $(VENV) test-output bench-output
