# Everything a new user needs: `make demo` and `make test`. Only python3 and make required.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock | cksum | cut -d' ' -f1)

.PHONY: demo test lint record bench eval lock clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

demo: $(STAMP)  ## brief the seed article (offline engine unless OPENAI_API_KEY / OPENAI_BASE_URL is set)
	$(BIN)/briefer brief seeds/pakistan-taliban-warning.txt --format md

test: $(STAMP)  ## the whole test suite, no network
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check briefer tests benchmarks
	$(BIN)/ruff format --check briefer tests benchmarks

record: $(STAMP)  ## re-record cassettes/: short/long scenarios on OPENAI_API_KEY's endpoint if set, the rest (or all) on the local test server
	@test -n "$$OPENAI_API_KEY" || echo "make record: no OPENAI_API_KEY, so every cassette is recorded from the local test server" >&2
	$(BIN)/python -m pytest -q tests/test_openai_cassettes.py --record-mode=rewrite
	$(BIN)/python -m pytest -q tests/test_openai_cassettes.py tests/test_openai_spec.py

EVAL_DATA ?= ../shared/eval
eval: $(STAMP)  ## ROUGE of the offline engine vs Lead-3/LexRank/TextRank on the shared eval sets
	$(BIN)/briefer eval $(EVAL_DATA)/cnndm_dev.jsonl
	$(BIN)/briefer eval $(EVAL_DATA)/bbc_dev.jsonl

bench: $(STAMP)  ## every benchmark in benchmarks/, printing its figures
	$(BIN)/python benchmarks/bench_extractive.py
	$(BIN)/python benchmarks/bench_grounding.py
	$(BIN)/python benchmarks/bench_batch.py
	$(BIN)/python benchmarks/bench_service.py

lock:  ## refresh requirements.lock (exact versions CI installs) from the current .venv
	{ echo '# Exact versions `make demo` / `make test` install (pip constraints); pyproject.toml keeps lower bounds. Refresh: make lock'; \
	  $(BIN)/python -m pip freeze --exclude-editable | grep -v '^briefer'; } > requirements.lock

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis build dist
