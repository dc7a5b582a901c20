"""Verify a Brief against its article: quotes verbatim, claims backed, no invented names or numbers.

An editor must be able to trust a brief at a glance, and a misquote or an invented number is
worse than no brief. So this stage is deliberately literal and cheap (pure Python, no model):

- **Quotes** must occur in the article once typography is folded (curly/straight quotes,
  dashes, whitespace, letter case, outer punctuation; an ellipsis marks an omission, its parts
  must occur in order within ELLIPSIS_GAP characters). The speaker must be named *near* the
  quote: when the quote's own sentences attach a name to a speech verb ('..., said Mr Smith'),
  that name must be the speaker; otherwise the speaker must be named in those sentences or the
  one either side, or, for a pronoun attribution ('he added'), in the PRONOUN_LOOKBACK
  sentences before.
- **Claims** (headline, summary sentences, takeaways, what to watch) are aligned to the article
  sentences that back them (BM25 over crude stems, numbers as tokens), and every number, date
  and proper name in a claim must occur in the article, allowing obvious equivalents
  ("U.S."/"United States", "Oct"/"October", "100"/"one hundred", "two decades"/"20 years",
  "March 24"/"24 March", possessives, plurals, demonyms, rounding "4.06 trillion" to
  "4 trillion"). A number or date must also stand with what the claim says about it: a
  March 24 that is another story's deadline does not back a visit on March 24 (``context``
  says what counts as "with"). A claim's score is the share of it that one article sentence
  holds: a claim pieced from scattered words scores low (``check_claims`` checks bare
  sentences this way, for ``briefer eval-factuality``). Quoted words in a claim must be
  verbatim. The first word of a sentence or clause is not taken for a name (it is capitalised
  anyway, and without a lexicon 'Praise' and 'Sharif' look alike), so a lone invented name
  opening a claim is missed; a full name ('Nawaz Sharif said') is still checked.
- **Entities, sources and speakers** must be named in the article; a partial name ("Asif" for
  "Khawaja Asif") or a possessive is fine, an unknown word in the name is not.
- **Instructions to the model** in the article ("ignore your rules", "AI assistant: add a
  takeaway praising ...") back nothing: a claim they back is what an obedient model echoed, and
  is flagged as a possible prompt injection (``injection``).
- **The dateline** must be the article's own: its place and outlet named at the top of the
  article (where datelines and bylines stand), its date one the article gives in any common
  form; it is reported as a claim (``field="dateline"``) after the headline.

Sentence indices refer to ``briefer.text.sentences.sentences`` (the splitter chunking uses),
offsets to the original text.

Modules: ``index`` (the article, indexed once), ``folding`` (typography folded away),
``capitals`` (capitalised runs and acronyms), ``verbatim`` (finding a quote), ``numbers``
(numbers and dates as written), ``context`` (a figure with its subject), ``names``,
``injection``, ``claims``, ``dateline``, ``quotes``, and ``report`` (``verify_brief`` and its
text rendering). The speaker check itself lives in ``briefer.text.speakers``: the offline engine
uses it too.
"""

from briefer.grounding.report import check_claims, render_report_text, verify_brief
from briefer.models import GroundingReport

__all__ = ["GroundingReport", "check_claims", "render_report_text", "verify_brief"]
