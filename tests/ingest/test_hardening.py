"""The probes of the hardening pass (issue 14) that found ingest defects, kept as tests: names that
collided on chunk ids, deep nesting, any failure inside one file, links out of the corpus, special files,
size limits, stray pointer files, the shared stemmer, and quadratic parsing.

Parsing-speed probes are bounded, not timed: each input took minutes before its fix (the figure is in
the test) and takes seconds now; the bound only says "not quadratic any more"."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from ingest import parsing
from ingest.chunking import document_id
from ingest.discovery import FileLimits
from ingest.errors import DocumentError
from ingest.loaders import load_document
from ingest.normalize import normalize_text
from ingest.pipeline import parse_file, sync
from ingest.store import IndexHandle, index_root
from ingest.structure import BlockKind, parse_blocks
from ingest.textutil import split_sentences, stem
from tests.support.fakes import HashingEmbedder

BODY = "Notes\n\nThe {city} delegation visited the harbour on {day} May and signed the agreement.\n"
BOUND_SECONDS = 90  # a hang guard: every input below takes a few seconds now, and minutes before


def ingest(data: Path, *paths: Path, limits: FileLimits | None = None) -> tuple[object, IndexHandle]:
    report = sync(data, list(paths), HashingEmbedder, limits=limits)
    return report, IndexHandle(data)


def failures(report: object) -> dict[str, str]:
    return {Path(failed.path).name: failed.error for failed in report.files_failed}  # type: ignore[attr-defined]


def indexed(report: object) -> list[str]:
    return sorted(Path(path).name for path in report.files_indexed)  # type: ignore[attr-defined]


# --- item 1: one file never aborts an ingest -------------------------------------------------------

COLLIDING_NAMES = [
    "Notes.txt",
    "notes.txt",
    "call 2024.txt",
    "call-2024.txt",
    "通知.txt",
    "公告.txt",
    "صفحة.txt",
]


def test_names_differing_only_in_case_punctuation_or_script_get_distinct_ids(
    tmp_path: Path, isolated_env: Path
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for day, name in enumerate(COLLIDING_NAMES, start=1):
        (corpus / name).write_text(BODY.format(city=f"City{day}", day=day), encoding="utf-8")
    report, handle = ingest(isolated_env, corpus)
    assert failures(report) == {}
    assert indexed(report) == sorted(COLLIDING_NAMES)
    snapshot = handle.get()
    assert sorted(snapshot.documents) == sorted(COLLIDING_NAMES)  # citations still name each file
    ids = {document_id(name) for name in COLLIDING_NAMES}
    assert len(ids) == len(COLLIDING_NAMES)
    for chunk in snapshot.chunks.values():
        assert chunk.id.startswith(f"{document_id(chunk.source)}:")
        assert f"City{COLLIDING_NAMES.index(chunk.source) + 1} delegation" in chunk.text


def test_document_ids_are_url_safe_and_readable() -> None:
    assert document_id("IUC Call 2024.pdf").startswith("iuc-call-2024-pdf-")
    assert document_id("Malmö notes.txt").startswith("malmo-notes-txt-")
    assert document_id("通知.txt").startswith("txt-")
    assert document_id("...").startswith("document-")
    for name in COLLIDING_NAMES:
        identifier = document_id(name)
        assert identifier == document_id(name)  # stable
        assert set(identifier) <= set("abcdefghijklmnopqrstuvwxyz0123456789-")


def nested_html(depth: int, tag: str = "div") -> str:
    return f"<html><body>{f'<{tag}>' * depth}<p>Deep text survives.</p>{f'</{tag}>' * depth}</body></html>"


@pytest.mark.parametrize("depth", [500, 5_000])
@pytest.mark.parametrize("tag", ["div", "span", "li", "b"])
def test_deeply_nested_html_is_read_without_recursion(tmp_path: Path, depth: int, tag: str) -> None:
    path = tmp_path / "deep.html"
    html = nested_html(depth, tag)
    if tag == "li":
        html = html.replace("<li>", "<ul><li>").replace("</li>", "</li></ul>")
    path.write_text(html, encoding="utf-8")
    document = load_document(path)
    assert "Deep text survives." in document.pages[0].text


def test_a_deep_html_file_fails_nothing_and_indexes(tmp_path: Path, isolated_env: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "deep.html").write_text(nested_html(500), encoding="utf-8")
    (corpus / "notes.txt").write_text(BODY.format(city="Porto", day=3), encoding="utf-8")
    report, handle = ingest(isolated_env, corpus)
    assert failures(report) == {}
    assert indexed(report) == ["deep.html", "notes.txt"]
    assert any("Deep text survives." in chunk.text for chunk in handle.get().chunks.values())


def test_a_deeply_nested_rules_file_fails_alone(tmp_path: Path, isolated_env: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "notes.txt").write_text(BODY.format(city="Porto", day=3), encoding="utf-8")
    (corpus / "deep.rules.yaml").write_text("rulesets: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    report, _ = ingest(isolated_env, corpus)
    assert indexed(report) == ["notes.txt"]
    assert failures(report) == {"deep.rules.yaml": "not a rules file: nested too deeply to read"}


def test_any_exception_inside_one_file_fails_that_file_only(
    tmp_path: Path, isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A parser bug nobody has found yet stands in for every exception a file might raise.
    real_classify = parsing.classify

    def classify(path: Path, text: str, declared: str | None) -> object:
        if path.name == "broken.txt":
            raise ValueError("a parser bug")
        return real_classify(path, text, declared)

    monkeypatch.setattr(parsing, "classify", classify)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "broken.txt").write_text(BODY.format(city="Lyon", day=2), encoding="utf-8")
    (corpus / "notes.txt").write_text(BODY.format(city="Porto", day=3), encoding="utf-8")
    report, handle = ingest(isolated_env, corpus)
    assert indexed(report) == ["notes.txt"]
    assert failures(report) == {"broken.txt": "could not be read (ValueError: a parser bug)"}
    assert sorted(handle.get().documents) == ["notes.txt"]


def test_text_no_writer_accepts_fails_its_file_not_the_index(tmp_path: Path, isolated_env: Path) -> None:
    # Lone surrogates (some PDFs' titles and text carry them) are replaced; the index is written.
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "notes.txt").write_text(BODY.format(city="Porto", day=3), encoding="utf-8")
    assert "\ufffd" in normalize_text("broken \udc80 text")
    report, handle = ingest(isolated_env, corpus)
    assert failures(report) == {}
    assert handle.get().documents


# --- item 3: links never read outside the folder being synced --------------------------------------


def test_a_link_out_of_the_corpus_is_not_followed(tmp_path: Path, isolated_env: Path) -> None:
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    (tmp_path / "outside" / "folder").mkdir()
    (tmp_path / "outside" / "folder" / "more.txt").write_text("root:x:0:0 again\n", encoding="utf-8")
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "notes.txt").write_text(BODY.format(city="Porto", day=3), encoding="utf-8")
    (corpus / "passwd.txt").symlink_to(secret)
    (corpus / "sub" / "relative.txt").symlink_to(Path("..") / ".." / "outside" / "secret.txt")
    (corpus / "linked-folder").symlink_to(tmp_path / "outside" / "folder")
    (corpus / "inside.txt").symlink_to(corpus / "notes.txt")  # stays inside: read like its target
    (corpus / "chain.txt").symlink_to(corpus / "inside.txt")
    (corpus / "loop.txt").symlink_to(corpus / "loop.txt")
    (corpus / "notes.txt.meta.json").write_text('{"title": "Harbour notes"}', encoding="utf-8")
    (corpus / "inside.txt.meta.json").symlink_to(tmp_path / "outside" / "secret.txt")

    report, handle = ingest(isolated_env, corpus)
    failed = failures(report)
    outside = "a link that leads outside the folder being synced; such links are not followed"
    assert failed["passwd.txt"] == outside
    assert failed["relative.txt"] == outside
    assert failed["linked-folder"] == outside
    assert failed["inside.txt.meta.json"] == outside
    assert (
        failed["inside.txt"]
        == "its metadata file inside.txt.meta.json is a link that leads outside the folder"
    )
    assert "loop.txt" in failed
    assert indexed(report) == ["chain.txt", "notes.txt"]
    snapshot = handle.get()
    assert "root:x" not in "\n".join(chunk.text for chunk in snapshot.chunks.values())
    assert snapshot.documents["notes.txt"].title == "Harbour notes"


def test_special_files_and_undecodable_names_are_refused_unread(tmp_path: Path, isolated_env: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "notes.txt").write_text(BODY.format(city="Porto", day=3), encoding="utf-8")
    os.mkfifo(corpus / "pipe.txt")  # reading it would block the ingest for ever
    bad_name = os.fsencode(corpus) + b"/caf\xe9.txt"
    Path(os.fsdecode(bad_name)).write_bytes(BODY.format(city="Lyon", day=4).encode())
    report, _ = ingest(isolated_env, corpus)
    assert indexed(report) == ["notes.txt"]
    failed = {Path(f.path).name: f.error for f in report.files_failed}  # type: ignore[attr-defined]
    assert failed["pipe.txt"] == "not a regular file (a device, pipe or socket)"
    assert failed[os.fsdecode(b"caf\xe9.txt")] == "the file name is not valid UTF-8; rename the file"


# --- item 6: limits on one file's work ---------------------------------------------------------------


def test_a_file_over_the_size_limit_fails_with_the_limit_named(tmp_path: Path, isolated_env: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "notes.txt").write_text(BODY.format(city="Porto", day=3), encoding="utf-8")
    (corpus / "huge.txt").write_text("Huge\n\n" + "The harbour is large. " * 60_000, encoding="utf-8")
    limits = FileLimits(max_file_bytes=1024 * 1024)
    report, _ = ingest(isolated_env, corpus, limits=limits)
    assert indexed(report) == ["notes.txt"]
    assert failures(report) == {
        "huge.txt": (
            "the file is 1.3 MB, over the limit of 1.0 MB for one file (ASSISTANT_INGEST__MAX_FILE_BYTES)"
        )
    }
    # a file given on its own is held to the same limit
    again, _ = ingest(isolated_env, corpus / "huge.txt", limits=limits)
    assert "over the limit of 1.0 MB" in failures(again)["huge.txt"]


def test_text_over_the_text_limit_fails(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("Long\n\n" + "Words of the harbour. " * 1000, encoding="utf-8")
    with pytest.raises(DocumentError, match=r"over the limit of 10,000 .*ASSISTANT_INGEST__MAX_TEXT_CHARS"):
        parse_file(path, "sha", None, FileLimits(max_text_chars=10_000))


# --- item 14: stray pointer files ---------------------------------------------------------------------


def test_stray_pointer_files_are_cleaned_on_the_next_sync(tmp_path: Path, isolated_env: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "notes.txt").write_text(BODY.format(city="Porto", day=3), encoding="utf-8")
    ingest(isolated_env, corpus)
    stray = [index_root(isolated_env) / f"CURRENT.{n}abc.tmp" for n in range(3)]
    for path in stray:
        path.write_text("gen-crashed", encoding="utf-8")
    ingest(isolated_env, corpus)
    assert not [path for path in stray if path.exists()]
    assert (index_root(isolated_env) / "CURRENT").exists()


# --- item 4: the stemmer under threads ---------------------------------------------------------------

_PARTS = ["organ", "connect", "cooper", "nation", "partner", "generat", "sustain", "harbour", "develop"]
_ENDINGS = ["", "s", "ing", "ed", "ation", "ations", "al", "ally", "ness", "ment", "ments", "ise", "ised"]


def test_stems_are_right_when_many_threads_stem_at_once() -> None:
    words = [f"{a}{b}{ending}" for a in _PARTS for b in _PARTS for ending in _ENDINGS]
    uncached = stem.__wrapped__  # the stemmer itself, not the cache in front of it
    expected = [uncached(word) for word in words]
    wrong: list[tuple[str, str]] = []
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def worker(offset: int) -> None:
        start.wait()
        try:
            for _ in range(3):
                for index in range(len(words)):
                    position = (index + offset * 131) % len(words)
                    got = uncached(words[position])
                    if got != expected[position]:
                        wrong.append((words[position], got))
        except BaseException as error:  # an IndexError is what the shared stemmer raised
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(offset,)) for offset in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert wrong == []


# --- item 6: parsing is linear -----------------------------------------------------------------------


def finishes(work: Callable[[], object], seconds: float = BOUND_SECONDS) -> object:
    """Run ``work`` in a thread; fail if it has not finished within the bound."""
    result: list[object] = []
    thread = threading.Thread(target=lambda: result.append(work()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still parsing after {seconds} s: quadratic again?"
    return result[0]


def test_200000_short_lines_parse_in_linear_time() -> None:
    # Before: 317 s (402 s on a loaded 2-core machine), each line copied the rest of the file.
    text = "\n".join(f"Line {number}" for number in range(200_000))
    blocks = finishes(lambda: parse_blocks(text))
    assert isinstance(blocks, list) and len(blocks) == 200_000
    assert blocks[-1].kind is BlockKind.PARAGRAPH  # the last line introduces nothing: not a heading


def test_200000_wrapped_lines_join_in_linear_time() -> None:
    text = "Start of a paragraph\n" + "\n".join(f"word {number}" for number in range(200_000))
    joined = finishes(lambda: normalize_text(text))
    assert isinstance(joined, str) and "\n" not in joined and joined.endswith("word 199999")


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("one long word", "Token " + "Ab0" * 200_000),  # before: 8 s at a tenth of this
        ("unclosed emphasis", "Text " + " ".join("**a" for _ in range(50_000))),  # before: 89 s
        ("unclosed links", "Text " + "[a](b " * 50_000),
        ("abbreviations", "Note " + " ".join("e.g. Xy" for _ in range(100_000)) + "."),
        ("one long markdown heading", "# " + "#" * 200_000 + "x"),
    ],
)
def test_hostile_lines_parse_in_linear_time(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / "hostile.md"
    path.write_text(text, encoding="utf-8")
    parsed = finishes(lambda: parse_file(path, "sha", None))
    assert parsed.chunks  # type: ignore[attr-defined]


def test_a_sentence_longer_than_a_chunk_is_cut_between_words() -> None:
    text = "Start " + " ".join(f"word{number}" for number in range(2000))
    assert len(split_sentences(text)) == 1
    from ingest.chunking import MAX_CHUNK_CHARS, chunk_document
    from ingest.models import DocumentMeta

    chunks = chunk_document(DocumentMeta(source="s.txt", title="S"), parse_blocks(text)).chunks
    assert len(chunks) > 1
    assert all(len(chunk.text) <= MAX_CHUNK_CHARS for chunk in chunks)
    assert " ".join(chunk.text for chunk in chunks) == text
