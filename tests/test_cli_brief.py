"""One article at a time (briefer/cli/brief.py): brief, verify, tokens, schema.

Grounding where users meet it: ⚠ marks in the brief, --strict, the repair round, `briefer verify`.
"""

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support import hostile
from support.hostile import PROPERTY
from support.openai_server import OpenAIServer, ok
from support.openai_server import hostile as hostile_answer
from support.statement_cases import DERBY, SPLICED, SPLICED_JSON
from typer.testing import CliRunner

import briefer
from briefer.cli import app
from briefer.models import BriefResult

SEED = str(Path(__file__).parents[1] / "seeds" / "pakistan-taliban-warning.txt")
SEED_PATH = Path(SEED)


def test_brief_writes_the_result_to_out_and_says_where(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "story.json"
    result = runner.invoke(app, ["brief", SEED, "--engine", "extractive", "-f", "json", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "" and f"briefer: wrote {out}" in result.stderr
    assert BriefResult.model_validate_json(out.read_text()).provenance.engine == "extractive"


def test_tokens_prints_exact_counts_and_a_total(runner: CliRunner, tmp_path: Path) -> None:
    other = tmp_path / "b.txt"
    other.write_text("Five words are right here.")
    result = runner.invoke(app, ["tokens", SEED, str(other)])
    assert result.exit_code == 0, result.stderr
    lines = [line.split() for line in result.stdout.splitlines()]
    assert lines == [["736", SEED], ["6", str(other)], ["742", "total"]]


def test_tokens_json_names_model_and_encoding(runner: CliRunner) -> None:
    result = runner.invoke(app, ["tokens", SEED, "-m", "gpt-4", "--format", "json"])
    payload = json.loads(result.stdout)
    assert payload["encoding"] == "cl100k_base" and payload["inputs"] == [{"input": SEED, "tokens": 740}]


def test_tokens_says_when_it_counts_with_a_stand_in_tokenizer(runner: CliRunner) -> None:
    llama = runner.invoke(app, ["tokens", SEED, "-m", "llama3.1"])
    assert llama.exit_code == 0 and llama.stdout.split() == ["736", SEED]
    assert "llama3.1: tokenizer not known here; counted with o200k_base as a stand-in" in llama.stderr
    assert json.loads(runner.invoke(app, ["tokens", SEED, "-m", "llama3.1", "-f", "json"]).stdout)["stand_in"]
    gpt = runner.invoke(app, ["tokens", SEED, "-m", "gpt-4o", "-f", "json"])
    assert "stand-in" not in gpt.stderr and json.loads(gpt.stdout)["stand_in"] is False


def test_markdown_is_rendered_at_a_terminal_and_exact_when_piped(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    piped = runner.invoke(app, ["brief", SEED, "--engine", "extractive"])
    assert "\\[Khawaja Asif\\] emphasized" in piped.stdout and piped.stdout.startswith("# ")
    monkeypatch.setattr("briefer.cli.command.stdout_is_terminal", lambda: True)
    shown = runner.invoke(app, ["brief", SEED, "--engine", "extractive"])
    assert shown.exit_code == 0, shown.stderr
    assert "[Khawaja Asif] emphasized" in " ".join(shown.stdout.split())
    assert "\\[" not in shown.stdout and "## Key Takeaways" not in shown.stdout


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--version"])
    assert (result.exit_code, result.stdout) == (0, f"briefer {briefer.__version__}\n")


def test_tokens_counts_for_the_model_briefer_would_use(
    runner: CliRunner, env_clean: pytest.MonkeyPatch
) -> None:
    env_clean.setenv("BRIEFER_MODEL", "gpt-4")
    payload = json.loads(runner.invoke(app, ["tokens", SEED, "--format", "json"]).stdout)
    assert (payload["model"], payload["encoding"]) == ("gpt-4", "cl100k_base")


def test_tokens_reads_stdin(runner: CliRunner) -> None:
    result = runner.invoke(app, ["tokens", "-"], input=Path(SEED).read_text())
    assert result.stdout.split() == ["736", "-"]


def test_schema_is_the_brief_result_json_schema(runner: CliRunner) -> None:
    schema = json.loads(runner.invoke(app, ["schema"]).stdout)
    assert schema == BriefResult.model_json_schema()
    brief_schema = json.loads(runner.invoke(app, ["schema", "--of", "brief"]).stdout)
    assert "key_takeaways" in brief_schema["properties"]


# A brief the article does not back (90,000 troops): what the grounding tests below brief.
CARELESS = {
    "headline": "Pakistan warns the Afghan Taliban",
    "dateline": {"place": "Islamabad", "date": "Oct 29", "outlet": "NationPress"},
    "summary": "Pakistan's Defence Minister Khawaja Asif warned the Afghan Taliban.",
    "key_takeaways": ["Pakistan has moved 90,000 troops to the Afghan border.", "Talks in Istanbul failed."],
    "entities": [],
    "quotes": [],
    "sources": ["Geo News"],
    "what_to_watch": [],
    "topics": ["pakistan"],
}
FIXED = CARELESS | {"key_takeaways": ["Talks in Istanbul failed."]}
CARELESS_JSON = json.dumps(CARELESS)


@pytest.fixture
def llm_runner(env_clean, fresh_engine_state) -> CliRunner:
    env_clean.setenv("OPENAI_API_KEY", "sk-test")
    env_clean.setenv("BRIEFER_ENGINE", "openai")  # auto would pick the hybrid for a local server
    return CliRunner()


def brief(runner: CliRunner, server: OpenAIServer, *extra: str):
    return runner.invoke(app, ["brief", str(SEED_PATH), "--base-url", server.base_url, *extra])


def test_flagged_items_are_marked_in_markdown_and_strict_exits_3(llm_runner: CliRunner) -> None:
    with OpenAIServer(ok(json.dumps(CARELESS))) as server:
        result = brief(llm_runner, server, "--no-repair", "--strict")
    assert result.exit_code == 3
    line = next(line for line in result.stdout.splitlines() if "90,000" in line)
    assert "⚠" in line and "90,000" in line.split("⚠", 1)[1], "the mark names the unsupported number"
    assert "item(s) need checking" in result.stdout
    assert "not backed by the article" in result.stderr


def test_without_strict_flags_warn_but_exit_0(llm_runner: CliRunner) -> None:
    with OpenAIServer(ok(json.dumps(CARELESS))) as server:
        result = brief(llm_runner, server, "--no-repair", "-f", "json")
    assert result.exit_code == 0
    report = json.loads(result.stdout)["grounding"]
    assert report["ok"] is False and any("90,000" in c["unsupported_terms"] for c in report["claims"])


def test_the_repair_round_fixes_what_it_can_and_strict_passes(llm_runner: CliRunner) -> None:
    with OpenAIServer(ok(json.dumps(CARELESS)), ok(json.dumps(FIXED))) as server:
        result = brief(llm_runner, server, "--strict", "-f", "json")
        sent = server.completions
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["provenance"]["grounding_repairs"] == 1 and payload["grounding"]["ok"] is True
    assert len(sent) == 2 and "90,000" in sent[1].messages[1]["content"]


def test_a_repair_that_makes_things_worse_is_not_kept(llm_runner: CliRunner) -> None:
    worse = CARELESS | {"key_takeaways": ["Pakistan has moved 90,000 troops.", "Kabul fired 12 missiles."]}
    with OpenAIServer(ok(json.dumps(CARELESS)), ok(json.dumps(worse))) as server:
        result = brief(llm_runner, server, "-f", "json")
    payload = json.loads(result.stdout)
    assert payload["brief"]["key_takeaways"] == CARELESS["key_takeaways"]
    assert payload["provenance"]["grounding_repairs"] == 1, "the round is recorded even when not kept"


def test_a_repair_that_never_validates_leaves_the_brief_and_says_so(llm_runner: CliRunner) -> None:
    """The grounding repair and its own validation repair answer nothing valid: the brief before stands."""
    with OpenAIServer(ok(json.dumps(CARELESS)), ok('{"headline": 7}', times=2)) as server:
        result = brief(llm_runner, server, "-f", "json")
        sent = len(server.completions)
    assert (result.exit_code, sent) == (0, 3), result.stderr
    payload = json.loads(result.stdout)
    assert payload["brief"]["key_takeaways"] == CARELESS["key_takeaways"]
    (warning,) = payload["provenance"]["warnings"]
    assert warning.startswith(
        "the grounding repair's answer was not kept (the model's answer failed validation"
    )
    assert f"briefer: warning: {warning}\n" in result.stderr


def brief_derby(runner: CliRunner, tmp_path: Path, *extra: str) -> dict:
    """``briefer brief`` of the Derby story, the model's brief carrying a spliced claim, as JSON."""
    article = tmp_path / "derby.txt"
    article.write_text(DERBY)
    with OpenAIServer(ok(SPLICED_JSON)) as server:
        result = runner.invoke(
            app, ["brief", str(article), "--base-url", server.base_url, "--no-repair", "-f", "json", *extra]
        )
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_brief_statements_flags_a_spliced_claim_with_its_reason(
    llm_runner: CliRunner, tmp_path: Path
) -> None:
    plain = brief_derby(llm_runner, tmp_path)
    assert plain["grounding"]["ok"] is True, "off by default: every word of the claim is in the article"

    checked = brief_derby(llm_runner, tmp_path, "--statements")

    (flagged,) = [c for c in checked["grounding"]["claims"] if not c["supported"]]
    assert (flagged["field"], flagged["text"]) == ("key_takeaways", SPLICED)
    (reason,) = flagged["problems"]
    assert reason.startswith("likely not what the article says (") and "never in one sentence" in reason


def test_brief_statements_from_the_environment_and_no_statements_over_it(
    llm_runner: CliRunner, env_clean: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    env_clean.setenv("BRIEFER_STATEMENTS", "1")
    assert brief_derby(llm_runner, tmp_path)["grounding"]["ok"] is False
    assert brief_derby(llm_runner, tmp_path, "--no-statements")["grounding"]["ok"] is True


@pytest.fixture
def extractive_brief(tmp_path: Path) -> Path:
    result = briefer.brief(SEED_PATH.read_text(), engine="extractive")
    path = tmp_path / "seed.brief.json"
    path.write_text(result.model_dump_json())
    return path


def test_verify_passes_a_faithful_brief(extractive_brief: Path) -> None:
    result = CliRunner().invoke(app, ["verify", str(extractive_brief), str(SEED_PATH)])
    assert result.exit_code == 0, result.stdout
    assert result.stdout.startswith("grounding: OK")


def test_verify_flags_a_hand_edited_brief(extractive_brief: Path, tmp_path: Path) -> None:
    data = json.loads(extractive_brief.read_text())["brief"]  # a bare Brief, as another tool would write it
    data["quotes"][0]["text"] = data["quotes"][0]["text"].replace("treachery", "betrayal")
    data["key_takeaways"][0] = data["key_takeaways"][0] + " Sharif sent 5,000 soldiers to Kabul."
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(data))
    result = CliRunner().invoke(app, ["verify", str(edited), str(SEED_PATH), "--format", "json"])
    assert result.exit_code == 3
    report = json.loads(result.stdout)
    assert report["ok"] is False
    assert report["quotes"][0]["found"] is False
    assert (
        "5,000"
        in report["claims"][next(i for i, c in enumerate(report["claims"]) if c["field"] == "key_takeaways")][
            "unsupported_terms"
        ]
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not JSON"),
        ('{"headline": "x", "byline": "y"}', "not a brief"),
        ("{}", "not a brief"),
        ("[1, 2]", "not a brief"),
    ],
)
def test_verify_bad_input_exits_2(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "b.json"
    path.write_text(content)
    result = CliRunner().invoke(app, ["verify", str(path), str(SEED_PATH)])
    assert result.exit_code == 2 and message in result.stderr


def test_verify_checks_a_partial_brief_and_shows_each_flagged_item_whole(tmp_path: Path) -> None:
    takeaway = (
        "This warning to the Taliban follows a recent spike in tensions after Pakistani forces conducted "
        "cross-border operations into Afghanistan, with talks in Ankara failing on Friday."
    )
    partial = {
        "headline": "Pakistan warns the Taliban",
        "key_takeaways": [takeaway],
        "quotes": [
            {"speaker": "Khawaja Asif", "text": "We have endured your treachery and mockery for far too long"}
        ],
    }
    path = tmp_path / "partial.json"
    path.write_text(json.dumps(partial))
    result = CliRunner().invoke(app, ["verify", str(path), str(SEED_PATH)])
    assert result.exit_code == 3, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1] == "checked: headline, key_takeaways, quotes"
    assert (
        f"⚠ key_takeaways[0]: {takeaway.replace('Ankara', '»Ankara«').replace('Friday', '»Friday«')}" in lines
    )
    closest = next(line for line in lines if line.startswith("    article: "))
    assert '"We have endured your treachery and mockery for too long, but that ends now.' in closest
    report = json.loads(CliRunner().invoke(app, ["verify", str(path), str(SEED_PATH), "-f", "json"]).stdout)
    assert report["fields_checked"] == ["headline", "key_takeaways", "quotes"]


def test_verify_statements_flags_a_spliced_claim_with_its_reason(tmp_path: Path) -> None:
    article, brief = tmp_path / "derby.txt", tmp_path / "derby.json"
    article.write_text(DERBY)
    brief.write_text(json.dumps({"headline": "Derby County lose at home", "key_takeaways": [SPLICED]}))
    plain = CliRunner().invoke(app, ["verify", str(brief), str(article)])
    assert plain.exit_code == 0, plain.stdout
    checked = CliRunner().invoke(app, ["verify", str(brief), str(article), "--statements"])
    assert checked.exit_code == 3, checked.stdout
    lines = checked.stdout.splitlines()
    at = lines.index(f"⚠ key_takeaways[0]: {SPLICED}")
    assert lines[at + 1].startswith("    - likely not what the article says (")
    assert "never in one sentence" in lines[at + 1]
    report = json.loads(
        CliRunner().invoke(app, ["verify", str(brief), str(article), "--statements", "-f", "json"]).stdout
    )
    claim = next(c for c in report["claims"] if c["field"] == "key_takeaways")
    assert claim["supported"] is False and claim["risk"] > 0.5


def test_verify_reads_the_brief_from_stdin(extractive_brief: Path) -> None:
    result = CliRunner().invoke(app, ["verify", "-", str(SEED_PATH)], input=extractive_brief.read_text())
    assert result.exit_code == 0


def test_an_article_carrying_terminal_escapes_never_reaches_the_terminal_raw(runner: CliRunner) -> None:
    article = (
        "Officials in Kabul said on Monday that talks would resume.\x1b[2J The minister added "
        "\x1b]8;;http://evil.example\x1b\\a link\x1b]8;;\x1b\\ that talks are planned next week in Doha.\n"
    )
    for fmt in ("md", "text", "json"):
        result = runner.invoke(app, ["brief", "-", "--engine", "extractive", "-f", fmt], input=article)
        assert result.exit_code == 0, result.stderr
        assert "\x1b" not in result.stdout, fmt
    assert "␛[2J" in result.stdout or "\\u001b[2J" in result.stdout


def test_messages_on_stderr_show_control_characters_on_one_line(runner: CliRunner) -> None:
    result = runner.invoke(app, ["brief", "no\x1b[2Jsuch\nfile.txt"])
    assert result.exit_code == 2
    assert result.stderr == "briefer: error: no␛[2Jsuch file.txt: no such file\n"


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (
            hostile_answer("x" * 10_000_000),
            "the server's answer is 10,000,000 characters, far more than 1500 tokens",
        ),
        (hostile_answer("[" * 10_000 + "]" * 10_000), "recursion limit exceeded"),
        (
            hostile_answer(
                json.dumps(CARELESS), transform=lambda body: body.replace(b"Pakistan", b"Pak\xffistan", 1)
            ),
            "answered with a body that is not JSON in UTF-8",
        ),
    ],
    ids=["10MB", "nested-10000", "invalid-utf8"],
)
def test_a_hostile_answer_is_one_line_and_exit_1(llm_runner: CliRunner, answer, message: str) -> None:
    with OpenAIServer(default=answer) as server:
        result = brief(llm_runner, server)
    assert result.exit_code == 1 and result.stdout == ""
    said = [line for line in result.stderr.splitlines() if not line.startswith("briefer: step: ")]
    assert len(said) == 1 and message in said[0] and "internal error" not in result.stderr


def test_a_brief_carrying_html_and_terminal_escapes_is_rendered_harmlessly(llm_runner: CliRunner) -> None:
    from markdown_it import MarkdownIt

    tricks = "<script>alert(1)</script> \x1b[2J \x1b]8;;http://evil.example\x1b\\see\x1b]8;;\x1b\\ \x9b6n"
    answer = ok(json.dumps(FIXED | {"headline": "Pakistan warns " + tricks, "sources": [tricks]}))
    with OpenAIServer(default=answer) as server:
        shown = {fmt: brief(llm_runner, server, "--no-repair", "-f", fmt) for fmt in ("md", "text", "json")}
    for fmt, result in shown.items():
        assert result.exit_code == 0, result.stderr
        assert not {"\x1b", "\x9b", "\x07"} & set(result.stdout), fmt
    html = MarkdownIt("commonmark").render(shown["md"].stdout)
    assert "<script" not in html and "<a " not in html and "&lt;script&gt;" in html
    assert json.loads(shown["json"].stdout)["brief"]["sources"] == [tricks], "JSON keeps the exact strings"


# ---------------------------------------------------------------------------------------------
# Hostile input, property-based: whatever arrives, exit 0 or 2 with one line, never a traceback


@PROPERTY
@given(data=hostile.raw_bytes, fmt=st.sampled_from(["md", "text", "json"]))
def test_brief_of_any_bytes_on_stdin_is_a_brief_or_one_line(data: bytes, fmt: str) -> None:
    result = CliRunner().invoke(app, ["brief", "-", "--engine", "extractive", "-f", fmt], input=data)
    hostile.assert_clean_exit(result, {0, 2})


@PROPERTY
@given(brief=st.one_of(hostile.raw_bytes, hostile.json_values.map(lambda v: json.dumps(v).encode())))
def test_verify_of_any_brief_file_is_a_report_or_one_line(brief: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "brief.json"
        path.write_bytes(brief)
        result = CliRunner().invoke(app, ["verify", str(path), SEED])
    hostile.assert_clean_exit(result, {0, 2, 3})


@PROPERTY
@given(
    fields=st.dictionaries(
        st.sampled_from(["headline", "summary", "key_takeaways", "sources"]), hostile.texts
    )
)
def test_verify_of_a_brief_with_hostile_strings_shows_them_harmlessly(fields: dict[str, str]) -> None:
    """A brief a person or another tool wrote, its strings full of controls, checked against an article."""
    data = json.loads(CARELESS_JSON) | {
        k: [v] if k in ("key_takeaways", "sources") else v for k, v in fields.items()
    }
    for fmt in ("text", "json"):
        result = CliRunner().invoke(app, ["verify", "-", SEED, "--format", fmt], input=json.dumps(data))
        hostile.assert_clean_exit(result, {0, 2, 3})
