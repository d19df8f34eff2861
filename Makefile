# Two commands on a fresh machine (see README.md). Both create .venv and install on first run.
PYTHON ?= python3
VENV ?= .venv
STAMP := $(VENV)/.installed

.PHONY: course test lint

course: $(STAMP)
	$(VENV)/bin/coursegen build

test: $(STAMP)
	$(VENV)/bin/python -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests
	$(VENV)/bin/ruff format --check src tests
	$(VENV)/bin/mypy

# coursegen's modules are compiled once, as pip does for a package it installs (not for an
# editable one): where PYTHONDONTWRITEBYTECODE is set, every process of every build would
# compile them again.
$(STAMP): pyproject.toml
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e ".[test]"
	$(VENV)/bin/python -m compileall -q src/coursegen
	touch $(STAMP)
