"""A minimal OpenAI-compatible chat-completions server for benchmarks: fixed latency, canned brief.

It answers every ``POST /v1/chat/completions`` after ``latency`` seconds with a valid Brief (the
content is ours, not a model's) in OpenAI's wire format, and logs the arrival time of each request
so a benchmark can check that no 60-second window held more requests than the limit.
Run alone: ``python benchmarks/latency_server.py --latency 0.2 --port 8089``.
"""

from __future__ import annotations

import argparse
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BRIEF = {
    "headline": "Benchmark brief",
    "dateline": {"place": None, "date": None, "outlet": None},
    "summary": "A canned brief returned by the benchmark server.",
    "key_takeaways": [
        "The benchmark server answered.",
        "It waited a fixed latency.",
        "It logged the request.",
    ],
    "entities": [],
    "quotes": [],
    "sources": [],
    "what_to_watch": [],
    "topics": ["benchmark"],
}
CONTENT = json.dumps(BRIEF)


class LatencyServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256

    def __init__(self, latency: float, port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.latency = latency
        self.arrivals: list[float] = []
        self._lock = threading.Lock()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"

    def max_in_window(self, window_s: float = 60.0) -> int:
        """The most requests that arrived in any window of ``window_s`` seconds."""
        times, best, start = sorted(self.arrivals), 0, 0
        for end, t in enumerate(times):
            while t - times[start] >= window_s:
                start += 1
            best = max(best, end - start + 1)
        return best

    def __enter__(self) -> LatencyServer:
        threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: LatencyServer

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", 0)))
        with self.server._lock:
            self.server.arrivals.append(time.monotonic())
        time.sleep(self.server.latency)
        body = json.dumps(
            {
                "id": f"chatcmpl-bench{len(self.server.arrivals)}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": "gpt-4o-mini",
                "choices": [
                    {
                        "index": 0,
                        "message": {
                            "role": "assistant",
                            "content": CONTENT,
                            "refusal": None,
                            "annotations": [],
                        },
                        "logprobs": None,
                        "finish_reason": "stop",
                    }
                ],
                "usage": {"prompt_tokens": 700, "completion_tokens": 120, "total_tokens": 820},
                "system_fingerprint": "fp_bench",
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--port", type=int, default=8089)
    args = parser.parse_args()
    with LatencyServer(args.latency, args.port) as server:
        print(f"serving {server.base_url} with {args.latency:g} s latency; Ctrl-C to stop")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
