# lossviz: two commands for learners (`make lab`, `make test`), a few more for contributors.
# Needs only python3 (>= 3.10) and make; everything else goes into .venv.
#
#   make lab                 set up .venv, open JupyterLab on notebooks/ (127.0.0.1, token auth on)
#   make test                set up .venv with dev tools, lint, then the unit tests + strict nbval
#   make test WITH_TORCH=1   the same, with torch==2.13.0 installed so the PyTorch-parity tests run
#   make lint                ruff check
#   make bench               run every benchmarks/bench_*.py and print their tables
#   make notebooks           re-execute notebooks/*.ipynb in place and normalise them
#   make preload             re-record the scripts a dashboard page preloads (after a Voila or widget upgrade)
#   make explore             serve notebooks/ as Voila dashboards on 127.0.0.1:8866
#   make present NB=03_confidently_wrong   one notebook as a live reveal.js deck on 127.0.0.1:8870
#   make classroom           the dashboards for a room: preheated kernels, limits (HOST=0.0.0.0 + token)
#   make hub                 a local JupyterHub on 127.0.0.1:8000 to try the course on a hub (trials only)
#   make clean               remove caches and artifacts (keeps .venv); `make distclean` removes .venv too

SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --quiet --quiet
CONSTRAINTS := constraints.txt
# An exact pin: a CPU wheel; an unpinned torch would pull a multi-GB GPU build.
TORCH_SPEC := torch==2.13.0
WITH_TORCH ?= 0

# An exported MPLBACKEND=Agg would leak into notebook kernels and inline figures would vanish.
unexport MPLBACKEND

LAB_STAMP := $(VENV)/.lab-stamp
DEV_STAMP := $(VENV)/.dev-stamp
TORCH_STAMP := $(VENV)/.torch-stamp
TEST_SETUP := $(DEV_STAMP) $(if $(filter 1 yes true,$(WITH_TORCH)),$(TORCH_STAMP))
# configurable-http-proxy from npm, for the local JupyterHub (make hub, tests/browser/test_hub.py):
# part of the test setup whenever npm is there (without it the hub tests skip; CI installs npm).
HUB_DIR := deploy/hub
CHP := $(HUB_DIR)/node_modules/.bin/configurable-http-proxy
TEST_SETUP += $(if $(shell command -v npm 2>/dev/null),$(CHP))
HUB_PORT ?= 8000
HUB_STATE ?= .hub

# JupyterLab refuses to run as root without --allow-root; pass it only then.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

LINT_PATHS := $(wildcard lossviz tests benchmarks tools)
NOTEBOOKS := $(sort $(wildcard notebooks/*.ipynb))
BENCHES := $(sort $(wildcard benchmarks/bench_*.py))
# nbval collects only .ipynb files; pytest still collects tests/*.py. Skip notebooks/ while it is missing.
PYTEST_ARGS := tests $(wildcard notebooks) --nbval --nbval-current-env \
	--nbval-sanitize-with tests/nbval_sanitize.cfg

.DEFAULT_GOAL := help
.PHONY: help lab test lint bench notebooks preload explore present classroom hub clean distclean setup setup-dev

help:
	@sed -n '1,/^$$/s/^# \{0,1\}//p' Makefile

# --- the virtualenv: created when missing, refreshed when a requirements file changes -------------
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(LAB_STAMP): requirements.txt $(CONSTRAINTS) pyproject.toml | $(BIN)/python
	@echo "Installing requirements.txt and lossviz into $(VENV) (the first time takes a minute or two)"
	$(PIP) install -r requirements.txt -c $(CONSTRAINTS)
	$(PIP) install -e . -c $(CONSTRAINTS)
	@touch $@

$(DEV_STAMP): $(LAB_STAMP) requirements-dev.txt
	@echo "Installing requirements-dev.txt into $(VENV)"
	$(PIP) install -r requirements-dev.txt -c $(CONSTRAINTS)
	@touch $@

$(TORCH_STAMP): $(LAB_STAMP)
	@echo "Installing $(TORCH_SPEC) (CPU) into $(VENV)"
	$(PIP) install "$(TORCH_SPEC)" -c $(CONSTRAINTS)
	@touch $@

setup: $(LAB_STAMP)
setup-dev: $(TEST_SETUP)

# --- learners ------------------------------------------------------------------------------------
lab: $(LAB_STAMP)
	$(BIN)/jupyter lab --ServerApp.root_dir=notebooks --ServerApp.ip=127.0.0.1 $(ROOT_FLAG)

# The hub's Voila settings (deploy/jupyter-config/voila.json): the "lossviz" template
# (deploy/jupyter-data: Voila's lab template without its CDN links, so a page asks nothing of any
# host but this one); the front-end extensions a page does not load, as for make classroom
# (tools/present.py, extension_denylist). Kernels skip ipywidgets' echo of each slider update
# (KERNEL_ENV there).
explore: $(LAB_STAMP)
	@echo "Landing page: http://127.0.0.1:8866/voila/render/index.ipynb  (all files: http://127.0.0.1:8866/)"
	JUPYTER_PATH="$(abspath deploy/jupyter-data)$${JUPYTER_PATH:+:$$JUPYTER_PATH}" \
	JUPYTER_CONFIG_PATH="$(abspath deploy/jupyter-config)$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH}" \
	JUPYTER_WIDGETS_ECHO=0 \
		$(BIN)/voila notebooks --no-browser --Voila.ip=127.0.0.1 --port=8866 \
		"--VoilaConfiguration.extension_denylist=$$($(BIN)/python -c 'import sys; sys.path[:0] = ["tools"]; import present; print(present.extension_denylist())')"

# A teacher's deck: code hidden, sliders live, every asset served locally (works offline).
NB ?=
PORT ?=
present: $(LAB_STAMP)
	@test -n "$(NB)" || { echo "make present: name a notebook, e.g. make present NB=03_confidently_wrong"; exit 2; }
	$(BIN)/python tools/present.py "$(NB)" --port $(or $(PORT),8870)

# A room of learners on the dashboards: preheated kernels per notebook, culling, a kernel cap;
# HOST=0.0.0.0 serves the network and then requires the token it prints.
# POOLS="03_confidently_wrong=30" sizes the warm pools; MAX_KERNELS caps live kernels.
HOST ?= 127.0.0.1
classroom: $(LAB_STAMP)
	$(BIN)/python tools/classroom.py --host $(HOST) --port $(or $(PORT),8866) \
		$(foreach p,$(POOLS),--pool $(p)) $(if $(MAX_KERNELS),--max-kernels $(MAX_KERNELS))

# A whole course on one machine, to try JupyterHub locally (LOCAL TRIALS ONLY: any user name with
# one shared password, every server runs as you). Learners' homes and the hub's database live in
# HUB_STATE (default .hub/), so files survive a restart; deploy/README.md has the real set-ups.
hub: $(DEV_STAMP) $(CHP)
	@mkdir -p "$(HUB_STATE)"
	@test -s "$(HUB_STATE)/password" || $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(9))" > "$(HUB_STATE)/password"
	@echo "Local trial JupyterHub (LOCAL TRIALS ONLY): http://127.0.0.1:$(HUB_PORT)/"
	@echo "  log in with any user name and the shared password: $$(cat "$(HUB_STATE)/password")"
	@echo "  a learner's dashboards: http://127.0.0.1:$(HUB_PORT)/user/NAME/voila/render/index.ipynb"
	cd "$(HUB_STATE)" && LOSSVIZ_HUB_STATE="$(abspath $(HUB_STATE))" LOSSVIZ_HUB_PORT=$(HUB_PORT) \
		LOSSVIZ_HUB_PASSWORD="$$(cat password)" \
		"$(abspath $(BIN))/jupyterhub" -f "$(abspath $(HUB_DIR))/jupyterhub_config.py"

$(CHP): $(HUB_DIR)/package.json $(HUB_DIR)/package-lock.json
	@command -v npm >/dev/null || { echo "make: npm is missing; the local hub's proxy needs Node.js and npm (apt-get install -y nodejs npm)"; exit 1; }
	@echo "Installing configurable-http-proxy from npm into $(HUB_DIR)/node_modules"
	cd $(HUB_DIR) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# --- contributors --------------------------------------------------------------------------------
lint: $(DEV_STAMP)
	$(BIN)/ruff check $(LINT_PATHS)

# One pytest run: unit tests and strict nbval on the stored notebooks; the exit code is pytest's.
test: $(TEST_SETUP)
	@$(MAKE) --no-print-directory lint
	$(BIN)/pytest $(PYTEST_ARGS)

bench: $(TEST_SETUP)
	@set -e; for b in $(BENCHES); do echo "== $$b"; $(BIN)/python $$b; echo; done

notebooks: $(DEV_STAMP)
	$(if $(NOTEBOOKS),$(BIN)/python tools/run_notebooks.py $(NOTEBOOKS),@echo "no notebooks in notebooks/")

# The scripts a dashboard page names in its head, fetched while the kernel runs the notebook
# (deploy/jupyter-data/voila/templates/lossviz/preload.html.j2); needs Chromium, as the browser tests.
preload: $(DEV_STAMP)
	$(BIN)/python tools/voila_preload.py

clean:
	rm -rf .pytest_cache .hypothesis .ruff_cache artifacts build *.egg-info
	find . -path ./$(VENV) -prune -o \( -name __pycache__ -o -name .ipynb_checkpoints \) \
		-type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
