"""The patterns of news copy that attribution reads: capitalised runs, speech verbs, appositives.

Quotes, speakers and cited outlets are all read off the same few shapes ('Defence Minister
Khawaja Asif, who ..., said'), so the shapes are written once, here.
"""

from __future__ import annotations

import re

from briefer.text.titles import ABBREVIATED_TITLES

PARTICLE = r"(?:de|da|del|der|di|du|van|von|bin|ibn|al|el|la|le)"
_ABBREVIATIONS = "|".join(sorted(title.capitalize() for title in ABBREVIATED_TITLES | {"st", "jr"}))
# A capitalised word; full stops only in initialisms ("U.S.") and titles ("Sgt."), so a run never
# crosses a sentence end ("Geo News. The").
CAPWORD = rf"(?=[A-Z])(?:[A-Z]\.(?:[A-Z]\.)+|(?:{_ABBREVIATIONS})\.|[A-Z][\w'’&-]*\w|[A-Z])"
CAPRUN = rf"{CAPWORD}(?:\s+(?:{PARTICLE}\s+)?{CAPWORD}){{0,5}}"
"""A run of up to six capitalised words: a name, a title and a name, or an organisation."""
VERBS = (
    r"(?:said|says|say|added|adds|told|tells|claimed|claims|declared|declares|stated|states|explained|"
    r"explains|wrote|writes|asked|asks|insisted|insists|warned|warns|noted|notes|argued|argues|"
    r"continued|recalled|replied|responded|admitted|acknowledged|announced|tweeted|posted|concluded|"
    r"suggested|urged|vowed|promised|cautioned|demanded|conceded|confirmed|joked|shouted|agreed|"
    r"stressed|emphasi[sz]ed|commented|quipped|reported|telling|saying|adding)"
)
"""Speech verbs: what makes a name next to a quote its speaker."""
APPOSITIVE = r"(?:,\s+(?P<app>[^,\"“”]{2,90}),)?"
"""', the minister for ...,' between a name and its verb: the person's role."""
AUXILIARY = r"\s+(?:has\s+|had\s+|also\s+)?$"
"""What may stand between a subject and its verb ('Geo News has reported'), anchored at the verb."""
# Not followed by a lower-case noun: "Afghan media", "Chinese state press" are adjectives, not names.
NOT_ADJECTIVE = (
    r"(?!\s+(?!(?:on|in|at|and|or|to|for|with|after|before|last|this|since|where|which|who|that|as|by|of|"
    r"from|when|while|but|is|was|were|has|had|have|will|would|said|says)\b)[a-z])"
)
LOOK_BACK = 150
"""Characters before a verb in which to look for its subject or outlet."""
SUBJECT_WINDOW = 400
"""Characters before a pronoun or description in which to look for the person it stands for."""
SENTENCE_END = re.compile(r"[.!?][\"”’]?\s+")
