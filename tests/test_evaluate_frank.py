"""briefer/evaluate/frank.py: FRANK-format rows, bad lines collected, tokenised summaries made readable."""

import json
from pathlib import Path

import pytest

from briefer.errors import InputError
from briefer.evaluate.frank import article_casing, load_judged, readable

SAMPLE = Path(__file__).parent / "data" / "frank_sample.jsonl"


def test_sample_loads_with_every_summary_judged() -> None:
    judged = load_judged(SAMPLE)
    assert [a.dataset for a in judged.articles] == ["cnndm", "cnndm", "bbc", "bbc"]
    s2s = judged.articles[1].summaries[-1]
    assert (s2s.system, s2s.consistent, s2s.errors) == ("s2s", False, ["GramE", "CorefE"])
    assert "FactCC" in s2s.published_metrics and not judged.bad_lines


def test_bad_lines_are_reported_with_their_number(tmp_path: Path) -> None:
    good = SAMPLE.read_text().splitlines()[0]
    bad = json.loads(good)
    bad["summaries"][0]["factuality"] = 2
    path = tmp_path / "judged.jsonl"
    path.write_text("\n".join([good, "{", json.dumps(bad)]) + "\n")
    judged = load_judged(path)
    assert len(judged.articles) == 1
    assert [(b.line, b.error[:8]) for b in judged.bad_lines] == [(2, "not JSON"), (3, "'factual")]


def test_a_file_with_no_valid_article_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "judged.jsonl"
    path.write_text('{"id": "x"}\n')
    with pytest.raises(InputError, match="no valid articles; line 1"):
        load_judged(path)


def test_tokenised_lower_case_reads_as_written_with_the_articles_case() -> None:
    casing = article_casing(
        "Gary Locke will join Kilmarnock. Locke said the club's fans -- and Hearts -- cheered."
    )
    text = "gary locke will be kilmarnock 's manager -lrb- on friday -rrb- , he said `` great '' ."
    assert readable(text, casing) == 'Gary Locke will be Kilmarnock\'s manager (on friday), he said "great".'


def test_a_cased_sentence_keeps_its_case_and_loses_the_tokenisation() -> None:
    assert (
        readable("NASA is n't talking about `` aliens '' .", {"nasa": "nasa"})
        == 'NASA isn\'t talking about "aliens".'
    )


def test_the_unknown_word_token_does_not_make_a_sentence_cased() -> None:
    assert readable("UNK met gary locke .", {"gary": "Gary", "locke": "Locke"}) == "UNK met Gary Locke."
