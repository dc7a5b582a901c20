"""How an LLM briefs an article, as sans-I/O steps over ``ChatRequest``/``ChatAnswer``.

One pass when the article fits the chunk budget; otherwise map-reduce (notes per chunk, merged
in neighbouring groups while they do not fit one request, then one Brief from the notes). Then one grounding-repair round: the items grounding flags go back
to the model with the article sentences nearest to them, and the answer is kept only if it
leaves fewer items flagged. Every engine over every transport runs these same steps.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace

from briefer.engines.base import EngineOutput
from briefer.engines.llm.chunking import chunk_text
from briefer.engines.llm.exchange import ContextOverflow, OutOfTime
from briefer.engines.llm.model_info import MIN_CHUNK, default_chunk_tokens
from briefer.engines.llm.notes import PartNotes, fits, joined, merge_groups
from briefer.engines.llm.repairs import InvalidAnswer
from briefer.engines.llm.structured import Ladder, Steps, Structured, in_turn, structured
from briefer.errors import EngineError
from briefer.models import Article, Brief, ChunkNotes
from briefer.prompts import Prompt, PromptRegistry, fence
from briefer.tokens import count_tokens

MAX_SHRINKS = 2


@dataclass(frozen=True)
class Plan:
    """Everything the steps need besides the article: prompts, budget, ladder, options."""

    ladder: Ladder
    brief: Prompt
    notes: Prompt
    combine: Prompt
    collapse: Prompt
    repair: Prompt
    chunk_tokens: int | None  # None: from the model's context window
    repair_grounding: bool
    statements: bool  # grounding (and so its repair round) also acts on the statement check's doubts
    fan_out: bool = False  # a long article's chunks asked together (the Batch API), not one by one

    @classmethod
    def load(cls, registry: PromptRegistry, prompt: str, **options: object) -> Plan:
        return cls(
            brief=registry.get(prompt),
            notes=registry.get("chunk_notes"),
            combine=registry.get("combine"),
            collapse=registry.get("collapse"),
            repair=registry.get("repair"),
            **options,  # type: ignore[arg-type]  # Plan's other fields; the dataclass checks the names
        )

    @property
    def prompts(self) -> list[Prompt]:
        return [self.brief, self.notes, self.combine, self.collapse, self.repair]

    def budget(self, window: int | None) -> int:
        """Article tokens per request: the user's ``--max-chunk-tokens``, else what the context allows."""
        return self.chunk_tokens or default_chunk_tokens(window)

    def needs_chunks(self, text: str, budget: int) -> bool:
        # Tokens never outnumber UTF-8 bytes: most articles skip the exact count.
        return len(text.encode()) > budget and count_tokens(text, self.ladder.model) > budget


def brief_steps(plan: Plan, article: Article, window: int | None) -> Steps[EngineOutput]:
    """The brief of ``article`` for a model reading ``window`` tokens (None: unknown).

    When the server says the prompt does not fit, the article is split into smaller chunks and
    tried again, at most ``MAX_SHRINKS`` times.
    """
    text = article.full_text
    budget = plan.budget(window)
    plan = with_window(plan, window)
    for shrinks in range(MAX_SHRINKS + 1):
        try:
            output = yield from _brief_once(plan, text, article.title, budget)
            break
        except ContextOverflow as exc:
            plan = with_window(plan, exc.window)
            smaller = min(budget // 2, default_chunk_tokens(exc.window) if exc.window else budget)
            if shrinks == MAX_SHRINKS or smaller < MIN_CHUNK:
                raise EngineError(
                    f"the article does not fit the model's context even in chunks of {budget} tokens ({exc}): "
                    "give the server a bigger context (llama-cpp-python: --n_ctx 4096) or use a stronger model"
                ) from exc
            budget = smaller
    if plan.repair_grounding:
        output = yield from _repair_grounding(plan, output, text)
    return output


def with_window(plan: Plan, window: int | None) -> Plan:
    """The plan with the model's window known to the ladder, which bounds answers by it."""
    return plan if window is None else replace(plan, ladder=replace(plan.ladder, window=window))


def _brief_once(plan: Plan, text: str, title: str | None, budget: int) -> Steps[EngineOutput]:
    if plan.needs_chunks(text, budget):
        return (yield from _map_reduce(plan, text, title, budget))
    result = yield from structured(plan.ladder, plan.brief, Brief, article=fence(text, "article"))
    return _output(plan, result, [plan.brief], chunks=1)


def _map_reduce(plan: Plan, text: str, title: str | None, budget: int) -> Steps[EngineOutput]:
    chunks = chunk_text(text, budget, model=plan.ladder.model)
    title_line = f' "{title.strip()}"' if title else ""
    notes = [
        structured(
            plan.ladder,
            plan.notes,
            ChunkNotes,
            step=f"chunk notes {chunk.index + 1}/{len(chunks)}",
            article=fence(chunk.text, "article_part"),
            index=str(chunk.index + 1),
            total=str(len(chunks)),
            title_line=title_line,
        )
        for chunk in chunks
    ]
    spent = yield from in_turn(notes, plan.fan_out)
    parts = [PartNotes.of(n, n, part.value) for n, part in enumerate(spent, 1)]  # type: ignore[arg-type]  # Structured.value is the ChunkNotes asked for
    used = [plan.notes]
    while not fits(parts, budget, plan.ladder.model):
        used[1:] = [plan.collapse]
        groups = merge_groups(parts, budget, plan.ladder.model)
        collapses = [
            structured(
                plan.ladder,
                plan.collapse,
                ChunkNotes,
                step=f"collapse notes {group[0].first}-{group[-1].last}",
                notes=fence(joined(group), "notes"),
                first=str(group[0].first),
                last=str(group[-1].last),
                title_line=title_line,
            )
            for group in groups
            if len(group) > 1
        ]
        collapsed = iter((yield from in_turn(collapses, plan.fan_out)))
        merged = []
        for group in groups:
            if len(group) == 1:
                merged.append(group[0])
                continue
            part = next(collapsed)
            spent.append(part)
            merged.append(PartNotes.of(group[0].first, group[-1].last, part.value))  # type: ignore[arg-type]  # Structured.value is the ChunkNotes asked for
        parts = merged if len(merged) > 1 else [merged[0].cut_to(budget, plan.ladder.model)]
    combined = yield from structured(
        plan.ladder,
        plan.combine,
        Brief,
        step="combine",
        notes=fence(joined(parts), "notes"),
        total=str(len(chunks)),
        title_line=title_line,
    )
    return _output(plan, combined.after(*spent), [*used, plan.combine], chunks=len(chunks))


def _repair_grounding(plan: Plan, output: EngineOutput, text: str) -> Steps[EngineOutput]:
    """One round: the flagged items, their problems and the nearest article sentences go back to the model.

    The answer is kept only if it leaves fewer items unsupported; provenance records the round either way.
    """
    from briefer.grounding import verify_brief

    report = verify_brief(output.brief, text, statements=plan.statements)
    flagged = report.flagged()
    if not flagged:
        return replace(output, grounding=report)
    problems = "\n".join(
        f"- {item.field}[{item.index}]: {item.text!r}: {'; '.join(item.problems) or 'not backed by the article'}"
        for item in flagged
    )
    spans = sorted({(s.start, s.end) for item in flagged for s in item.support})
    evidence = "\n".join(text[start:end] for start, end in spans) or text
    try:
        fixed = yield from structured(
            plan.ladder,
            plan.repair,
            Brief,
            step="grounding repair",
            optional=True,
            brief=fence(output.brief.model_dump_json(indent=1), "brief"),
            problems=fence(problems, "problems"),
            evidence=fence(evidence, "evidence"),
        )
    except (ContextOverflow, OutOfTime, InvalidAnswer) as exc:
        note = f"{_unrepaired(exc)}; the brief is the one before it"
        asked = int(isinstance(exc, InvalidAnswer))  # provenance records a round that was asked
        return replace(output, grounding=report, warnings=[*output.warnings, note], grounding_repairs=asked)
    second = verify_brief(fixed.value, text, statements=plan.statements)  # type: ignore[arg-type]  # Structured.value is the Brief asked for
    better = len(second.flagged()) < len(flagged)
    prompts = [*output.prompt.split("+"), plan.repair.ref] if output.prompt else [plan.repair.ref]
    return replace(
        output,
        brief=fixed.value if better else output.brief,  # type: ignore[arg-type]  # the Brief asked for
        grounding=second if better else report,
        prompt="+".join(prompts),
        prompt_sha256=combined_hash([*output.prompts_used, plan.repair]),
        repairs=output.repairs + fixed.repairs,
        warnings=list(dict.fromkeys([*output.warnings, *fixed.warnings])),
        grounding_repairs=1,
    )


def _unrepaired(exc: ContextOverflow | OutOfTime | InvalidAnswer) -> str:
    """Why a grounding repair left the brief as it was: it could not be asked, or nothing it answered validates."""
    if isinstance(exc, InvalidAnswer):
        return f"the grounding repair's answer was not kept ({exc})"
    why = "no time was left for it" if isinstance(exc, OutOfTime) else f"it does not fit the context: {exc}"
    return f"the grounding repair was not asked ({why})"


def _output(plan: Plan, result: Structured, prompts: list[Prompt], chunks: int) -> EngineOutput:
    """Provenance records every prompt used; the hash covers all of them in order."""
    return EngineOutput(
        brief=result.value,  # type: ignore[arg-type]  # Structured.value is the Brief asked for
        model=plan.ladder.model,
        prompt="+".join(p.ref for p in prompts),
        prompt_sha256=combined_hash(prompts),
        prompts_used=prompts,
        chunks=chunks,
        structured_output=result.mode,
        repairs=result.repairs,
        warnings=list(result.warnings),
    )


def combined_hash(prompts: list[Prompt]) -> str:
    """One prompt's file hash, or a hash over every prompt used, in order."""
    if len(prompts) == 1:
        return prompts[0].sha256
    return hashlib.sha256("\n".join(f"{p.ref} {p.sha256}" for p in prompts).encode()).hexdigest()
