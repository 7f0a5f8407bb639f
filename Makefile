# Two commands: `make demo` and `make test`. Everything else is here for people who want it.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock | cksum | cut -d' ' -f1)
DEMO_DIR ?= demo-out
DEMO_REPORTS ?= 3000

.PHONY: demo test bench install clean lock

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements.lock -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@

demo: install web
	$(BIN)/linkage --store $(DEMO_DIR)/linkage-data demo --reports $(DEMO_REPORTS) --out $(DEMO_DIR)

test: install web
	$(BIN)/python -m pytest -q

# The analysts' web app (web/, TypeScript + Vite), built into api/static/ which the API serves at /.
# Rebuilt only when its sources change; needs Node 20.19+ and npm.
WEB_SRC := $(shell find web/src web/public -type f 2>/dev/null) web/index.html web/package.json \
	web/package-lock.json web/vite.config.ts web/tsconfig.json

.PHONY: web
web: api/static/index.html

api/static/index.html: $(WEB_SRC)
	@command -v npm >/dev/null || { echo "make web: Node 20.19+ and npm are needed to build web/ (https://nodejs.org)"; exit 1; }
	cd web && npm ci --no-audit --no-fund && npm run build
	touch $@

bench: install
	$(BIN)/pip install --quiet -c requirements.lock -e '.[test,bench]'
	$(BIN)/python -m benchmarks

lock:
	$(BIN)/pip freeze --exclude-editable | grep -v '^-e' > requirements.lock

clean:
	rm -rf $(DEMO_DIR) .pytest_cache
