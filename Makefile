# Kring's commands. The README names two: `make run` and `make test`.
#
#   make run       install, migrate, load the demo and serve it at http://127.0.0.1:8000,
#                  with `kring worker` for e-mail and digests beside it
#   make test      install with the dev tools and run every test (unit and browser)
#   make lint      ruff check, ruff format --check, the import layers (lint-imports) and
#                  mypy on every service, selector and permission module
#   make format    let ruff fix what it can and format the code
#   make messages  update the .po files from the code and compile them
#   make bench     run the benchmarks (search, insights; minutes each, see benchmarks/README.md)
#   make clean     remove the virtualenv, caches and screenshots (keeps ./var, your data)
#
# Variables: PYTHON (the interpreter for the virtualenv), PYTEST_ARGS (extra pytest
# arguments, e.g. PYTEST_ARGS="-m 'not browser'"), DATABASE_URL (unset: SQLite).

SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check --no-input
KRING := $(BIN)/kring
CHROMIUM := /usr/bin/chromium
# Two xdist workers on two cores: a quarter faster on SQLite (figures in the README).
PYTEST_WORKERS ?= 2
PYTEST_ARGS ?=

.PHONY: help run test lint format messages bench chromium pdf-libs clean

help:
	@sed -n 's/^#   //p' Makefile

# The virtualenv. A stamp file per flavour makes a second `make` instant; editing
# pyproject.toml reinstalls. pip's -q still prints every error; QUIET_PIP drops only the
# warnings about package mirrors a machine's pip.conf names but does not have.
QUIET_PIP := { grep -v "^WARNING: Location 'file:" || true; }
$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), sys.version' 2>/dev/null \
	  || { echo "Kring needs Python 3.11; '$(PYTHON)' is not it. Use: make PYTHON=/path/to/python3.11 ..." >&2; exit 1; }
	@echo "Creating $(VENV) with $(PYTHON)"
	@$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
	  echo "Could not create a virtualenv. On Debian: apt-get install python3-venv" >&2; exit 1; }

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@echo "Installing Kring into $(VENV)"
	@$(PIP) install -q -e . 2>&1 | $(QUIET_PIP)
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	@echo "Installing Kring with its dev tools into $(VENV)"
	@$(PIP) install -q -e '.[dev]' 2>&1 | $(QUIET_PIP)
	@touch $@ $(VENV)/.installed

# The worker (e-mail, notifications, digests) runs in the background beside the web server
# and stops with it. Its e-mails go to this terminal unless KRING_EMAIL_HOST is set.
run: $(VENV)/.installed pdf-libs
	@KRING_DEBUG=1 $(KRING) migrate --no-input -v 0
	@KRING_DEBUG=1 $(KRING) seed-demo
	@echo "Serving the demo at http://127.0.0.1:8000 with a background worker (Ctrl-C stops both)"
	@KRING_DEBUG=1 $(KRING) worker -v 0 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  KRING_DEBUG=1 $(KRING) runserver 127.0.0.1:8000

# Browser tests drive Debian's Chromium; Playwright's own browser download is never used.
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "The browser tests need Debian's Chromium at $(CHROMIUM)." >&2; \
	    echo "Install it with:  sudo apt-get install chromium" >&2; \
	    echo "or run the other tests only:  make test PYTEST_ARGS=\"-m 'not browser'\"" >&2; \
	    exit 1; \
	  fi; \
	fi

# The report's PDF (WeasyPrint) needs Pango from Debian; the tests read PDFs with pdftotext
# (poppler-utils). As root they are installed; otherwise you are told what to install.
PDF_LIBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils
pdf-libs:
	@missing=$$(for p in $(PDF_LIBS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing from Debian for the report's PDF: $$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  elif command -v dpkg >/dev/null; then \
	    echo "The report's PDF needs: $$missing" >&2; \
	    echo "Install them with:  sudo apt-get install $$missing" >&2; \
	    exit 1; \
	  fi; \
	fi

# Without PYTEST_ARGS, chromium is required; with a `-m 'not browser'` the check is skipped.
test: $(VENV)/.installed-dev pdf-libs $(if $(findstring not browser,$(PYTEST_ARGS)),,chromium)
	@echo "Database: $${DATABASE_URL:-SQLite (DATABASE_URL unset)}"
	$(BIN)/pytest $(if $(filter-out 0 1,$(PYTEST_WORKERS)),-n $(PYTEST_WORKERS)) $(PYTEST_ARGS)

# The modules whose every function is typed and checked by mypy (django-stubs).
TYPED = $(shell find src/kring -name tests -prune -o -name migrations -prune -o \
  \( -name 'services*.py' -o -name 'selectors*.py' -o -name 'permissions*.py' \
  -o -path '*/services/*.py' -o -path '*/selectors/*.py' \) -print | sort) \
  src/kring/core/api_kit.py src/kring/core/attachments.py src/kring/core/bulk.py src/kring/core/verbs.py \
  src/kring/core/csvimport.py $(wildcard src/kring/insights/compute/*.py)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/ruff check --select ANN001,ANN003,ANN201,ANN202 $(TYPED)
	KRING_DATA_DIR=$${KRING_DATA_DIR:-$$(mktemp -d)} $(BIN)/mypy $(TYPED)

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# See src/kring/locale/README.md: run from src/kring so only Kring's own strings are
# collected. Needs GNU gettext (Debian: apt-get install gettext).
I18N_DATA := $(or $(KRING_DATA_DIR),/tmp/kring-i18n)
messages: $(VENV)/.installed
	cd src/kring && KRING_DATA_DIR=$(I18N_DATA) ../../$(KRING) makemessages -l nl -l en \
	  --no-location --no-obsolete -i "demo/*"
	cd src/kring && KRING_DATA_DIR=$(I18N_DATA) ../../$(KRING) compilemessages

# The benchmarks (figures and options: benchmarks/README.md). Each builds its own database
# under /tmp (SQLite) or in DATABASE_URL (its name must contain "bench"); the insights one
# is reused on later runs. BENCH=search or BENCH=insights runs one of them.
BENCH ?= search insights
bench: $(VENV)/.installed-dev
	@for b in $(BENCH); do \
	  echo "== benchmarks/bench_$$b.py"; \
	  $(BIN)/python benchmarks/bench_$$b.py || exit 1; \
	done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis screenshots src/*.egg-info
