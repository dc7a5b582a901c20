"""What goes over the wire: requests a client sends and the bodies the service answers with.

Request models reject unknown keys (``StrictModel``), so a misspelt option is a 422, not ignored.
"""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from briefer.choices import EngineName
from briefer.models import Brief, StrictModel


class BriefOptions(StrictModel):
    """Per-request settings a client may choose: none of them reach the filesystem or other servers."""

    model_config = ConfigDict(extra="forbid", frozen=True)  # hashable: engines are cached per options

    engine: EngineName | None = None
    model: str | None = Field(default=None, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:/@+-]*$")
    prompt: str | None = Field(
        default=None, max_length=64, pattern=r"^[a-z0-9_-]+(@[0-9]+)?$", description="NAME or NAME@VERSION."
    )
    max_chunk_tokens: int | None = Field(default=None, gt=200, le=1_000_000)
    statements: bool | None = Field(
        default=None,
        description="Ground the brief with the statement check too (as `briefer brief --statements`): "
        "claims it doubts are flagged with their reasons. Default: the server's (BRIEFER_STATEMENTS), off.",
    )


class ArticleIn(StrictModel):
    """One article: exactly one of ``text``, ``html`` or ``url`` (the last only with --allow-url-fetch)."""

    text: str | None = Field(default=None, description="The article as plain text.")
    html: str | None = Field(default=None, description="A web page; its main text is extracted.")
    url: str | None = Field(
        default=None,
        max_length=2048,
        description="An http(s) page to fetch (servers started with --allow-url-fetch).",
    )
    title: str | None = Field(default=None, max_length=1000)
    id: str | None = Field(default=None, max_length=256, description="Echoed back on the result.")

    @model_validator(mode="after")
    def _one_source(self) -> "ArticleIn":
        given = [name for name in ("text", "html", "url") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError(f"give exactly one of text, html or url (got {', '.join(given) or 'none'})")
        return self


class BriefRequest(ArticleIn):
    options: BriefOptions | None = None


class ErrorDetail(BaseModel):
    type: str
    message: str


class ErrorBody(BaseModel):
    error: ErrorDetail


class Health(BaseModel):
    status: Literal["ok"] = "ok"
    engine: str
    model: str
    version: str
    warnings: list[str] = Field(
        default_factory=list,
        description="Trouble the server works around, e.g. a cache it switched off after a failure.",
    )


class VerifyRequest(StrictModel):
    """A brief (edited by a person, or from any other tool) and the article to check it against."""

    brief: Brief
    article: ArticleIn
    statements: bool = Field(
        default=False,
        description="Also flag claims the statement check doubts (their words are in the article, "
        "but no sentence of it says them together), each with its reason: it catches more wrong "
        "claims, and flags more right ones.",
    )


class RecentBrief(BaseModel):
    """One line of the desk's list of recent briefs; the whole brief is ``GET /v1/briefs/{input_sha256}``."""

    input_sha256: str
    headline: str
    engine: str
    model: str
    created_at: datetime
    flagged: int = Field(description="Items grounding could not back with the article.")


class ServiceOptions(BaseModel):
    """What a client may choose on this server (the desk builds its form from it)."""

    engine: str = Field(description="The engine briefs use when a request names none.")
    model: str
    prompt: str
    engines: list[str] = Field(description="Engines a request may name here (those this server can run).")
    prompts: list[str] = Field(description="Versions of the brief prompt a request may name.")
    allow_url_fetch: bool
    max_body_bytes: int
    statements: bool = Field(
        description="Whether a brief request that does not say gets the statement check (BRIEFER_STATEMENTS)."
    )
