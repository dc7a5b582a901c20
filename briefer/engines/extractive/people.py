"""The people an article names, so that 'Asif' is 'Khawaja Asif' and 'he' is someone.

A registry filled as attribution reads the body: full names with their role (from a title or
an appositive) and, where titles or pronouns give it away, their gender; shortened names
resolve to the longest known name ending with them.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass

from briefer.engines.extractive.cues import SENTENCE_END, SUBJECT_WINDOW
from briefer.engines.extractive.names import (
    NOT_NAMES,
    clean_run,
    is_org,
    is_outlet,
    is_role_title,
    split_title,
)
from briefer.engines.extractive.places import KNOWN_PLACES
from briefer.text.titles import HONORIFICS
from briefer.text.words import STOPWORDS

# 'Boko Haram, the Islamist extremist group ...': an appositive that makes the name no person (but
# not 'a spokesman for the aid organization', nor "the group's executive director").
_ORG_APPOSITIVE = re.compile(
    r"^(?:the|an?)\s+(?:(?!(?:for|of|at|with|from|in|on|to)\s)[\w-]+\s+){0,5}?(?:group|company|firm|organi[sz]ation|"
    r"agency|party|network|outlet|militia|movement|maker|carmaker|retailer|bank|charity|union|team|club|band|body|"
    r"department|ministry)\b(?!['’])"
)
# Titles and forms of address that tell a person's gender, for "he"/"she".
_MALE_TITLES = frozenset({"mr", "sir", "lord", "king", "prince", "father", "brother", "mister"})
_FEMALE_TITLES = frozenset({"mrs", "ms", "miss", "dame", "lady", "queen", "princess", "sister", "madam"})
_POSSESSIVE = re.compile(r"['’]s$")
_GENDERED = re.compile(r"\b(?:[Hh]e|[Hh]is|him|himself|[Ss]he|[Hh]er|hers|herself)\b")
_HE = frozenset({"he", "his", "him", "himself"})
# A sentence whose subject is a person the article does not name ("The 21-year-old California man
# was arrested last summer."): a "he" after it is that person, whom no name stands for.
_UNNAMED_SUBJECT = re.compile(
    r"(?:The|A|An|This|That)\s+(?:[\w'’-]+\s+){0,4}?(?:man|woman|boy|girl|teen|"
    r"teenager|youth|suspect|victim|driver|gunman|attacker|bomber|officer|soldier|pilot|father|"
    r"mother|son|daughter|husband|wife|child|student|patient|defendant|prisoner|inmate|passenger|"
    r"worker|employee|resident|fan|player|boxer|rider|climber|hiker|mayor|teacher)\b(?!['’])"
)


@dataclass
class Person:
    """A person named in the article, and their role in the story when the article gives one."""

    name: str
    role: str | None = None


class People:
    """Person names seen so far, so that 'Asif' resolves to 'Khawaja Asif' and 'he' to the last speaker."""

    def __init__(self) -> None:
        self.by_name: dict[str, Person] = {}
        self.events: list[tuple[int, str]] = []  # (position, full name) of named speech
        self.mentions: list[tuple[int, str]] = []  # (position, full name) of every person mention found
        self.not_people: set[str] = set()
        self.subjects: set[str] = set()  # one-word names that spoke or acted ('Gerti concedes')
        self.gender: dict[str, str] = {}  # full name -> "he"/"she", from titles and resolved pronouns
        self.runs: list[tuple[int, int, str]] = []
        self.run_starts: list[int] = []

    def add(self, run: str, role: str | None = None) -> str | None:
        """Register the person a run names (with ``role`` from an appositive): their full name, or
        None when the run names an organisation, an outlet, or one unknown word with no title."""
        title, name = split_title(clean_run(run))
        if (
            not name
            or is_org(name)
            or is_outlet(name)
            or name.lower() in NOT_NAMES
            or name.lower() in STOPWORDS
        ):
            return None  # "No", "While": a capitalised word, no name
        if name in self.not_people:
            return None
        if role and _ORG_APPOSITIVE.search(role):
            self.not_people.add(name)
            return None  # "Boko Haram, the Islamist extremist group ..."
        if " " not in name and not title and self.resolve(name) == name:
            return None  # one unknown word with no title: "Rover said" is as likely a company
        full = self.resolve(name)
        person = self.by_name.setdefault(full, Person(full))
        if not role and title and not all(t.lower().rstrip(".") in HONORIFICS for t in title.split()):
            role = title
        if role and not person.role:
            person.role = role.strip()
        if title and full not in self.gender:
            gender = _gender_of(title)
            if gender:
                self.gender[full] = gender
        return full

    def resolve(self, name: str) -> str:
        """The longest known name that ends with ``name`` ('Asif' -> 'Khawaja Asif')."""
        matches = [known for known in self.by_name if known == name or known.endswith(" " + name)]
        return max(matches, key=len) if matches else name

    def mention(self, run: str) -> str | None:
        """The person a capitalised run names, if it names one we know ('Mr Clarke's' -> 'Charles Clarke')."""
        title, name = split_title(clean_run(_POSSESSIVE.sub("", run)))
        if not name:
            return None
        full = self.resolve(name)
        if full in self.by_name or full in self.subjects:
            if title and full not in self.gender:
                gender = _gender_of(title)
                if gender:
                    self.gender[full] = gender
            return full
        return None

    def subject_before(self, text: str, pos: int, pronoun: str) -> str | None:
        """Who "he"/"she" at ``pos`` most likely is: the first person named in the previous or the
        current sentence ("Mr Clarke dismissed the attack. "...," he said") whose known gender does
        not contradict the pronoun, else the last named speaker, unless a person the article leaves
        unnamed ("The 21-year-old California man ...") or only a place ("Kabul refused") is the
        subject there. A place is never "he"; "they" is no one: None."""
        pronoun = pronoun.lower()
        if pronoun == "they":
            return None
        window = max(0, pos - SUBJECT_WINDOW)
        ends = [m.end() for m in SENTENCE_END.finditer(text, window, pos)]
        start = ends[-2] if len(ends) >= 2 else window
        place_acted = False  # "after Kabul refused. He added": a place is never "he", and unsure
        for name in self.named_between(text, start, pos):
            if name in KNOWN_PLACES:
                place_acted = True
            elif self.gender.get(name, pronoun) == pronoun:
                return name
        if place_acted:
            return None
        if any(_UNNAMED_SUBJECT.match(text, at) for at in ends[-3:]):
            return None  # two sentences back: "The man was arrested. The FBI said he ... His ..."
        for _, name in sorted((at, name) for at, name in self.events if at < pos)[::-1]:
            name = self.resolve(name)
            if self.gender.get(name, pronoun) == pronoun and name not in KNOWN_PLACES:
                return name
        return None

    def named_between(self, text: str, start: int, end: int) -> Iterator[str]:
        """Known people named in ``text[start:end]``, in order; a person's gender is guessed, when
        unknown, from the first personal pronoun after the name in its sentence ('Kusseler is
        looking to grow his current stock' -> he)."""
        first = bisect_left(self.run_starts, start)
        for _, run_end, run in self.runs[first : bisect_left(self.run_starts, end, first)]:
            name = self.mention(run)
            if name:
                if name not in self.gender:
                    stop = SENTENCE_END.search(text, run_end, run_end + SUBJECT_WINDOW)
                    pronoun = _GENDERED.search(text, run_end, stop.start() if stop else run_end)
                    if pronoun:
                        self.gender[name] = "he" if pronoun.group().lower() in _HE else "she"
                yield name

    def subject(self, run: str, at: int, role: str | None = None) -> str | None:
        """Note a run that spoke or acted ('Gerti concedes'); a one-word name is kept for pronouns only."""
        name = self.add(run, role)
        if name is None:
            word = clean_run(run)
            if not word or " " in word or is_org(word) or is_outlet(word) or word.lower() in NOT_NAMES:
                return None
            if word in self.not_people or any(map(is_role_title, word.split())):
                return None
            self.subjects.add(word)
            name = word
        self.mentions.append((at, name))
        return name


def _gender_of(title: str) -> str | None:
    """The pronoun a title implies ('Mr' he, 'Dame' she), or None when it does not say."""
    words = {t.lower().rstrip(".") for t in title.split()}
    if words & _MALE_TITLES:
        return "he"
    if words & _FEMALE_TITLES:
        return "she"
    return None
