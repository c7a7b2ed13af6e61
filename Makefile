# jiandang — one Makefile for set-up, the demo, tests, benchmarks and evaluation.
# Every target installs what it needs from nothing (a fresh machine has only python3).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export HAYSTACK_TELEMETRY_ENABLED := False
export JIANDANG_HOME ?= $(CURDIR)/var/demo

.PHONY: install run test test-browser lint bench eval clean browser fonts

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

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,ocr]'
	touch $(STAMP)

install: $(STAMP)

## make run: build the sample project, ingest it, show the archive and a few searches.
run: $(STAMP)
	$(BIN)/jiandang demo

## make test: ruff, import-linter contracts, pytest.
test: $(STAMP) lint browser fonts
	$(BIN)/pytest

## make test-browser: only the browser walk-through (screenshots in var/test-artifacts/browser/).
test-browser: $(STAMP) browser
	$(BIN)/pytest -m browser tests/browser

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

## make bench: ingest throughput and search latency (prints tables; see README for figures).
bench: $(STAMP)
	$(BIN)/python -m bench.run

## make eval: classification accuracy on the sample project and the labelled real corpus.
eval: $(STAMP) fonts
	$(BIN)/python -m eval.classification
	$(BIN)/python -m eval.relevance
	$(BIN)/python -m eval.ocr
	$(BIN)/python -m eval.redaction

clean:
	rm -rf $(VENV) var build *.egg-info
