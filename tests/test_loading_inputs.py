"""What a batch reads: every file, folder, glob and feed line becomes one item with a safe,
unique id; a line or file that cannot be used becomes an item that says why, with its line."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from support.local_web import PAGE, SEED, Reply, serving

from briefer.errors import InputError
from briefer.loading.inputs import BatchItem, UniqueIds, iter_items, safe_id


def write(path: Path, text: str = SEED) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def feed(path: Path, *lines: object) -> Path:
    rows = (line if isinstance(line, str) else json.dumps(line) for line in lines)
    return write(path, "".join(f"{row}\n" for row in rows))


def test_a_folder_gives_its_articles_recursively_named_by_their_relative_path(tmp_path: Path) -> None:
    write(tmp_path / "desk" / "b.txt")
    write(tmp_path / "desk" / "world" / "a.html", PAGE)
    write(tmp_path / "desk" / "notes.md")
    write(tmp_path / "desk" / "photo.jpg", "not an article")
    items = list(iter_items([str(tmp_path / "desk")]))
    assert [item.id for item in items] == ["b", "notes", "world_a"]
    assert all(item.problem is None for item in items)
    assert items[2].load().title == "Pakistan warns the Taliban"


def test_globs_pick_articles_and_feeds(tmp_path: Path) -> None:
    write(tmp_path / "one.txt")
    write(tmp_path / "deep" / "two.md")
    write(tmp_path / "skip.csv", "a,b")
    feed(tmp_path / "deep" / "wire.jsonl", {"id": "wire-1", "text": SEED})
    items = list(iter_items([str(tmp_path / "**" / "*.*")]))
    assert sorted(item.id for item in items) == ["one", "two", "wire-1"]


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("../../etc/passwd", "etc_passwd"),
        (".hidden", "hidden"),
        ("a story: part 1?", "a_story_part_1"),
        ("日本", "article"),
        ("", "article"),
        ("x" * 300, "x" * 120),
    ],
)
def test_ids_are_safe_file_names(raw: str, safe: str) -> None:
    assert safe_id(raw) == safe


def test_repeated_ids_are_numbered_ignoring_case_and_remembered() -> None:
    unique = UniqueIds()
    assert [unique(raw) for raw in ["a", "A", "a", "b/c", "b_c"]] == ["a", "A-2", "a-3", "b_c", "b_c-2"]
    assert unique.duplicates == ["A", "a", "b_c"]


def test_feed_lines_become_items_and_bad_lines_say_why_with_their_line_number(tmp_path: Path) -> None:
    source = feed(
        tmp_path / "wire.jsonl",
        {"id": "ok", "text": SEED, "title": "Warning"},
        "",
        "{not json",
        '["a list"]',
        {"id": "nothing"},
        {"id": "number", "text": 5},
        {"id": "ftp", "url": "ftp://example.com/story"},
        {"text": SEED},
    )
    items = {item.origin.rsplit(":", 1)[1]: item for item in iter_items([str(source)])}
    assert set(items) == {"1", "3", "4", "5", "6", "7", "8"}  # blank lines skipped, numbering kept
    assert items["1"].id == "ok" and items["1"].problem is None
    assert items["1"].load().title == "Warning"
    assert items["8"].id == "line-8" and items["8"].problem is None
    problems = {n: item.problem for n, item in items.items() if item.problem}
    assert problems == {
        "3": f"{source}:3: not JSON (Expecting property name enclosed in double quotes)",
        "4": f"{source}:4: not a JSON object",
        "5": f'{source}:5: needs "text", "html" or "url"',
        "6": f"{source}:6: text must be a string",
        "7": f"{source}:7: url must start with http:// or https://",
    }
    with pytest.raises(InputError, match=f"^{source}:4: not a JSON object$"):
        items["4"].load()


def test_stdin_is_read_as_a_feed() -> None:
    stdin = io.StringIO(json.dumps({"id": "s1", "html": PAGE}) + "\n" + json.dumps({"text": SEED}) + "\n")
    items = list(iter_items(["-"], stdin=stdin))
    assert [(item.id, item.origin) for item in items] == [("s1", "stdin:1"), ("line-2", "stdin:2")]
    assert "Cookie settings" not in items[0].load().text


def test_ids_stay_unique_across_specs_and_missing_paths_are_items_too(tmp_path: Path) -> None:
    write(tmp_path / "a" / "story.txt")
    write(tmp_path / "b" / "story.txt")
    unique = UniqueIds()
    specs = [str(tmp_path / "a"), str(tmp_path / "b"), str(tmp_path / "gone.txt")]
    items = list(iter_items(specs, unique=unique))
    assert [item.id for item in items] == ["story", "story-2", "gone"]
    assert unique.duplicates == ["story"]
    assert items[2].problem == f"{tmp_path / 'gone.txt'}: no such file or directory"


def test_a_short_article_fails_when_loaded_naming_its_line(tmp_path: Path) -> None:
    source = feed(tmp_path / "wire.jsonl", {"id": "short", "text": "Too short."})
    (item,) = iter_items([str(source)])
    with pytest.raises(InputError, match=f"^{source}:1: input has fewer than 5 words"):
        item.load()


def test_feed_urls_reach_private_addresses_only_when_allowed(tmp_path: Path) -> None:
    with serving({"/story": Reply(200, PAGE, "text/html")}) as site:
        source = feed(tmp_path / "wire.jsonl", {"id": "web", "url": site.url("/story"), "title": "Asif"})
        (item,) = iter_items([str(source)])
        with pytest.raises(InputError, match="refusing to fetch"):
            item.load()
        (trusted,) = iter_items([str(source)], allow_private=True)
        article = trusted.load()
    assert article.source == site.url("/story") and article.title == "Asif"
    assert "Khawaja Asif" in article.text


def test_items_built_by_hand_load_like_feed_lines() -> None:
    """``evaluate`` builds items from its own rows; they go through the same checks."""
    item = BatchItem(id="row-1", origin="row-1", text=f"  {SEED}  ", title="Warning")
    article = item.load()
    assert (article.text, article.title, article.source) == (SEED.strip(), "Warning", "row-1")


def test_a_feed_line_nested_too_deeply_is_a_problem_of_its_own(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"text": ' + "[" * 100_000 + "\n" + json.dumps({"text": SEED}) + "\n")
    first, second = iter_items([str(feed)])
    assert first.problem == f"{feed}:1: not JSON (nested too deeply)"
    assert second.problem is None and second.load().text == SEED.strip()


def test_stdin_bytes_that_are_not_utf8_are_read_whatever_the_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """A strict UTF-8 stdin would raise on the stray byte and end the run; the feed line reads it as U+FFFD."""
    line = json.dumps({"id": "s", "text": SEED}).encode().replace(b"Pakistan", b"Pak\xffistan", 1)
    monkeypatch.setattr(
        "sys.stdin", io.TextIOWrapper(io.BytesIO(line + b"\n"), encoding="utf-8", errors="strict")
    )
    [item] = iter_items(["-"])
    assert "Pak\ufffdistan" in item.load().text
