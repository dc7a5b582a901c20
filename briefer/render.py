"""Briefs as Markdown (the seed's "Key Takeaways" block first), plain text or JSON.

Items the grounding check could not back with the article carry a visible ⚠ and the reason,
so an editor sees at a glance what to check.

Article and model text is untrusted: in Markdown and text every item stays on its own line and
control characters are shown, never obeyed (an ESC[2J would clear the editor's terminal, an OSC 8
sequence would hide a link behind harmless words); JSON escapes them as JSON does.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel

from briefer.models import Brief, BriefResult, GroundingReport, ItemCheck, Provenance
from briefer.text.lines import flatten_lines

OutputFormat = Literal["md", "json", "text"]
WARN = "⚠"


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
    if p.cost_usd is not None and p.usage.requests:  # engines that send no requests cost nothing
        parts.append(f"${p.cost_usd:.4f}")
    parts += [
        f"{p.elapsed_s * 1000:.0f} ms",
        f"input sha256 {p.input_sha256[:12]}",
        f"briefer {p.briefer_version}",
    ]
    return " · ".join(parts)


# C0 controls but tab and line feed, DEL, and the C1 controls (U+0080-U+009F, CSI among them).
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_C1 = re.compile(r"[\x7f-\x9f]")


def _picture(match: re.Match[str]) -> str:
    """ESC as ␛, NUL as ␀ (Unicode's control pictures); C1 controls, which have none, as �."""
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)
    return "\u2421" if code == 0x7F else "\ufffd"


def visible(text: str) -> str:
    """``text`` with every control character a terminal would act on made visible instead."""
    return _CONTROLS.sub(_picture, text)


class _Flags:
    """Lookup of the grounding verdicts by (field, index); reasons quote model text, so ``escape``."""

    def __init__(self, report: GroundingReport | None, escape: Callable[[str], str]) -> None:
        self.report = report
        self.escape = escape
        self.items: dict[tuple[str, int], ItemCheck] = {}
        if report is not None:
            self.items = {(item.field, item.index): item for item in report.flagged()}

    def mark(self, field: str, index: int) -> str:
        """`` ⚠ reason`` for a flagged item, else nothing."""
        item = self.items.get((field, index))
        if item is None:
            return ""
        reason = "; ".join(item.problems) or ", ".join(item.unsupported_terms) or "not backed by the article"
        return f" {WARN} {self.escape(reason)}"

    def of_field(self, field: str) -> list[ItemCheck]:
        return [item for (name, _), item in sorted(self.items.items()) if name == field]

    def verdict(self) -> str:
        if self.report is None:
            return "grounding: not checked"
        if self.report.ok:
            return f"grounding: every item backed by the article (score {self.report.score:.2f})"
        return f"grounding: {WARN} {len(self.items)} item(s) need checking (score {self.report.score:.2f})"


_MARKDOWN_ACTIVE = re.compile(r"([\\`*_\[\]<>#|!~])")


def md_escape(text: str) -> str:
    """Model and article text as Markdown that shows it, never acts on it: no link, image, HTML or
    heading can come out of a brief pasted into a CMS. Line breaks become spaces (no new blocks)."""
    return _MARKDOWN_ACTIVE.sub(r"\\\1", flatten_lines(text))


def to_markdown(result: BriefResult) -> str:
    b, flags = result.brief, _Flags(result.grounding, md_escape)
    lines = [f"# {md_escape(b.headline)}{flags.mark('headline', 0)}", "", "## Key Takeaways"]
    lines += [f"- {md_escape(t)}{flags.mark('key_takeaways', i)}" for i, t in enumerate(b.key_takeaways)]
    lines.append("")
    if dateline := _dateline(b):
        lines += [f"**{md_escape(dateline)}**{flags.mark('dateline', 0)}", ""]
    lines += [md_escape(b.summary), ""]
    lines += [
        f"> {WARN} summary: “{md_escape(item.text)}”{flags.mark('summary', item.index)}"
        for item in flags.of_field("summary")
    ]
    if flags.of_field("summary"):
        lines.append("")
    if b.entities:
        lines += ["## Who's who"]
        lines += [
            f"- **{md_escape(e.name)}** ({e.kind}): {md_escape(e.role)}{flags.mark('entities', i)}"
            for i, e in enumerate(b.entities)
        ]
        lines.append("")
    if b.quotes:
        lines.append("## Quotes")
        for i, q in enumerate(b.quotes):
            lines += [f'> "{md_escape(q.text)}"', f"> — {md_escape(q.speaker)}{flags.mark('quotes', i)}", ""]
    if b.sources:
        lines += [
            "## Sources",
            *[f"- {md_escape(s)}{flags.mark('sources', i)}" for i, s in enumerate(b.sources)],
            "",
        ]
    if b.what_to_watch:
        lines += ["## What to watch"]
        lines += [f"- {md_escape(w)}{flags.mark('what_to_watch', i)}" for i, w in enumerate(b.what_to_watch)]
        lines.append("")
    if b.topics:
        lines += [f"**Topics:** {md_escape(', '.join(b.topics))}", ""]
    provenance = md_escape(_provenance_line(result.provenance))
    lines += ["---", f"_{flags.verdict()}_  ", f"_{provenance}_"]
    return visible("\n".join(lines) + "\n")


def to_text(result: BriefResult) -> str:
    b, flags, o = result.brief, _Flags(result.grounding, flatten_lines), flatten_lines
    lines = [o(b.headline).upper() + flags.mark("headline", 0), ""]
    if dateline := _dateline(b):
        lines += [o(dateline) + flags.mark("dateline", 0), ""]
    lines += [
        "KEY TAKEAWAYS",
        *[f"* {o(t)}{flags.mark('key_takeaways', i)}" for i, t in enumerate(b.key_takeaways)],
    ]
    lines += [
        "",
        o(b.summary),
        *[
            f"{WARN} summary: {o(item.text)}{flags.mark('summary', item.index)}"
            for item in flags.of_field("summary")
        ],
        "",
    ]
    if b.entities:
        lines += [
            "WHO'S WHO",
            *[
                f"* {o(e.name)} ({e.kind}): {o(e.role)}{flags.mark('entities', i)}"
                for i, e in enumerate(b.entities)
            ],
            "",
        ]
    if b.quotes:
        lines += [
            "QUOTES",
            *[f'* {o(q.speaker)}: "{o(q.text)}"{flags.mark("quotes", i)}' for i, q in enumerate(b.quotes)],
            "",
        ]
    if b.sources:
        lines += ["SOURCES", *[f"* {o(s)}{flags.mark('sources', i)}" for i, s in enumerate(b.sources)], ""]
    if b.what_to_watch:
        lines += [
            "WHAT TO WATCH",
            *[f"* {o(w)}{flags.mark('what_to_watch', i)}" for i, w in enumerate(b.what_to_watch)],
            "",
        ]
    if b.topics:
        lines += ["TOPICS: " + o(", ".join(b.topics)), ""]
    lines += [flags.verdict(), o(_provenance_line(result.provenance))]
    return visible("\n".join(lines) + "\n")


def exact_json(model: BaseModel) -> str:
    """``model`` as indented JSON with DEL and the C1 controls, which JSON may leave raw, escaped:
    the same strings, and nothing a terminal would act on (JSON escapes C0 controls itself)."""
    return _C1.sub(lambda m: f"\\u{ord(m.group()):04x}", model.model_dump_json(indent=2))


def to_json(result: BriefResult) -> str:
    return exact_json(result) + "\n"


def render(result: BriefResult, fmt: OutputFormat) -> str:
    return {"md": to_markdown, "json": to_json, "text": to_text}[fmt](result)
