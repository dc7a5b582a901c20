"""What the tests share that is not a test: local OpenAI-compatible and Batch API servers, the
service in a process, hostile inputs, and the cases several test modules read.

Imported as ``support.<module>``: pytest puts ``tests/`` on the path (tests/reliability/llm_process.py
and benchmarks/bench_batch_api.py put it there for the processes they start).
"""
