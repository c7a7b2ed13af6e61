# jiandang — one Makefile for set-up, the demo, tests, benchmarks and evaluation.
# Every target installs what it needs from nothing (a fresh machine has only python3).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export HAYSTACK_TELEMETRY_ENABLED := False
export JIANDANG_HOME ?= $(CURDIR)/var/demo

.PHONY: install bytecode run demo test test-browser test-postgres lint bench eval clean browser fonts postgres

## Browser tests drive Debian's chromium through Playwright (no browser download).
CHROMIUM ?= /usr/bin/chromium
browser:
	@test -x $(CHROMIUM) || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
	  || { echo "chromium is missing and could not be installed (apt-get needs root)"; exit 1; }

## The OCR tests render Chinese scans with a CJK TrueType font (Debian's fonts-wqy-microhei).
CJK_FONT ?= /usr/share/fonts/truetype/wqy/wqy-microhei.ttc
fonts:
	@test -f $(CJK_FONT) || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei >/dev/null; } \
	  || { echo "fonts-wqy-microhei is missing and could not be installed (apt-get needs root)"; exit 1; }

## The PostgreSQL tests start a throwaway server from Debian's postgresql (tests/pgserver.py); the
## package only installs the binaries (policy-rc.d keeps the packaged cluster down).
PG_INITDB ?= $(firstword $(wildcard /usr/lib/postgresql/*/bin/initdb))
postgres:
	@test -n "$(PG_INITDB)" || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-contrib >/dev/null; } \
	  || { echo "postgresql is missing and could not be installed (apt-get needs root); its tests will be skipped"; }

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,ocr]'
	touch $(STAMP)

install: $(STAMP) bytecode

## Our packages' bytecode, compiled as pip compiles an installed package's: the editable install
## leaves none, and where PYTHONDONTWRITEBYTECODE is set (as on this machine and in CI) every command
## compiled every module of ours again: 0.3 s of `jiandang search` and of `serve`'s start (README
## "Start-up"). Up-to-date files are skipped; a file edited later is compiled in memory until the
## next run of this. PACKAGES is pyproject's package list (tests/test_architecture.py checks it).
PACKAGES := api classify cli core disclosure handover ingest oversight samples schemas search textvalues
bytecode: $(STAMP)
	@$(BIN)/python -m compileall -q -j 0 $(PACKAGES)

## make run: the workbench. First run: the sample project is built into var/demo and the admin login printed;
## every run: web UI + API on JIANDANG_HOST:JIANDANG_PORT (127.0.0.1:8000) and a watcher on var/demo/inbox.
## Ctrl-C stops it.
JIANDANG_HOST ?= 127.0.0.1
JIANDANG_PORT ?= 8000
run: $(STAMP) bytecode
	$(BIN)/jiandang serve --sample --inbox --host $(JIANDANG_HOST) --port $(JIANDANG_PORT)

## make demo: the printed walk-through: build the sample project, ingest it, show the archive and a few searches.
demo: $(STAMP) bytecode
	$(BIN)/jiandang demo

## make test: ruff, import-linter contracts, pytest (SQLite catalog; the PostgreSQL tests start their
## own server), then every test that opens a catalog again with PostgreSQL as the catalog
## (JIANDANG_TEST_CATALOG; tests marked sqlite_only skip themselves, saying why).
test: $(STAMP) bytecode lint browser fonts postgres
	$(BIN)/pytest
	JIANDANG_TEST_CATALOG=postgres $(BIN)/pytest -m "not postgres" $(PG_SELECTION)

## The tests that run again with PostgreSQL as the catalog in `make test`: every folder and file
## whose tests open a catalog (service, API, CLI, watcher, hostile files, oversight, disclosure). The
## rest (readers, classifier, search engines, handover bundles, samples) never build one, so a second
## pass would repeat the first; the browser walk-through's one site is built per session, on SQLite.
## The whole suite: `make test-postgres PG_SELECTION=tests` (README "PostgreSQL": measured times).
PG_SELECTION ?= tests/core tests/api tests/cli tests/hostile tests/oversight tests/disclosure \
  tests/search/test_search_service.py tests/search/test_search_cli.py
test-postgres: $(STAMP) postgres
	JIANDANG_TEST_CATALOG=postgres $(BIN)/pytest -m "not postgres" $(PG_SELECTION)

## make test-browser: only the browser walk-through (screenshots in var/test-artifacts/browser/).
test-browser: $(STAMP) browser
	$(BIN)/pytest -m browser tests/browser

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

## make bench: ingest throughput and search latency (prints tables; see README for figures).
bench: $(STAMP) bytecode
	$(BIN)/python -m bench.run

## make eval: classification accuracy on the sample project and the labelled real corpus.
eval: $(STAMP) fonts
	$(BIN)/python -m eval.classification
	$(BIN)/python -m eval.relevance
	$(BIN)/python -m eval.ocr
	$(BIN)/python -m eval.redaction

clean:
	rm -rf $(VENV) var build *.egg-info
