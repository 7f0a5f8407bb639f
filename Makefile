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

demo: install
	$(BIN)/linkage --store $(DEMO_DIR)/linkage-data demo --reports $(DEMO_REPORTS) --out $(DEMO_DIR)

test: install
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/pip install --quiet -c requirements.lock -e '.[test,bench]'
	$(BIN)/python -m benchmarks

lock:
	$(BIN)/pip freeze --exclude-editable | grep -v '^-e' > requirements.lock

clean:
	rm -rf $(DEMO_DIR) .pytest_cache
