# reportgen: `make report` and `make test` do all the set-up (virtual environment, pinned install, kernel).
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.reportgen-installed
LAB_STAMP := $(VENV)/.reportgen-lab-installed

# Author's interface: every make variable is the reportgen CLI option of the same name.
AUTHORITY   ?=
PERIOD      ?=
PERIODS     ?=
SOURCE      ?=
INPUT       ?=
LAYOUT      ?=
OUT         ?=
AUTHORITIES ?=
WORKERS     ?=
SINCE       ?=
LAB_ARGS    ?=
# Jupyter refuses to run as root (containers, CI) unless told to.
LAB_ROOT    := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root)
PYTEST_ARGS ?=

opt = $(if $(strip $($(1))),--$(2) "$($(1))")
REPORT_OPTS  = $(call opt,AUTHORITY,authority) $(call opt,PERIOD,period) $(call opt,SOURCE,source) \
               $(call opt,INPUT,input) $(call opt,LAYOUT,layout) $(call opt,OUT,out) $(call opt,PARAMS,params) \
               $(call opt,SINCE,since)
REPORTS_OPTS = $(call opt,PERIOD,period) $(call opt,PERIODS,periods) $(call opt,AUTHORITIES,authorities) \
               $(call opt,SOURCE,source) $(call opt,LAYOUT,layout) $(call opt,WORKERS,workers) $(call opt,OUT,out) \
               $(call opt,SINCE,since)

.PHONY: help venv lab report reports test test-disclosure test-fast lint format pdf clean distclean audit

help: ## List the targets and the variables they take
	@echo "reportgen: committee reports for children's services"
	@echo
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | awk -F'\t' '{printf "  make %-18s %s\n", $$1, $$2}'
	@echo
	@echo "Variables: AUTHORITY=name|GSS|old code  PERIOD=2024-25|2024-25Q3|2025-01|a:b"
	@echo "           SOURCE=published|ssda903|synthetic  INPUT=dir (903 returns)  PARAMS=file"
	@echo "           LAYOUT=county-scrutiny|open-report|corporate-parenting  OUT=dir"
	@echo "           SINCE=last-paper.docx (also write <paper>_changes.docx: tracked changes against it)"
	@echo "  reports: AUTHORITIES=\"codes...\"|region|all  PERIODS=a:b  WORKERS=n  RESUME=1"
	@echo "           SINCE=dir (a folder of earlier papers, e.g. out: each paper's changes against its last)"
	@echo "           EXECUTOR=process|dask  SCHEDULER=address  TIMEOUT=seconds per notebook"
	@echo "Example:   make report AUTHORITY=Southwark PERIOD=2023-24"

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name reportgen --display-name "Python (reportgen)" >/dev/null
	@touch $(STAMP)

venv: $(STAMP) ## Create .venv, install the pinned dependencies, register the 'reportgen' kernel

$(LAB_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev,lab]'
	@touch $(LAB_STAMP)

lab: $(LAB_STAMP) ## Open JupyterLab on notebooks/ with the 'reportgen' kernel (installs it, pinned)
	$(BIN)/jupyter lab --ServerApp.root_dir=notebooks --MappingKernelManager.default_kernel_name=reportgen $(LAB_ROOT) $(LAB_ARGS)

# reportgen's own modules byte-compiled (0.04 s when up to date): every run and every kernel then
# imports them compiled, even where PYTHONDONTWRITEBYTECODE is set (as in many containers): 0.2 s
BYTECODE = @$(BIN)/python -m compileall -q src/reportgen >/dev/null 2>&1 || true

report: $(STAMP) ## Write one report (default: Leicestershire, latest published year, to out/)
	$(BYTECODE)
	$(BIN)/reportgen report $(REPORT_OPTS)

reports: $(STAMP) ## Write reports for many authorities (default: all), with a summary
	$(BYTECODE)
	$(BIN)/reportgen reports $(REPORTS_OPTS) $(call opt,INPUT,input) $(call opt,EXECUTOR,executor) $(call opt,SCHEDULER,scheduler) $(call opt,TIMEOUT,timeout) $(if $(filter 1 yes true,$(RESUME)),--resume)

AUDIT_VENV := .venv-audit

$(AUDIT_VENV)/.installed:
	@test -x $(AUDIT_VENV)/bin/python || $(PYTHON) -m venv $(AUDIT_VENV)
	@$(AUDIT_VENV)/bin/python -m pip install --quiet --disable-pip-version-check pip-audit==2.10.1 2>/dev/null \
		|| echo "pip-audit could not be installed: the audit will be skipped"
	@touch $@

audit: $(AUDIT_VENV)/.installed ## pip-audit the locked dependencies (skipped when offline)
	@$(PYTHON) scripts/audit.py $(AUDIT_VENV)/bin/pip-audit requirements.lock

test: $(STAMP) audit ## Run the whole test suite (unit, integration, end-to-end)
	$(BIN)/ruff check src tests scripts bench
	$(BIN)/ruff format --check --quiet src tests scripts bench
	$(BIN)/lint-imports --no-cache
	$(BYTECODE)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-disclosure: $(STAMP) ## Disclosure scan of every authority's published report (about 4 minutes)
	$(BIN)/python -m pytest -m exhaustive tests/end_to_end/test_disclosure_scan.py $(PYTEST_ARGS)

test-fast: $(STAMP) ## Run the tests not marked slow
	$(BIN)/python -m pytest -m 'not slow' $(PYTEST_ARGS)

lint: $(STAMP) ## ruff check and format check
	$(BIN)/ruff check src tests scripts bench
	$(BIN)/ruff format --check src tests scripts bench

format: $(STAMP) ## ruff format and fix
	$(BIN)/ruff format src tests scripts bench
	$(BIN)/ruff check --fix src tests scripts bench

pdf: $(STAMP) ## Tagged PDF (PDF/UA) of each report under OUT (default out/), to publish; needs LibreOffice
	$(BIN)/reportgen pdf $(call opt,OUT,out)

clean: ## Remove generated reports (out/)
	rm -rf $(if $(strip $(OUT)),$(OUT),out)

distclean: clean ## Also remove the virtual environment and caches
	rm -rf $(VENV) $(AUDIT_VENV) .venv-903validator .pytest_cache .ruff_cache
	find src -name __pycache__ -type d -prune -exec rm -rf {} +

# --- The DfE's own 903 rules (csc-validator-be-903) run in their own environment under
# ~/.cache/reportgen/dfe-validator (it pins pandas < 2); `reportgen validate --dfe-rules` and 903
# reports make it on first use. AUTHORITY is whose return; VALIDATE_YEARS are collection years.
VALIDATE_YEARS ?= 2022-23:2024-25
VALIDATE_CODE   = $(if $(strip $(AUTHORITY)),$(AUTHORITY),Leicestershire)
VALIDATE_OUT    = $(if $(strip $(OUT)),$(OUT),out/synthetic-validate)

.PHONY: dfe-validator validate-synthetic

dfe-validator: $(STAMP) ## Make the DfE 903 validator's own environment now (else made on first use)
	$(BIN)/reportgen dfe-validator

validate-synthetic: $(STAMP) ## Synthetic returns for AUTHORITY, checked by reportgen and the DfE's 903 rules
	$(BIN)/reportgen synth --authority "$(VALIDATE_CODE)" --years $(VALIDATE_YEARS) --seed $(or $(SEED),0) --out $(VALIDATE_OUT)
	$(BIN)/reportgen validate $(VALIDATE_OUT) --dfe-rules --authority "$(VALIDATE_CODE)" --limit 20 --csv $(VALIDATE_OUT)/findings.csv
