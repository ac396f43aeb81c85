# Two commands on a fresh machine:  `make run`  (ingest the bundled samples, index, open the app)
#                                   `make test` (install and run the test suite)
VENV ?= .venv
PY := $(VENV)/bin/python
FINSAM := $(VENV)/bin/finsam
PORT ?= 8501
# How pip gets torch. Here 2.13.0 is a CPU build on local disk; elsewhere PyPI's torch is the
# CUDA build (~2.5 GB): use  make run TORCH_PIP="torch --index-url https://download.pytorch.org/whl/cpu"
TORCH_PIP ?= torch==2.13.0

.PHONY: install run test check lint types bench eval clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# torch first (see TORCH_PIP): an unpinned torch from PyPI pulls a CUDA build.
	$(PY) -m pip install --quiet $(TORCH_PIP)
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

run: install
	$(FINSAM) ingest corpus/samples
	$(FINSAM) app --port $(PORT)

test: install
	$(PY) -m pytest -q

lint: install
	$(VENV)/bin/ruff check corpus ingest index search_app tests scripts
	$(VENV)/bin/ruff format --check corpus ingest index search_app tests scripts

types: install
	$(VENV)/bin/mypy

check: lint types test

bench: install
	$(PY) scripts/bench_ingest.py
	$(PY) scripts/bench_search.py

eval: install
	$(FINSAM) ingest corpus/samples
	$(FINSAM) eval tests/data/dev-queries.json

clean:
	rm -rf data/finsam.db* data/finsam-index
