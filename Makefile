# Mosaic Studio: `make run` opens the app, `make test` runs every check.
# Both create the virtual environment on first use; nothing else is needed.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8501

TRL_VENV := .venv-trl
LF_VENV  := .venv-llamafactory
AX_VENV  := .venv-axolotl

.PHONY: run test lint typecheck unit browser trainers-env bench screenshots clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip==26.3

$(VENV)/.runtime: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt requirements-ray.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

run: $(VENV)/.runtime
	$(PY) -m streamlit run app.py --server.address 127.0.0.1 --server.port $(PORT) \
		--server.headless true --browser.gatherUsageStats false

# A Chromium for the browser test: one on PATH, else Debian's package when we are root.
browser:
	@if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then \
		echo "chromium: $$(command -v chromium || echo /usr/bin/chromium)"; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing Debian's chromium package"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "no chromium found and not root: the browser test will be skipped (or fail under CI=true)"; \
	fi

# The trainers the trainer tests run, each in an environment of its own (their pins clash with ours):
# $(call trainer_venv,FOLDER,REQUIREMENTS[,PACKAGE installed after them without its own requirements])
define trainer_venv
	$(PYTHON) -m venv $(1)
	$(1)/bin/python -m pip install --quiet --upgrade pip==26.3
	$(1)/bin/python -m pip install --quiet -r $(2)
	$(if $(3),$(1)/bin/python -m pip install --quiet --no-deps $(3))
	touch $(1)/.ready
endef

$(TRL_VENV)/.ready: tests/trainers/requirements-trl.txt
	$(call trainer_venv,$(TRL_VENV),$<)

$(LF_VENV)/.ready: tests/trainers/requirements-llamafactory.txt
	$(call trainer_venv,$(LF_VENV),$<,llamafactory==0.9.5)

$(AX_VENV)/.ready: tests/trainers/requirements-axolotl.txt
	$(call trainer_venv,$(AX_VENV),$<,axolotl==0.19.0)

# The three environments are independent: built side by side (pip mostly waits on the disk and the network).
trainers-env:
	$(MAKE) -j3 $(TRL_VENV)/.ready $(LF_VENV)/.ready $(AX_VENV)/.ready

lint: $(VENV)/.dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

typecheck: $(VENV)/.dev
	$(PY) -m mypy mosaic_core

unit: $(VENV)/.dev
	$(PY) -m pytest

test: $(VENV)/.dev browser trainers-env lint typecheck unit

screenshots: $(VENV)/.dev browser
	MOSAIC_SCREENSHOTS=docs/screenshots $(PY) -m pytest tests/test_browser.py -q

bench: $(VENV)/.dev
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) $(TRL_VENV) $(LF_VENV) $(AX_VENV) .cache .pytest_cache .mypy_cache .ruff_cache .hypothesis test-artifacts
