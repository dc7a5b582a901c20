"""Briefs as Markdown (the seed's "Key Takeaways" block first), plain text or JSON."""

from __future__ import annotations

from typing import Literal

from briefer.models import Brief, BriefResult, Provenance

OutputFormat = Literal["md", "json", "text"]


def _dateline(brief: Brief) -> str:
    d = brief.dateline
    return " · ".join(part for part in (d.place, d.date, d.outlet) if part)


def _provenance_line(p: Provenance) -> str:
    parts = [f"engine {p.engine}", f"model {p.model}"]
    if p.prompt:
        parts.append(f"prompt {p.prompt}")
    if p.chunks > 1:
        parts.append(f"{p.chunks} chunks")
    if p.usage.requests:
        parts.append(
            f"{p.usage.prompt_tokens}+{p.usage.completion_tokens} tokens in {p.usage.requests} request(s)"
        )
    if p.cost_usd is not None and p.engine != "extractive":
        parts.append(f"${p.cost_usd:.4f}")
    parts += [
        f"{p.elapsed_s * 1000:.0f} ms",
        f"input sha256 {p.input_sha256[:12]}",
        f"briefer {p.briefer_version}",
    ]
    return " · ".join(parts)


def to_markdown(result: BriefResult) -> str:
    b = result.brief
    lines = [f"# {b.headline}", "", "## Key Takeaways", *[f"- {t}" for t in b.key_takeaways], ""]
    if dateline := _dateline(b):
        lines += [f"**{dateline}**", ""]
    lines += [b.summary, ""]
    if b.entities:
        lines += ["## Who's who", *[f"- **{e.name}** ({e.kind}): {e.role}" for e in b.entities], ""]
    if b.quotes:
        lines += ["## Quotes", *[f'> "{q.text}"\n> — {q.speaker}\n' for q in b.quotes]]
    if b.sources:
        lines += ["## Sources", *[f"- {s}" for s in b.sources], ""]
    if b.what_to_watch:
        lines += ["## What to watch", *[f"- {w}" for w in b.what_to_watch], ""]
    if b.topics:
        lines += [f"**Topics:** {', '.join(b.topics)}", ""]
    lines += ["---", f"_{_provenance_line(result.provenance)}_"]
    return "\n".join(lines) + "\n"


def to_text(result: BriefResult) -> str:
    b = result.brief
    lines = [b.headline.upper(), ""]
    if dateline := _dateline(b):
        lines += [dateline, ""]
    lines += ["KEY TAKEAWAYS", *[f"* {t}" for t in b.key_takeaways], "", b.summary, ""]
    if b.entities:
        lines += ["WHO'S WHO", *[f"* {e.name} ({e.kind}): {e.role}" for e in b.entities], ""]
    if b.quotes:
        lines += ["QUOTES", *[f'* {q.speaker}: "{q.text}"' for q in b.quotes], ""]
    if b.sources:
        lines += ["SOURCES: " + "; ".join(b.sources), ""]
    if b.what_to_watch:
        lines += ["WHAT TO WATCH", *[f"* {w}" for w in b.what_to_watch], ""]
    if b.topics:
        lines += ["TOPICS: " + ", ".join(b.topics), ""]
    lines.append(_provenance_line(result.provenance))
    return "\n".join(lines) + "\n"


def to_json(result: BriefResult) -> str:
    return result.model_dump_json(indent=2) + "\n"


def render(result: BriefResult, fmt: OutputFormat) -> str:
    return {"md": to_markdown, "json": to_json, "text": to_text}[fmt](result)
