"""Every list of choices, written once: the CLI, ``Settings``, the service and batch import these.

``typing.get_args`` lists a choice's values (``test_choices`` checks each user-facing surface
accepts exactly them), so adding an engine, a server kind or a route is an edit here.
"""

from typing import Literal

EngineName = Literal["openai", "extractive", "hybrid"]
EngineChoice = Literal["auto", EngineName]  # auto: see Settings.engine_name
ServerName = Literal["openai", "llama-cpp-python", "llama.cpp", "vllm", "ollama", "lmstudio", "generic"]
ServerChoice = Literal["auto", ServerName]  # auto: asked of the server (GET /models)
Route = Literal["live", "batch-api"]  # how a batch's requests travel: now, or OpenAI's Batch API
