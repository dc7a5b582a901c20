"""Getting articles: ``articles`` (bytes, text, HTML, files, stdin, URLs into one checked
``Article``), ``decode`` (bytes into text, under the size cap), ``fetch`` (the one SSRF-safe URL fetcher, sync and async) and ``inputs`` (what a
batch reads: files, directories, globs, JSONL feeds, stdin).

Not called ``sources``: in briefer that word means ``Brief.sources``, the outlets an article cites.
"""
