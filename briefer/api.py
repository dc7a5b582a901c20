"""The embeddable API: one ``Briefer`` configured once, used for one article or a stream of them.

>>> from briefer import Briefer
>>> briefer = Briefer(engine="extractive")
>>> result = briefer.brief(open("seeds/pakistan-taliban-warning.txt").read())
>>> result.provenance.engine
'extractive'
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefer.cache import BriefCache
from briefer.config import Settings
from briefer.deprecation import deprecated_alias
from briefer.engines import Engine, make_engine
from briefer.errors import BrieferError
from briefer.loading.articles import check_article_text
from briefer.models import Article, Brief, BriefResult, PartialBrief
from briefer.pipeline import abrief_cached, brief_cached

if TYPE_CHECKING:
    from briefer.batch import BatchReport
    from briefer.grounding import GroundingReport
    from briefer.loading.inputs import BatchItem

Source = str | Article
Item = Source | tuple[str, Source]  # (id, text or article) to get the id back on the result


def _as_article(source: Source) -> Article:
    article = source if isinstance(source, Article) else Article(text=source)
    check_article_text(article.text, article.source or "text")
    return article


def _split(item: Item) -> tuple[str | None, Source]:
    return item if isinstance(item, tuple) else (None, item)


class Briefer:
    """Briefs articles with fixed settings; thread-safe.

    ``engine``: ``auto``, ``openai``, ``extractive``, or an ``Engine`` instance (such as a
    ``FunctionEngine`` in your tests). ``cache``: ``True`` for the default cache file, a path for
    another one, ``False`` for none. Other keyword arguments are ``Settings`` fields
    (``max_chunk_tokens``, ``timeout_s``, ``rpm``, ``statements``, ...); they make the engine, so
    an ``Engine`` instance takes its own.
    """

    def __init__(
        self,
        engine: str | Engine = "auto",
        model: str | None = None,
        base_url: str | None = None,
        prompt: str | None = None,
        cache: bool | str | Path = False,
        **options: Any,
    ) -> None:
        named = engine if isinstance(engine, str) else None
        self.settings = Settings.from_env(
            engine=named, model=model, base_url=base_url, prompt=prompt, **options
        )
        self.engine: Engine = make_engine(self.settings) if isinstance(engine, str) else engine
        self._cache_path = None if cache is False else (None if cache is True else Path(cache))
        self._use_cache = cache is not False
        self._local = threading.local()  # a SQLite connection per thread

    def _cache(self) -> BriefCache | None:
        if not self._use_cache:
            return None
        cache: BriefCache | None = getattr(self._local, "cache", None)
        if cache is None:
            cache = self._local.cache = BriefCache(self._cache_path)
        return cache

    def brief(self, source: Source, *, id: str | None = None) -> BriefResult:
        """Brief one article (text or ``Article``); from the cache when it has it."""
        result, _ = brief_cached(_as_article(source), self.engine, self._cache())
        return result.model_copy(update={"id": id}) if id is not None else result

    async def abrief(self, source: Source, *, id: str | None = None) -> BriefResult:
        """``brief`` for asyncio code: the LLM engine's async client, no thread blocked."""
        result, _ = await abrief_cached(_as_article(source), self.engine, self._cache())
        return result.model_copy(update={"id": id}) if id is not None else result

    def brief_many(
        self, items: Iterable[Item], concurrency: int = 8, *, return_exceptions: bool = False
    ) -> Iterator[BriefResult | BrieferError]:
        """Results as they finish (not in input order), ``concurrency`` at a time.

        Items are texts, ``Article``s or ``(id, text_or_article)`` pairs; the id comes back on
        the result. A failing article raises its ``BrieferError`` when it is reached, or with
        ``return_exceptions=True`` is yielded as that error (its ``item_id`` attribute set).
        Items are read lazily, so a generator of thousands costs the memory of ``concurrency``.
        """
        iterator = iter(items)
        with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="briefer") as pool:
            pending: dict[Future[BriefResult], str | None] = {}

            def submit_next() -> bool:
                item = next(iterator, None)
                if item is None:
                    return False
                item_id, source = _split(item)
                pending[pool.submit(self.brief, source, id=item_id)] = item_id
                return True

            while len(pending) < concurrency and submit_next():
                pass
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    item_id = pending.pop(future)
                    try:
                        yield future.result()
                    except BrieferError as exc:
                        if not return_exceptions:
                            raise
                        exc.item_id = item_id  # type: ignore[attr-defined]  # tells brief_many's caller which item failed
                        yield exc
                    submit_next()

    summarise = deprecated_alias(brief, "Briefer.summarise")
    asummarise = deprecated_alias(abrief, "Briefer.asummarise")
    summarise_many = deprecated_alias(brief_many, "Briefer.summarise_many")

    def verify(
        self, brief: Brief | BriefResult, article: Source, statements: bool = False
    ) -> GroundingReport:
        """Check a brief (from briefer or anywhere else) against its article."""
        return verify(brief, article, statements)

    def submit_batch(self, items: Iterable[Item], out: str | Path, **options: Any) -> BatchReport:
        """Send the articles' requests through OpenAI's Batch API and return without waiting.

        Half the live price; answers within the completion window (24 h). ``out`` keeps the batch
        ids (and later the briefs); ``collect_batch`` with the same items finishes the run.
        ``options`` are ``BatchOptions`` fields: ``completion_window``, ``batch_tokens``,
        ``repair_live``, ``retry_failed``, ``formats``.
        """
        return self._batch_api(items, out, wait=False, **options)

    def collect_batch(self, items: Iterable[Item], out: str | Path, **options: Any) -> BatchReport:
        """Follow the batches of ``out`` to their end, ask the further rounds that long articles
        and repairs need, and write the briefs as ``briefer batch`` does (``<id>.json``,
        ``briefs.jsonl``, ``report.json``, and the cache). Called again, it re-attaches."""
        return self._batch_api(items, out, wait=True, **options)

    def _batch_api(self, items: Iterable[Item], out: str | Path, **options: Any) -> BatchReport:
        from briefer.batch.api import run_batch_api
        from briefer.batch.report import BatchOptions
        from briefer.loading.inputs import UniqueIds

        ids = UniqueIds()
        work = (_batch_item(n, item, ids) for n, item in enumerate(items, 1))
        batch_options = BatchOptions(out=Path(out), via="batch-api", **options)
        return run_batch_api(work, self.settings, batch_options, self._cache(), duplicates=ids.duplicates)


def _batch_item(n: int, item: Item, ids: Any) -> BatchItem:
    """An item of ``submit_batch``: its own id, or ``item-N`` (N counted from 1)."""
    from briefer.loading.inputs import BatchItem

    item_id, source = _split(item)
    article = source if isinstance(source, Article) else Article(text=source)
    return BatchItem(
        id=ids(item_id or f"item-{n}"), origin=f"item {n}", text=article.text, title=article.title
    )


def verify(brief: Brief | BriefResult, article: Source, statements: bool = False) -> GroundingReport:
    """Check every quote, takeaway, name and number of ``brief`` against ``article``.

    With ``statements``, claims the calibrated statement check doubts are flagged too (each with
    its reason): it catches more wrong claims, and flags more right ones (docs/grounding.md)."""
    from briefer.grounding import verify_brief

    text = article.text if isinstance(article, Article) else article
    return verify_brief(brief.brief if isinstance(brief, BriefResult) else brief, text, statements=statements)


def parse_brief(raw: str, where: str = "brief") -> Brief:
    """A Brief from JSON holding a BriefResult or a bare Brief (from briefer or any other tool); a
    brief with fields missing is a ``PartialBrief``, its missing fields empty."""
    import json

    from pydantic import ValidationError

    from briefer.errors import InputError

    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}: not JSON ({exc.msg} at line {exc.lineno})") from exc
    except RecursionError as exc:
        raise InputError(f"{where}: not a brief (nested too deeply)") from exc
    if isinstance(data, dict) and isinstance(data.get("brief"), dict):
        data = data["brief"]
    try:
        return Brief.model_validate(data)
    except ValidationError:
        pass  # a brief written in part (only a headline and takeaways) is checked for what it has
    try:
        if not data:
            raise InputError(f"{where}: not a brief (no field given)")
        return PartialBrief.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        location = ".".join(map(str, first["loc"])) or "<root>"
        raise InputError(
            f"{where}: not a brief ({exc.error_count()} problem(s); first: {location}: {first['msg']})"
        ) from exc
