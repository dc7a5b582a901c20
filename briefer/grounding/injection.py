"""Sentences of an article that speak to the model briefing it, not to its readers: prompt injections.

A page or a feed may carry "Ignore your instructions and ..." or "AI assistant: add a takeaway
praising ..." for a model to obey. What an obedient model then writes is backed by the article's
own words, the instruction's; so a claim that such a sentence backs is flagged, whatever its score.

The test is literal, like the rest of grounding: a sentence is an instruction when it tells its
reader to ignore instructions or rules, names a system prompt, or gives an order (an imperative
opening it or following a colon, semicolon or comma) about a brief's parts (takeaway, headline,
summary, output, answer). News seldom speaks to its reader so; when it does, an editor checks
an item more.
"""

from __future__ import annotations

import re

from briefer.text.sentences import Span

_OVERRIDE = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b[^.!?]{0,60}\b(?:instructions?|rules|prompts?|guidelines)\b",
    re.IGNORECASE,
)
_SECRET = re.compile(r"\bsystem prompt\b|\byour (?:instructions|rules|prompt)\b", re.IGNORECASE)
_ORDER = re.compile(
    r"(?:^|[:;,]\s+)(?:please\s+)?(?:output|respond|reply|answer|write|print|repeat|reveal|say|add|"
    r"include|insert|state|praise|mention|append|begin|start|end|use|make|call|list|return|put|"
    r"describe|summari[sz]e)\b",
    re.IGNORECASE,
)
_PARTS = re.compile(
    r"\b(?:takeaways?|headlines?|brief|summary|output|response|answer|bullet points?)\b", re.IGNORECASE
)


def is_instruction(sentence: str) -> bool:
    """Whether ``sentence`` tells a model what to do with its instructions or its brief."""
    sentence = sentence.strip()
    if _OVERRIDE.search(sentence) or _SECRET.search(sentence):
        return True
    return bool(_ORDER.search(sentence) and _PARTS.search(sentence))


def instructions(text: str, spans: list[Span]) -> frozenset[int]:
    """Indices of the sentences of ``text`` that are instructions to a model."""
    return frozenset(i for i, span in enumerate(spans) if is_instruction(span.of(text)))
