# Quick start: `make demo` (reports of the bundled demo clients) and `make test` (the whole suite).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
KERNEL := impactlib

.PHONY: demo test install install-test browser clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# the package and the named Jupyter kernel the reports run on
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "impactlib (reports)" >/dev/null
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# Debian's Chromium for the browser tests (Playwright never downloads a browser of its own)
browser:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; \
	else echo "browser tests need Debian's chromium: sudo apt-get install chromium"; fi

demo: $(VENV)/.installed
	$(BIN)/impactlib report --all
	@echo "Reports are in $(CURDIR)/reports/<client>/<scenario>.<lang>.html"

test: $(VENV)/.installed-test browser
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) reports .pytest_cache .hypothesis
