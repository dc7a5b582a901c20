"""An article and a brief of it the opt-in statement check doubts, for the tests of every place
that honours ``Settings.statements`` (brief, batch, the API, the service, the repair round).

Every word of ``SPLICED`` is in ``DERBY``, so the lexical checks back it; no sentence of the
article says it (Derby lost to Preston; MK Dons beat Bristol City), so the statement check doubts it.
"""

from __future__ import annotations

import json

DERBY = (
    "Derby County lost 2-0 at home to Preston on Saturday. "
    "The defeat leaves the club fourth in the table with three games left. "
    "Elsewhere, MK Dons beat Bristol City to go top of the league. "
    "Their manager said the squad had never played better. "
    "Fans in Milton Keynes celebrated long into the night."
)
SPLICED = "Derby County beat Bristol City to go fourth in the table."
BACKED = "Derby County lost 2-0 at home to Preston on Saturday."

SPLICED_BRIEF = {
    "headline": "Derby County lose at home to Preston",
    "dateline": {"place": None, "date": None, "outlet": None},
    "summary": "Derby County lost 2-0 at home to Preston on Saturday.",
    "key_takeaways": [BACKED, SPLICED],
    "entities": [],
    "quotes": [],
    "sources": [],
    "what_to_watch": [],
    "topics": ["football"],
}
SPLICED_JSON = json.dumps(SPLICED_BRIEF)
FIXED_BRIEF = SPLICED_BRIEF | {"key_takeaways": [BACKED]}
