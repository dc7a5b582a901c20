"""The data briefer produces and consumes.

Field descriptions are written for the LLM: they become the JSON Schema sent as the
structured-output format, so they are instructions as much as documentation.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, computed_field, field_validator

MIN_TAKEAWAYS = 1
MAX_TAKEAWAYS = 7
MAX_TAKEAWAY_CHARS = 400
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def valid_unicode(text: str) -> str:
    """Lone surrogates (JSON's ``"\\ud800"`` decodes to one) as U+FFFD: UTF-8 cannot encode them,
    so one in an article or a brief would fail its hash, its cache entry and every write."""
    return _LONE_SURROGATE.sub("\ufffd", text)


Text = Annotated[str, AfterValidator(valid_unicode)]  # a string from outside: articles, models, feeds


def _short_single_line(text: str) -> str:
    """Checked item by item, so an error names one takeaway and salvage can drop just that one."""
    text = text.strip()
    if not text:
        raise ValueError("is empty")
    if "\n" in text:
        raise ValueError("spans several lines; write one sentence")
    if len(text) > MAX_TAKEAWAY_CHARS:
        raise ValueError(f"is {len(text)} characters; keep each under {MAX_TAKEAWAY_CHARS}")
    return text


Takeaway = Annotated[Text, AfterValidator(_short_single_line)]


class StrictModel(BaseModel):
    """Reject unknown keys: a model (or an HTTP client) inventing fields has misread the schema."""

    model_config = ConfigDict(extra="forbid")


class Dateline(StrictModel):
    place: Text | None = Field(
        description="Where the story was filed, as the dateline or first sentence gives it "
        "(e.g. 'Islamabad'). null if the article does not say."
    )
    date: Text | None = Field(
        description="Date of the story as ISO 8601 (YYYY-MM-DD) when the article gives a full date; "
        "as written (e.g. 'Oct 29') when it gives no year; null if it gives none."
    )
    outlet: Text | None = Field(
        description="The news outlet or agency that published or filed the story "
        "(e.g. 'NationPress', 'CNN'). null if not stated."
    )


class Entity(StrictModel):
    name: Text = Field(description="Name exactly as the article spells it.")
    kind: Literal["person", "organisation", "place", "event", "work"] = Field(
        description="What the name refers to; event: a named event, competition or war ('Boston Marathon', "
        "'World Cup'); work: the title of a film, show, song, book or game ('Game of Thrones')."
    )
    role: Text = Field(
        description="Their role in this story, in a few words (e.g. 'Pakistan's Defence Minister')."
    )


class Quote(StrictModel):
    speaker: Text = Field(description="Who said it, as named in the article.")
    text: Text = Field(
        description="The quoted words copied verbatim from the article, without the surrounding quote marks. "
        "Never paraphrase, never join separate quotes."
    )


class Brief(StrictModel):
    """A structured brief of one news article."""

    headline: Text = Field(description="A factual headline for the brief, at most 15 words.")
    dateline: Dateline = Field(description="Place, date and outlet of the story.")
    summary: Text = Field(
        description="One paragraph (2-4 sentences) saying what happened, who, where and why it matters."
    )
    key_takeaways: list[Takeaway] = Field(
        min_length=MIN_TAKEAWAYS,
        max_length=MAX_TAKEAWAYS,
        description="3 to 7 key takeaways (fewer only when the article is very short), most important first. "
        "Each is one short sentence stating a fact from the article.",
    )
    entities: list[Entity] = Field(
        description="The people, organisations, places, events and works that matter to the story, with their roles."
    )
    quotes: list[Quote] = Field(
        description="The most important direct quotes in the article, verbatim, with speakers."
    )
    sources: list[Text] = Field(
        description="Outlets, agencies and documents the article cites as its sources (e.g. 'Geo News', 'Reuters'). "
        "Not the people quoted."
    )
    what_to_watch: list[Text] = Field(
        description="Developments the article says are expected or pending, one short sentence each. Empty if none."
    )
    topics: list[Text] = Field(
        description="3 to 6 short topic labels, lower case (e.g. 'pakistan', 'security')."
    )

    @field_validator("topics")
    @classmethod
    def _topics_in_lower_case(cls, topics: list[str]) -> list[str]:
        """Models capitalise labels though asked not to: 'Pakistan' and 'pakistan' are one topic."""
        return list(dict.fromkeys(t.strip().lower() for t in topics if t.strip()))

    @field_validator("headline", "summary")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty")
        return value.strip()


def _no_dateline() -> Dateline:
    return Dateline(place=None, date=None, outlet=None)


class PartialBrief(Brief):
    """A brief written in part (a headline and takeaways, say), to verify: a missing field is empty,
    and grounding checks what is there."""

    headline: Text = ""
    dateline: Dateline = Field(default_factory=_no_dateline)
    summary: Text = ""
    key_takeaways: list[Takeaway] = Field(default_factory=list, max_length=MAX_TAKEAWAYS)
    entities: list[Entity] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    sources: list[Text] = Field(default_factory=list)
    what_to_watch: list[Text] = Field(default_factory=list)
    topics: list[Text] = Field(default_factory=list)

    @field_validator("headline", "summary")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        return value.strip()


class ChunkNotes(StrictModel):
    """What the model extracts from one chunk of a long article (the map step)."""

    facts: list[Text] = Field(
        description="The important facts in this part of the article, one short sentence each."
    )
    entities: list[Entity] = Field(
        description="People, organisations, places, events and works in this part, with their roles."
    )
    quotes: list[Quote] = Field(description="Direct quotes in this part, verbatim, with speakers.")
    sources: list[Text] = Field(description="Outlets, agencies and documents cited as sources in this part.")
    dateline: Dateline | None = Field(description="The dateline if this part contains it, else null.")


class DraftTakeaway(StrictModel):
    text: Takeaway = Field(description="One short standalone sentence stating a fact from the evidence.")
    evidence: list[int] = Field(
        min_length=1, description="Numbers of the evidence sentences this takeaway rests on, e.g. [1, 3]."
    )


class Draft(StrictModel):
    """What the hybrid engine's model writes from extracted evidence; the rest of the Brief is extracted."""

    headline: Text = Field(description="A factual headline, at most 15 words.")
    summary: Text = Field(
        description="One paragraph (2-4 sentences) saying what happened, who, where and why."
    )
    key_takeaways: list[DraftTakeaway] = Field(
        min_length=MIN_TAKEAWAYS,
        max_length=MAX_TAKEAWAYS,
        description="3 to 5 key takeaways, most important first, each with the evidence it rests on.",
    )
    what_to_watch: list[Text] = Field(
        description="Developments the evidence says are expected or pending, one short sentence each. Empty if none."
    )


class Failure(BaseModel):
    """An article that could not be briefed, and why (batch and eval reports)."""

    id: str
    reason: str
    origin: str | None = Field(default=None, description="Where the article came from: a file, a feed line.")
    raw_answer: str | None = Field(
        default=None, description="What the model said when its answer could not be used, so nothing is lost."
    )


class Usage(BaseModel):
    prompt_tokens: int = 0
    completion_tokens: int = 0
    requests: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            requests=self.requests + other.requests,
        )


class Provenance(BaseModel):
    """Everything needed to reproduce or audit a brief."""

    engine: str = Field(description="openai, extractive, or the name of a user's engine (function).")
    model: str
    prompt: str | None = Field(description="name@version of the prompt used; null for the extractive engine.")
    prompt_sha256: str | None
    input_sha256: str
    structured_output: str | None = Field(
        default=None, description="How the LLM was asked for JSON: json_schema, json_object or text."
    )
    repairs: int = Field(default=0, description="Validation-repair rounds the LLM needed.")
    grounding_repairs: int = Field(
        default=0, description="Rounds in which the LLM was asked to fix items the grounding check flagged."
    )
    usage: Usage = Field(default_factory=Usage)
    cost_usd: float | None = Field(
        default=None, description="From genai-prices; null when the model's price is unknown."
    )
    chunks: int = 1
    warnings: list[str] = Field(
        default_factory=list,
        description="What the reader should know about how the brief was made (e.g. the server cut the prompt).",
    )
    extracted: list[str] = Field(
        default_factory=list,
        description="Fields the hybrid engine took from extraction because the model's did not hold up "
        "(e.g. 'headline', 'key_takeaways[2]' for the model's third takeaway, 'key_takeaways' when "
        "extracted bullets filled a list the model left short).",
    )
    elapsed_s: float
    briefer_version: str
    created_at: datetime


class SupportSpan(BaseModel):
    """Where in the article an item is backed: a sentence index and its character offsets."""

    sentence: int = Field(description="Index of the article sentence (as briefer.grounding segments it).")
    start: int = Field(description="Offset of the first character in the original article text.")
    end: int = Field(description="Offset just past the last character in the original article text.")
    score: float = Field(description="How much of the item this span backs, 0..1.")


class ItemCheck(BaseModel):
    """The verdict on one checked item of a brief (a claim, a quote, a name)."""

    field: Literal[
        "headline", "dateline", "summary", "key_takeaways", "what_to_watch", "quotes", "entities", "sources"
    ]
    index: int = Field(description="Position in its field (for summary: the summary's sentence).")
    text: str
    supported: bool
    score: float = Field(description="0..1: how well the article backs the item.")
    support: list[SupportSpan] = Field(default_factory=list)
    unsupported_terms: list[str] = Field(
        default_factory=list, description="Numbers, dates, names or quoted words absent from the article."
    )
    problems: list[str] = Field(default_factory=list, description="One line per problem found.")
    risk: float | None = Field(
        default=None,
        description="Claims only, 0..1: the calibrated chance people would judge it wrong (grounding.statement).",
    )


class QuoteCheck(ItemCheck):
    """A quote's verdict: found verbatim (typography aside) and attributed to someone named nearby."""

    speaker: str
    found: bool
    start: int | None = Field(default=None, description="Offset of the match in the original article text.")
    end: int | None = None
    speaker_near: bool = Field(description="The speaker is named in or next to the quoted passage.")


class GroundingReport(BaseModel):
    """How far a brief is backed by its article; ``ok`` only when every item is."""

    ok: bool
    score: float = Field(description="Share of checked items that are supported, 0..1.")
    claims: list[ItemCheck] = Field(default_factory=list)
    quotes: list[QuoteCheck] = Field(default_factory=list)
    names: list[ItemCheck] = Field(default_factory=list)
    fields_checked: list[str] = Field(
        default_factory=list,
        description="The brief's fields that had something to check (empty ones are left out).",
    )

    def flagged(self) -> list[ItemCheck]:
        """The unsupported items, claims first: what an editor or a repair round must look at."""
        return [item for item in (*self.claims, *self.quotes, *self.names) if not item.supported]


class BriefResult(BaseModel):
    """A brief with its provenance and (once verified) its grounding report."""

    id: str | None = None
    brief: Brief
    provenance: Provenance
    grounding: GroundingReport | None = None


class Article(BaseModel):
    """An article as loaded from a source: untrusted text plus what we know about where it came from."""

    text: Text
    title: Text | None = None
    source: Text | None = Field(default=None, description="Path, URL or '-' for stdin.")
    published: Text | None = Field(
        default=None, description="Publication date from the page's metadata (ISO 8601), when it gives one."
    )
    site: Text | None = Field(
        default=None, description="Site name from the page's metadata, when it gives one."
    )

    def page_metadata(self) -> dict[str, str]:
        """What the page's metadata adds to the text (published date, site name): a dateline's
        date and outlet when the text does not give them."""
        return {k: v for k, v in (("published", self.published), ("site", self.site)) if v}

    @computed_field  # type: ignore[prop-decorator]  # mypy cannot stack a decorator on a property
    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def full_text(self) -> str:
        """The text with its title on top (unless the text already starts with it): what engines read."""
        if self.title and self.title.strip() not in self.text[:500]:
            return f"{self.title.strip()}\n\n{self.text}"
        return self.text
