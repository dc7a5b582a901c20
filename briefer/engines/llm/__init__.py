"""The LLM engine, provider-neutral: steps over a request/answer pair, one transport per provider.

``exchange`` (the neutral pair) · ``structured`` (the output ladder and validation repairs) ·
``steps`` (one pass, map-reduce, grounding repair) · ``engine`` (drives the steps over a
transport) · ``openai`` (chat completions through the SDK) · ``servers`` (what each kind of
OpenAI-compatible server wants) · ``model_info`` (context windows from genai-prices).
"""
