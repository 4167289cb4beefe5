# Bootstrap only: make a venv from the lock, then hand over to invoke (tasks.py).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-from-lock

.PHONY: site test lint serve lock clean-venv pds axe

$(STAMP): requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=23"
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	@# the project itself, editable; setuptools' notes about editable installs go to a log
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e . \
	  > $(VENV)/editable-install.log 2>&1 || { cat $(VENV)/editable-install.log; exit 1; }
	@touch $(STAMP)

## site: build the demo site into output/
site: $(STAMP)
	@$(BIN)/invoke build

## test: run the whole test suite (fast unit tests, then integration and browser tests)
test: $(STAMP)
	@if command -v npm >/dev/null; then $(MAKE) --no-print-directory pds axe; \
	 else echo "npm not found: the Bluesky PDS and axe-core tests will be skipped (.ci/run requires them)"; fi
	@$(BIN)/invoke test

## pds: install the real Bluesky PDS + PLC the syndication tests start (tools/pds/, Node 20)
pds: tools/pds/node_modules/.chorus-installed

tools/pds/node_modules/.chorus-installed: tools/pds/package.json tools/pds/package-lock.json
	@cd tools/pds && npm ci --no-audit --no-fund --loglevel=error
	@# npm versions that hold back install scripts leave better-sqlite3 unbuilt: build it then
	@cd tools/pds && test -f node_modules/better-sqlite3/build/Release/better_sqlite3.node || \
	  { npm install-scripts approve better-sqlite3 >/dev/null; npm rebuild better-sqlite3 --loglevel=error; }
	@touch $@

## axe: install axe-core, which the browser tests inject to check accessibility (tools/axe/)
axe: tools/axe/node_modules/.chorus-installed

tools/axe/node_modules/.chorus-installed: tools/axe/package.json tools/axe/package-lock.json
	@cd tools/axe && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

lint: $(STAMP)
	@$(BIN)/ruff check . && $(BIN)/ruff format --check .

## serve: build, then serve output/ on http://127.0.0.1:8000 with live reload
serve: $(STAMP)
	@$(BIN)/invoke livereload

## lock: re-resolve pyproject.toml into requirements.lock (exact versions + hashes)
lock:
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet pip-tools
	@$(BIN)/pip-compile --quiet --strip-extras --allow-unsafe --generate-hashes --extra dev -o requirements.lock pyproject.toml

clean-venv:
	rm -rf $(VENV)
