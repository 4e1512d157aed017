# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
APP_STAMP := $(VENV)/.installed-app

.PHONY: run test lint fuzz bench bench-smoke clean

# make test: the core with every extra (the app's and the slides' are tested too)
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[app,slides,dev]'
	touch $(STAMP)

# make run: the core and the app extra (streamlit, plotly, matplotlib)
$(APP_STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[app]'
	touch $(APP_STAMP)

run: $(APP_STAMP)
	$(VENV)/bin/streamlit run app.py --server.headless true --client.toolbarMode viewer \
		--server.fileWatcherType none --browser.gatherUsageStats false

test: $(STAMP)
	$(PY) -m pytest

fuzz: $(STAMP)   # bounded: 400 random inputs per loader target, at most 15 minutes
	KB_FUZZ_EXAMPLES=400 KB_FUZZ_RANDOM=1 timeout 900 $(PY) -m pytest tests/test_fuzz.py -q

lint: $(STAMP)
	$(VENV)/bin/ruff check kb tests app.py bench

bench: $(STAMP)
	$(PY) bench/run.py --sizes 1k,10k,100k,1M

bench-smoke: $(STAMP)
	$(PY) bench/run.py --sizes 1k --repeat 2

clean:
	rm -rf $(VENV) .pytest_cache
