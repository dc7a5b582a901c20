"""One pass over the capitalised runs of an article body, reading the cues around each.

Speakers, subjects, outlets and places are all read next to a capitalised run; finding the runs
once and matching anchored patterns at each is what keeps attribution cheaper than the ranking.
"""

from __future__ import annotations

import re

from briefer.engines.extractive.cues import (
    APPOSITIVE,
    AUXILIARY,
    CAPRUN,
    CAPWORD,
    LOOK_BACK,
    NOT_ADJECTIVE,
    PARTICLE,
    VERBS,
)
from briefer.engines.extractive.names import COUNTRY_ACRONYMS, NOT_NAMES, given_names

# Speech anywhere, quoted or not ("Abdul Mateen Qani, spokesperson for ..., stated that"): names
# pronouns. Read at a capitalised run followed by a speech verb (see Scan): a search starting at
# every capital letter of the article would cost more than the whole summariser.
_SPEAKER_BEFORE = re.compile(rf"(?P<who>{CAPRUN}){APPOSITIVE}{AUXILIARY}")
# ... and speakers after the verb: 'says Philip Kusseler, co-owner of Wait A Little horse safaris.'
_SPEAKER_AFTER = re.compile(rf"\s+(?P<who>{CAPRUN})(?:,\s+(?P<app>[^,\"“”]{{2,90}})[,.])?")
_TITLED_NAME = re.compile(CAPRUN)

# One pass over the body finds the capitalised runs; every other cue is read next to a run, with
# an anchored match (cheap) rather than by another scan of the article (each costs as much as the
# ranking): what follows a run ("..., the minister, said", "... reported"), and the words before
# it ("says Philip Kusseler", "told the BBC", "in Turkey"), read backwards in the reversed text.
_RUN_TAIL = re.compile(rf"{APPOSITIVE}\s+(?:has\s+|had\s+|also\s+)?(?P<verb>\w+)")
_REVERSED_WORDS = re.compile(r"(\s+)(\w+)(?:(\s+)(\w+)(?:(\s+)(\w+))?)?")
_SPEECH_WORDS = frozenset(VERBS[3:-1].replace("emphasi[sz]ed", "emphasised|emphasized").split("|"))
_REPORT_WORDS = frozenset({"reported", "reports", "quoted"})
# Verbs that make their subject someone a later "he"/"she" may stand for, though they introduce no
# quote themselves: 'Mr Clarke dismissed the latest Tory attack.', 'Gerti concedes ...'.
# fmt: off
_ACTION_WORDS = frozenset({
    "dismissed", "accused", "accuses", "relayed", "denied", "denies", "testified", "revealed", "reveals",
    "described", "describes", "criticised", "criticized", "welcomed", "praised", "defended", "expressed",
    "pointed", "condemned", "rejected", "predicted", "believes", "believed", "thinks", "feels", "concedes",
    "maintained", "maintains", "questioned", "spoke", "speaks", "countered", "disagreed", "apologised",
    "apologized", "explained", "answered", "hit", "called", "blamed", "told", "referenced", "remembered",
})
# fmt: on
# Places: "in Turkey", "from Omaha", "in the United States"; not "in the Quran" (one word after
# "the"), and not "at": "at Microsoft" names a company more often than a place.
_PLACE_PREPOSITIONS = frozenset(
    {"in", "into", "within", "throughout", "near", "across", "outside", "inside", "from"}
)


def _from_someone(preposition: str, run: str) -> bool:
    """'from' before a full name that opens with a first name names a person as often as a place
    ('a cross from Matthew Taylor'): no place cue; 'from Jordan' still is one."""
    words = run.split()
    return preposition == "from" and len(words) > 1 and words[0].lower() in given_names()


# ... but "at" after an event or a stay names a place: 'their retreat at Tora Bora', 'landed at Heathrow'.
_HAPPENS_AT = frozenset(
    [
        "retreat",
        "defeat",
        "battle",
        "siege",
        "massacre",
        "clashes",
        "fighting",
        "attack",
        "bombing",
        "explosion",
        "crash",
        "rally",
        "protest",
        "arrived",
        "landed",
        "stationed",
        "based",
        "camp",
        "base",
        "border",
    ]
)
_RUN_CONTINUES = re.compile(rf"\s+(?:{PARTICLE}\s+)?")  # a gap a single run could have spanned
_OF_THE = re.compile(r"\s+of\s+(?:the\s+)?")
_THE_PLACE = re.compile(
    rf"(?>{CAPWORD}(?:\s+{CAPWORD})+|{'|'.join(sorted(COUNTRY_ACRONYMS))})" + NOT_ADJECTIVE
)
_NOT_ADJECTIVE_AT = re.compile(NOT_ADJECTIVE)


class Scan:
    """The capitalised runs of the article body, with what stands before and after each."""

    def __init__(self, text: str, start: int) -> None:
        self.text, self.start = text, start
        self.runs = [(m.start(), m.end(), m.group()) for m in _TITLED_NAME.finditer(text, start)]
        # (verb position, 0 for a speaker before the verb / 1 after it, match naming the speaker)
        self.speech: list[tuple[int, int, re.Match[str]]] = []
        self.told: list[tuple[int, str]] = []  # "told (the) X", "interview with X": X may be an outlet
        self.reported: list[int] = []  # positions of "reported" right after a run
        self.places: list[str] = []  # "in Turkey", "from the United States"
        self.actors: list[tuple[int, str, str | None]] = []  # (position, run, appositive) of 'X dismissed'
        n = len(text)
        reverse = text[::-1]
        previous_end = -1
        for at, end, run in self.runs:
            if " " not in run and run.lower() in NOT_NAMES:  # 'The', 'He', 'But': no name to read
                previous_end = end
                continue
            before = _REVERSED_WORDS.match(reverse, n - at, n - start)
            if before:
                self._read_before(before, at, end, run, reverse)
            tail = _RUN_TAIL.match(text, end)
            if tail:
                verb = tail.group("verb")
                hit = tail.start("verb")
                if verb in _SPEECH_WORDS:
                    if at < hit - LOOK_BACK or (
                        previous_end >= 0 and _RUN_CONTINUES.fullmatch(text, previous_end, at)
                    ):  # the run may start before the look-back window, or be a long name's tail
                        match = _SPEAKER_BEFORE.search(text, max(start, hit - LOOK_BACK), hit)
                    else:
                        match = _SPEAKER_BEFORE.match(text, at, hit)
                    if match:
                        self.speech.append((hit, 0, match))
                elif verb in _ACTION_WORDS:  # speech verbs are read above
                    self.actors.append((at, run, tail.group("app")))
                if verb in _REPORT_WORDS and tail.group("app") is None:
                    self.reported.append(hit)
            previous_end = end
        self.speech.sort(key=lambda event: event[:2])

    def _read_before(self, before: re.Match[str], at: int, end: int, run: str, reverse: str) -> None:
        """Cues in the words just before a run (``before`` matched the reversed text there)."""
        word = before.group(2)[::-1]
        word_at = at - len(before.group(1)) - len(word)
        if word in _SPEECH_WORDS and word[0].islower():  # 'says Philip Kusseler, co-owner of ...'
            match = _SPEAKER_AFTER.match(self.text, word_at + len(word))
            if match:
                self.speech.append((word_at, 1, match))
        if word.endswith("told"):
            self.told.append((at, run))
        second = before.group(4) and before.group(4)[::-1]
        if before.group(3) == " " and (
            (word == "with" and second.endswith("interview"))
            or (word == "to" and second.endswith("speaking"))
        ):
            self.told.append((at, run))
        if word in _PLACE_PREPOSITIONS or (word == "at" and second in _HAPPENS_AT):
            if _NOT_ADJECTIVE_AT.match(self.text, end) and not _from_someone(word, run):
                self.places.append(run)
        elif word == "the" and second:
            third = before.group(6) and before.group(6)[::-1]
            if (
                second.endswith("told")
                or (second == "with" and before.group(5) == " " and third and third.endswith("interview"))
                or (second == "to" and before.group(5) == " " and third and third.endswith("speaking"))
            ):
                self.told.append((at, run))
            if second in _PLACE_PREPOSITIONS:
                place = _THE_PLACE.match(self.text, at)
                if place:
                    self.places.append(place.group())

    def org_names(self) -> list[str]:
        """Runs, two joined by 'of (the)': "Afghan Ministry of Interior"."""
        names: list[str] = []
        runs, text = self.runs, self.text
        i = 0
        while i < len(runs):
            at, end, run = runs[i]
            if (
                i + 1 < len(runs)
                and text.find("of", end, runs[i + 1][0]) >= 0
                and _OF_THE.fullmatch(text, end, runs[i + 1][0])
            ):
                names.append(text[at : runs[i + 1][1]])
                i += 2
            else:
                names.append(run)
                i += 1
        return names
