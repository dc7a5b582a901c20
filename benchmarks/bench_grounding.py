"""How well grounding catches injected errors, how often it cries wolf, and how fast it is.

Run: .venv/bin/python benchmarks/bench_grounding.py [--data FILE.jsonl ...] [--seed N] [--statements]

Cases are built from real articles (one JSON object per line with "id", "text", "highlights"):

- errors that must be caught: a number in an article sentence changed (to a value the article
  never uses), a name in an article sentence swapped for one the article never uses, one word
  of a real quote changed, a real quote given to another speaker (one named elsewhere in the
  same article when there is one, else a speaker from another article), a quote attributed by
  "he said" given to another person the article names;
- misplaced figures: an article sentence whose number or date is replaced by one of the same
  kind (a year by a year, money by money) that the article uses in a *different* sentence;
  every figure is then in the article, only not with what the claim says;
- false datelines: the article's own dateline (as the offline engine reads it) with its place,
  date or outlet replaced by one the article does not give;
- texts that must pass: article sentences used as takeaways, the journalists' own highlights
  (extractive in BBC, paraphrased in CNN/DailyMail), real quotes with their real speaker (named
  next to the quote, or by the quote before it when "he said" follows: a chain of attributions), the
  article's own dateline, and a date the article gives written another way as its date.

Sentences for the cases come from briefer.text.sentences (the news splitter), not from grounding's own splitter,
so a mismatch between the two shows up as false alarms.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from briefer.grounding import verify_brief
from briefer.models import Brief, Dateline, Entity, GroundingReport, ItemCheck, Quote
from briefer.text.dates import DATE, MONTH_NUMBERS, MONTHS
from briefer.text.layout import parse
from briefer.text.sentences import sentences

# ../shared/eval beside the checkout (see its README); pass --data elsewhere.
# Articles with journalists' highlights (FRANK's file has none: `briefer eval-factuality` reads it).
DEFAULT_DATA = [
    Path(__file__).resolve().parents[2] / "shared" / "eval" / f for f in ("cnndm_dev.jsonl", "bbc_dev.jsonl")
]
NAME = r"[A-Z][a-z]+(?:[ -][A-Z][a-z'’]+){0,3}"
SPEECH = r"(?:said|says|added|told|explained|wrote|insisted|warned)"
_QUOTE = re.compile(r"\"([^\"\n]*)\"|“([^”\n]*)”")
# Right after a quote (match() anchors at its end): who follows "told" is the listener, not the speaker.
_AFTER = re.compile(
    rf"\s*{SPEECH.replace('told|', '')}\s+(?:[a-z]+\s+){{0,4}}({NAME})|\s*({NAME})\s+{SPEECH}\b"
)
_BEFORE = re.compile(rf"\b({NAME})(?:,[^\"“”\n.]{{0,150}}?,)?\s+{SPEECH}(?:\s+\w+)?[,:]?\s*$")
_PRONOUN_AFTER = re.compile(rf"\s*(?:he|she)\s+{SPEECH}\b")
_NOT_SPEAKERS = {"He", "She", "They", "It", "The", "We", "I", "This", "That", "But", "And"}
_NUMBER = re.compile(r"(?<![\w.,$£€])\d[\d,]*(?:\.\d+)?(?![\w.]?\d)")
_MIDNAME = re.compile(r"(?<=[a-z,] )([A-Z][a-z]{2,})\b(?!['’]?\w*\s*[.?!]?$)")
_PERSON = re.compile(r"(?<=[a-z,] )[A-Z][a-z]+ [A-Z][a-z]{2,}\b")
_NOT_PEOPLE = {"The", "House", "Court", "Department", "Street", "City", "County", "University", "Party"}
_MONTHS_DAYS = {
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
}  # fmt: skip
_FIGURE = re.compile(
    rf"(?P<date>{DATE})(?!\d)|(?<![\w.,$£€-])(?P<num>[$£€]?(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?"
    r"(?:\s?(?:million|billion|trillion|bn|m|k)\b)?%?)(?![\w.,-]?\d)(?!\w)"
)
_PLACES = "Kabul Lagos Lima Oslo Hanoi Nairobi Caracas Helsinki Canberra Riyadh Ottawa Quito Accra Tbilisi"
_OUTLETS = ["Reuters", "AFP", "Associated Press", "Bloomberg", "Al Jazeera", "CNN", "BBC News", "Xinhua"]
NO_DATELINE = Dateline(place=None, date=None, outlet=None)
Verify = Callable[[Brief, str], GroundingReport]
"""The check under test: ``verify_brief``, or with ``--statements`` the calibrated statement check too."""


@dataclass
class Tally:
    """Counts of flagged items per case kind, with a few examples for the eye."""

    flagged: Counter[str] = field(default_factory=Counter)
    total: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def add(self, kind: str, item: ItemCheck | None) -> bool:
        """Count ``item`` (None: grounding did not check it, so did not flag it); True if flagged."""
        flagged = item is not None and not item.supported
        self.total[kind] += 1
        self.flagged[kind] += flagged
        wrong = flagged if kind.startswith("ok") else not flagged
        if wrong and item is not None and len(self.examples[kind]) < 3:
            self.examples[kind].append(f"{item.text[:110]!r} {item.problems}")
        return flagged

    def group(self, prefix: str) -> tuple[int, int]:
        kinds = [k for k in self.total if k.startswith(prefix)]
        return sum(self.flagged[k] for k in kinds), sum(self.total[k] for k in kinds)

    def rate(self, kind: str) -> float:
        return self.flagged[kind] / max(1, self.total[kind])


def load(paths: list[Path]) -> list[dict]:
    return [json.loads(line) for path in paths for line in path.open(encoding="utf-8") if line.strip()]


def brief_of(
    takeaways: list[str],
    quotes: list[Quote] = (),
    entities: list[Entity] = (),
    dateline: Dateline = NO_DATELINE,
) -> Brief:
    """A brief whose only interesting content is what the case puts in it."""
    return Brief(
        headline="Brief",
        dateline=dateline,
        summary="Brief.",
        key_takeaways=takeaways,
        entities=list(entities),
        quotes=list(quotes),
        sources=[],
        what_to_watch=[],
        topics=[],
    )


def takeaway_sentences(text: str) -> list[str]:
    """Sentences an extractive engine could use as takeaways: one line, 8-60 words."""
    return [
        s.of(text)
        for s in sentences(text)
        if 8 <= len(s.of(text).split()) <= 60 and len(s.of(text)) <= 350 and "\n" not in s.of(text)
    ]


def _named_speaker(text: str, m: re.Match[str]) -> str | None:
    """The speaker the text names right before or after the quote ``m``, if it does."""
    after = _AFTER.match(text, m.end(), m.end() + 60)
    before = _BEFORE.search(text, max(0, m.start() - 250), m.start())
    speaker = (after and (after.group(1) or after.group(2))) or (before and before.group(1))
    return speaker if speaker and speaker.split()[0] not in _NOT_SPEAKERS | _MONTHS_DAYS else None


def real_quotes(text: str) -> Iterator[tuple[str, str]]:
    """(quote, speaker) for quotes whose speaker the text names right before or after them."""
    for m in _QUOTE.finditer(text):
        quote = (m.group(1) or m.group(2) or "").strip()
        if 25 <= len(quote) <= 400 and (speaker := _named_speaker(text, m)):
            yield quote, speaker


def chained_quotes(text: str) -> Iterator[tuple[str, str]]:
    """(quote, speaker) for quotes followed by "he added"/"she said" within 300 characters of a quote
    the text gives to a named speaker, with no quote between: the same speaker, named sentences back."""
    speaker, ended = None, -1
    for m in _QUOTE.finditer(text):
        quote = (m.group(1) or m.group(2) or "").strip()
        if named := _named_speaker(text, m):
            speaker, ended = named, m.end()
        elif speaker and m.start() - ended < 300 and _PRONOUN_AFTER.match(text, m.end(), m.end() + 30):
            if 25 <= len(quote) <= 400:
                yield quote, speaker
            ended = m.end()
        else:
            speaker = None


def change_number(sentence: str, article: str, rng: random.Random) -> str | None:
    """The sentence with one digit of one number changed, to a value the article never uses."""
    matches = [m for m in _NUMBER.finditer(sentence) if len(m.group(0).replace(",", "")) <= 6]
    if not matches:
        return None
    m = rng.choice(matches)
    digits = [i for i, c in enumerate(m.group(0)) if c.isdigit()][:2]
    pos = rng.choice(digits)
    old = m.group(0)
    for new_digit in rng.sample("123456789", 9):
        new = old[:pos] + new_digit + old[pos + 1 :]
        if new != old and not re.search(rf"(?<![\d,.]){re.escape(new)}(?![\d,])", article):
            return sentence[: m.start()] + new + sentence[m.end() :]
    return None


def swap_name(sentence: str, article: str, pool: list[str], rng: random.Random) -> str | None:
    """The sentence with one capitalised mid-sentence name replaced by one the article never uses."""
    names = [m for m in _MIDNAME.finditer(sentence) if m.group(1) not in _MONTHS_DAYS]
    if not names:
        return None
    m = rng.choice(names)
    lowered = article.lower()
    for candidate in rng.sample(pool, min(20, len(pool))):
        if candidate[:5].lower() not in lowered:
            return sentence[: m.start(1)] + candidate + sentence[m.end(1) :]
    return None


def change_word(quote: str, rng: random.Random, vocabulary: list[str]) -> str | None:
    """The quote with one of its longer words replaced by another word."""
    words = [m for m in re.finditer(r"\b[a-z]{4,}\b", quote)]
    if not words:
        return None
    m = rng.choice(words)
    replacement = rng.choice(
        [w for w in rng.sample(vocabulary, min(5, len(vocabulary))) if w != m.group(0)] or ["nothing"]
    )
    return quote[: m.start()] + replacement + quote[m.end() :]


def _kind(m: re.Match[str]) -> str:
    """What a figure counts: a misplaced figure keeps its kind, so the sentence still reads true."""
    if m["date"]:
        return "date"
    num = m["num"]
    if num[0] in "$£€" or num[-1].isalpha():
        return "money"
    if num.endswith("%"):
        return "percent"
    return "year" if re.fullmatch(r"1[89]\d\d|20\d\d", num) else "number"


def _day(written: str) -> tuple[int, int]:
    """(month, day) of a date as written: 'March 24', '24th of March 2015'."""
    month = MONTH_NUMBERS[re.search(r"[A-Za-z]{3}", written).group(0).lower()]
    return month, int(re.search(r"\d{1,2}(?!\d)", written).group(0))


def _key(m: re.Match[str]) -> tuple[int, int] | str:
    """The same figure however written: (month, day) for a date, digits for a number."""
    return _day(m["date"]) if m["date"] else re.sub(r"[,\s$£€%]", "", m["num"]).lower()


def move_figure(sentence: str, article: str, rng: random.Random) -> str | None:
    """The sentence with one figure replaced by one of its kind from another sentence of the article."""
    figures = list(_FIGURE.finditer(sentence))
    keys = {_key(m) for m in figures}
    others = [s.of(article) for s in sentences(article) if sentence not in s.of(article)]
    elsewhere = [m for o in others for m in _FIGURE.finditer(o) if _key(m) not in keys]
    for m in rng.sample(figures, len(figures)):
        if pool := [o.group(0) for o in elsewhere if _kind(o) == _kind(m)]:
            return sentence[: m.start()] + rng.choice(pool) + sentence[m.end() :]
    return None


def written(year: int, month: int, day: int, rng: random.Random) -> str:
    """A date as a dateline may write it: ISO (as the brief's schema asks), or in words."""
    name = MONTHS[month - 1].title()
    return rng.choice([f"{year}-{month:02d}-{day:02d}", f"{name} {day}, {year}", f"{day} {name} {year}"])


def false_datelines(article: str, own: Dateline, rng: random.Random) -> Iterator[tuple[str, Dateline]]:
    """The article's dateline with its place, its date or its outlet replaced by one it does not give."""
    lowered = article.lower()
    given = {_key(m) for m in _FIGURE.finditer(article) if m["date"]}
    places = [p for p in _PLACES.split() if p.lower() not in lowered]
    outlets = [o for o in _OUTLETS if o.lower() not in lowered]
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    if (month, day) not in given:
        yield "date", own.model_copy(update={"date": written(rng.randint(1990, 2012), month, day, rng)})
    if places:
        yield "place", own.model_copy(update={"place": rng.choice(places)})
    if outlets:
        yield "outlet", own.model_copy(update={"outlet": rng.choice(outlets)})


def rewritten_date(article: str, own: Dateline, rng: random.Random) -> Dateline | None:
    """The dateline given a date the article does give ('Oct 29, 2015'), written another way."""
    dates = [m["date"] for m in _FIGURE.finditer(article) if m["date"]]
    if not dates:
        return None
    date = rng.choice(dates)
    month, day = _day(date)
    if year := re.search(r"\d{4}", date):
        return own.model_copy(update={"date": f"{year.group(0)}-{month:02d}-{day:02d}"})
    name = MONTHS[month - 1].title()
    return own.model_copy(update={"date": f"{day} {name}" if date[0].isalpha() else f"{name} {day}"})


def dateline_check(report: GroundingReport) -> ItemCheck | None:
    """The report's verdict on the dateline, if it checked one."""
    return next((c for c in report.claims if c.field == "dateline"), None)


def surname(name: str) -> str:
    return name.split()[-1]


@dataclass
class Pools:
    """What mutations draw from: names no article uses in lower case, words, every quote's speaker."""

    names: list[str]
    vocabulary: list[str]
    speakers: list[tuple[str, str]]
    rng: random.Random

    @classmethod
    def of(cls, rows: list[dict], rng: random.Random) -> Pools:
        lower_words = {w for r in rows for w in re.findall(r"\b[a-z]+\b", r["text"])}
        names = {m.group(1) for r in rows for m in _MIDNAME.finditer(r["text"])} - _MONTHS_DAYS
        return cls(
            names=sorted(n for n in names if n.lower() not in lower_words),
            vocabulary=sorted({w for r in rows[:50] for w in re.findall(r"\b[a-z]{5,9}\b", r["text"])}),
            speakers=[(r["id"], s) for r in rows for _, s in real_quotes(r["text"])],
            rng=rng,
        )


def run_cases(rows: list[dict], rng: random.Random, verify: Verify) -> tuple[Tally, dict[str, list[float]]]:
    """The cases of every row, and the milliseconds grounding a realistic brief took, by dataset."""
    tally = Tally()
    timings: dict[str, list[float]] = defaultdict(list)
    pools = Pools.of(rows, rng)
    for row in rows:
        text, dataset = row["text"], row["id"].split("-")[0]
        candidates = takeaway_sentences(text)
        picked = rng.sample(candidates, min(5, len(candidates)))
        quotes = list(dict(real_quotes(text)).items())
        own = parse(text, row.get("title")).dateline
        for sentence in picked:
            tally.add("ok: article sentence as takeaway", verify(brief_of([sentence]), text).claims[-1])
        highlights = [
            h.strip()
            for h in row.get("highlights", [])[:7]
            if len(h) <= 400 and "\n" not in h and len(h.split()) > 3
        ]
        flagged = [
            tally.add(f"ok: {dataset} highlight", verify(brief_of([h]), text).claims[-1]) for h in highlights
        ]
        if flagged:
            tally.total[f"articles: {dataset} highlights"] += 1
            tally.flagged[f"articles: {dataset} highlights"] += any(flagged)
        backed = [h for h, bad in zip(highlights, flagged, strict=True) if not bad and dataset == "cnndm"]
        if own != NO_DATELINE:
            tally.add(
                "ok: dateline, the article's own",
                dateline_check(verify(brief_of(["x"], dateline=own), text)),
            )
        if other_date := rewritten_date(text, own, rng):
            report = verify(brief_of(["x"], dateline=other_date), text)
            tally.add("ok: dateline, a date the article gives, rewritten", dateline_check(report))
        for quote, speaker in quotes:
            tally.add(
                "ok: real quote, real speaker",
                verify(brief_of(["x"], [Quote(speaker=speaker, text=quote)]), text).quotes[0],
            )
        chained = list(dict(chained_quotes(text)).items())
        for quote, speaker in chained:
            tally.add(
                "ok: quote after 'he said', speaker named before",
                verify(brief_of(["x"], [Quote(speaker=speaker, text=quote)]), text).quotes[0],
            )
        add_errors(tally, row, candidates, quotes, pools, verify)
        add_chained_errors(tally, text, chained, rng, verify)
        add_misplaced(tally, text, own, candidates, rng, verify)
        if (figured := [h for h in backed if _FIGURE.search(h)]) and (
            moved := move_figure(rng.choice(figured), text, rng)
        ):
            tally.add("extra: figure moved into a paraphrase", verify(brief_of([moved]), text).claims[-1])
        other = rng.choice(rows)
        if other is not row and (foreign := takeaway_sentences(other["text"])):
            unrelated = verify(brief_of([rng.choice(foreign)]), text).claims[-1]
            tally.add("extra: sentence of another article", unrelated)
        timings[dataset].append(
            time_realistic_brief(text, picked, quotes, row.get("highlights", []), own, verify)
        )
    return tally, timings


def add_errors(
    tally: Tally,
    row: dict,
    candidates: list[str],
    quotes: list[tuple[str, str]],
    pools: Pools,
    verify: Verify,
) -> None:
    """One injected error of each kind per article, where the article allows it."""
    text, rng = row["text"], pools.rng
    numbered = [s for s in candidates if _NUMBER.search(s)]
    if numbered and (changed := change_number(rng.choice(numbered), text, rng)):
        tally.add("error: number changed", verify(brief_of([changed]), text).claims[-1])
    named = [s for s in candidates if _MIDNAME.search(s)]
    if named and (swapped := swap_name(rng.choice(named), text, pools.names, rng)):
        tally.add("error: name swapped", verify(brief_of([swapped]), text).claims[-1])
    if not quotes:
        return
    quote, speaker = rng.choice(quotes)
    if changed_quote := change_word(quote, rng, pools.vocabulary):
        tally.add(
            "error: word changed in quote",
            verify(brief_of(["x"], [Quote(speaker=speaker, text=changed_quote)]), text).quotes[0],
        )
    people = {m.group(0) for m in _PERSON.finditer(text)} - {speaker}
    same_article = [p for p in people if surname(p) not in speaker and not set(p.split()) & _NOT_PEOPLE]
    elsewhere = [
        s for rid, s in pools.speakers if rid != row["id"] and surname(s).lower() not in text.lower()
    ]
    for kind, others in (
        ("person named in the article", same_article),
        ("speaker of another article", elsewhere),
    ):
        if others:
            wrong = Quote(speaker=rng.choice(sorted(others)), text=quote)
            tally.add(f"error: quote given to {kind}", verify(brief_of(["x"], [wrong]), text).quotes[0])


def add_chained_errors(
    tally: Tally, text: str, chained: list[tuple[str, str]], rng: random.Random, verify: Verify
) -> None:
    """A quote attributed by "he said" given to another person the article names."""
    if not chained:
        return
    quote, speaker = rng.choice(chained)
    people = {m.group(0) for m in _PERSON.finditer(text)} - {speaker}
    others = sorted(p for p in people if surname(p) not in speaker and not set(p.split()) & _NOT_PEOPLE)
    if others:
        wrong = Quote(speaker=rng.choice(others), text=quote)
        tally.add("error: 'he said' quote given to another", verify(brief_of(["x"], [wrong]), text).quotes[0])


def add_misplaced(
    tally: Tally, text: str, own: Dateline, candidates: list[str], rng: random.Random, verify: Verify
) -> None:
    """A figure moved from another sentence, and each part of the dateline made false."""
    figured = [s for s in candidates if _FIGURE.search(s)]
    if figured and (moved := move_figure(rng.choice(figured), text, rng)):
        tally.add("misplaced: figure from another sentence", verify(brief_of([moved]), text).claims[-1])
    for part, dateline in false_datelines(text, own, rng):
        report = verify(brief_of(["x"], dateline=dateline), text)
        tally.add(f"misplaced: dateline {part} not the article's", dateline_check(report))


def time_realistic_brief(
    text: str,
    takeaways: list[str],
    quotes: list[tuple[str, str]],
    highlights: list[str],
    own: Dateline,
    verify: Verify,
) -> float:
    """Milliseconds to ground a brief of typical size: 5 takeaways, 3 quotes, 8 entities, a dateline."""
    names = sorted({m.group(1) for m in _MIDNAME.finditer(text)})[:8]
    brief = Brief(
        headline=(highlights or ["Brief"])[0][:200],
        dateline=own,
        summary=" ".join(takeaways[:3]) or "Brief.",
        key_takeaways=takeaways or ["Brief."],
        entities=[Entity(name=n, kind="person", role="") for n in names],
        quotes=[Quote(speaker=s, text=q) for q, s in quotes[:3]],
        sources=[],
        what_to_watch=[],
        topics=[],
    )
    started = time.perf_counter()
    verify(brief, text)
    return (time.perf_counter() - started) * 1000


def _mean_p95(timings: list[float]) -> str:
    p95 = statistics.quantiles(timings, n=20)[-1] if len(timings) > 1 else timings[0]
    return f"mean {statistics.mean(timings):.1f} ms, p95 {p95:.1f} ms"


def report(tally: Tally, timings: dict[str, list[float]]) -> None:
    print(
        "'extra' cases are outside the targets: an unrelated claim (flagged by names or weak support), "
        "a figure moved into a CNN highlight grounding backs (paraphrases locate less surely)."
    )
    print("'articles' rows count articles with any of their highlights flagged.\n")
    print(f"{'case':<48} {'flagged':>8} {'of':>6} {'rate':>7}")
    for kind in sorted(tally.total):
        print(f"{kind:<48} {tally.flagged[kind]:>8} {tally.total[kind]:>6} {tally.rate(kind):>7.1%}")
    print()
    for label, prefix, target in (
        ("injected errors caught", "error", "≥ 95%"),
        ("misplaced figures caught", "misplaced: figure", "≥ 90%"),
        ("false datelines caught", "misplaced: dateline", "≥ 90%"),
        ("false alarms, correct datelines", "ok: dateline", "≤ 2%"),
    ):
        flagged, total = tally.group(prefix)
        print(f"{label}: {flagged}/{total} = {flagged / max(1, total):.1%}  (target {target})")
    print(
        f"false alarms, article sentences: {tally.rate('ok: article sentence as takeaway'):.1%}  (target ≤ 2%)"
    )
    print(
        f"false alarms, CNN/DM highlights: {tally.rate('ok: cnndm highlight'):.1%} of highlights, "
        f"{tally.rate('articles: cnndm highlights'):.1%} of articles  (target ≤ 15% of highlights)"
    )
    every = [t for by_set in timings.values() for t in by_set]
    print(f"time per article: {_mean_p95(every)}  (target < 20 ms)")
    for dataset, by_set in sorted(timings.items()):
        print(f"  {dataset} ({len(by_set)} articles): {_mean_p95(by_set)}")
    print("\nexamples (misses / false alarms):")
    for kind, examples in sorted(tally.examples.items()):
        for example in examples:
            print(f"  [{kind}] {example}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, nargs="+", default=DEFAULT_DATA, help="JSONL files of articles")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--statements", action="store_true", help="flag the claims the statement check doubts"
    )
    args = parser.parse_args()
    verify: Verify = partial(verify_brief, statements=True) if args.statements else verify_brief
    rows = load(args.data)
    tally, timings = run_cases(rows, random.Random(args.seed), verify)
    print(f"{len(rows)} articles from {', '.join(p.name for p in args.data)}\n")
    report(tally, timings)


if __name__ == "__main__":
    main()
