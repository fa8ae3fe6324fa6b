# Quick start: `make demo` (reports of the bundled demo clients), `make check` (the fast tests), `make test` (all of them).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
KERNEL := impactlib
PYTEST := $(BIN)/python -m pytest
FAST   := not e2e and not browser and not slow
# two pytest workers, each running whole test files (a file's module fixtures, e.g. its rendered reports, built once):
# while one waits on a report kernel or Chromium the other computes
PARALLEL := -n 2 --dist loadfile

.PHONY: demo check test install install-test browser wheel clean screenshots explore

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -qq --upgrade pip

# the package and the named Jupyter kernel the reports run on. pip -qq: errors only; setuptools' notice that an
# editable install of this layout uses an import hook is information (tests/test_package.py fails on any build warning)
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -qq -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "impactlib (reports)" >/dev/null
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install -qq -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# Debian's Chromium for the browser tests (Playwright never downloads a browser of its own)
browser:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; \
	else echo "browser tests need Debian's chromium: sudo apt-get install chromium"; fi

# the analyst's explorer in the project's JupyterLab (.jupyter/: no Jupyter-news pop-up, no update check)
explore: $(VENV)/.installed
	JUPYTER_CONFIG_DIR=$(CURDIR)/.jupyter $(BIN)/jupyter lab notebooks/explore.ipynb

demo: $(VENV)/.installed
	$(BIN)/impactlib report --all
	@echo "Reports are in $(CURDIR)/reports/<client>/<scenario>.<lang>.html"

# the README's images (docs/img/) from the demo reports, photographed in headless Chromium
screenshots: $(VENV)/.installed-test browser
	$(BIN)/impactlib batch --all
	$(BIN)/impactlib campaign
	$(BIN)/python tools/screenshots.py

# the fast lane: no notebook run, no browser, no long property test (see README, "Tests")
check: $(VENV)/.installed-test
	$(PYTEST) $(PARALLEL) -m "$(FAST)"

# the whole suite, as CI runs it
test: $(VENV)/.installed-test browser
	$(PYTEST) $(PARALLEL)

# dist/impactlib-<version>-py3-none-any.whl, built as pip builds it for a user
wheel: | $(BIN)/python
	rm -rf build
	$(BIN)/python -m pip wheel --quiet --no-deps -w dist .

clean:
	rm -rf $(VENV) reports dist build *.egg-info .pytest_cache .hypothesis
