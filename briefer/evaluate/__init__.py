"""ROUGE evaluation against human-written highlights, with baselines scored in the same run.

Every claim about summary quality should be reproducible with one command. The engine under
test and the Lead-k, LexRank-k and TextRank-k baselines therefore see the same articles and
the same scorer (rouge-score, stemmed, ROUGE-Lsum over one sentence per line), and the
baselines pick from the body sentences the offline engine itself works on
(``briefer.text.layout``: "(CNN)" datelines, Daily Mail bylines and page furniture removed,
``briefer.text.sentences`` segmentation), so the table compares systems, not set-ups.

Next to ROUGE, every brief is scored field by field (``fields``): highlight names among its
entities, entity kinds and topics against a reference tagger (``reference``, spaCy when
installed), takeaways that open with a pronoun, quotes verbatim with their speaker. Briefs made
elsewhere are scored the same way (``briefs``).

Rows are JSON objects, one a line: ``{"id", "text", "highlights": [...], "title"?}`` — the format
of the CNN/DailyMail and BBC samples. A row with a ``title`` whose text starts with it (BBC) is
split into title and body: every system sees the body and Lead-k really is the first k body
sentences; the engine also gets the title as the article's metadata.
"""

from briefer.evaluate.baselines import article_sentences, lead, lexrank, rouge, textrank
from briefer.evaluate.briefs import BriefFile, load_briefs
from briefer.evaluate.data import BadLine, Dataset, EvalRow, load_rows
from briefer.evaluate.fields import FieldScores, highlight_names, name_found, opens_with_pronoun
from briefer.evaluate.run import (
    EvalReport,
    SystemScore,
    engine_label,
    estimate_cost,
    evaluate,
    run_eval,
)
from briefer.evaluate.tables import render_fields, render_json, render_reading, render_table

__all__ = [
    "BadLine",
    "BriefFile",
    "Dataset",
    "EvalReport",
    "EvalRow",
    "FieldScores",
    "SystemScore",
    "article_sentences",
    "engine_label",
    "estimate_cost",
    "evaluate",
    "highlight_names",
    "lead",
    "lexrank",
    "load_briefs",
    "load_rows",
    "name_found",
    "opens_with_pronoun",
    "render_fields",
    "render_json",
    "render_reading",
    "render_table",
    "rouge",
    "run_eval",
    "textrank",
]
