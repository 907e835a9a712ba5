"""The document library and background ingests through real HTTP (uvicorn on loopback, httpx): the list,
one document's text with its chunk anchors, uploads (checked, size-limited, stored under safe names),
removals, ingest jobs and their progress, and bad files that fail alone while the job ends done.

The service uses the hashing embedder over a private copy of the corpus, indexed by the fixture."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from assistant.faces.http.app import create_app
from assistant.service import AssistantService
from assistant.settings import Settings, get_settings
from assistant.wiring import build_service
from ingest.chunking import document_id
from tests.support.fakes import HashingEmbedder
from tests.support.http import assert_error, follow_job
from tests.support.servers import serve

ADMIN_KEY = "library-admin-key"
ADMIN = {"Authorization": f"Bearer {ADMIN_KEY}"}
CALL = "iuc-call-starting-city-to-city-cooperation.txt"
FACTSHEET = "iuc-city-to-city-initiative-factsheet.txt"
SUMMARY_KEYS = {
    "id",
    "source",
    "title",
    "programme",
    "kind",
    "edition",
    "years",
    "chunks",
    "indexed_at",
    "rules_active",
    "rules",
}
CHUNK_KEYS = {"id", "ordinal", "section", "page", "text", "is_table"}
LIGHTHOUSE = (
    "# Lighthouse twinning pilot\n\nThe Lighthouse Twinning Pilot pairs harbour cities that run historic "
    "lighthouses. Each partnership receives a grant of 7,500 euros for restoring lantern rooms.\n"
)


@dataclass
class Library:
    http: httpx.Client
    service: AssistantService
    corpus: Path
    settings: Settings

    def follow(self, accepted: httpx.Response) -> dict[str, Any]:
        return follow_job(lambda path: self.http.get(path, headers=ADMIN), accepted)

    def upload(self, name: str, data: bytes | str, **params: Any) -> httpx.Response:
        content = data.encode() if isinstance(data, str) else data
        return self.http.post(
            "/v1/admin/documents", files={"file": (name, content)}, params=params, headers=ADMIN
        )

    def listed(self) -> dict[str, dict[str, Any]]:
        response = self.http.get("/v1/documents")
        assert response.status_code == 200, response.text
        return {document["source"]: document for document in response.json()["documents"]}


@pytest.fixture
def make_library(
    corpus_copy: Path, isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., Library]]:
    """Start the app on loopback over the indexed corpus copy; ``env`` adds ASSISTANT_* variables."""
    stack: list[tuple[Any, AssistantService, httpx.Client]] = []

    def start(**env: str) -> Library:
        for name, value in {"ADMIN_KEY": ADMIN_KEY, "CORPUS_DIR": str(corpus_copy), **env}.items():
            monkeypatch.setenv(f"ASSISTANT_{name}", value)
        monkeypatch.setenv("ASSISTANT_RATE_LIMIT_PER_MINUTE", "0")
        settings = get_settings()
        service = build_service(settings, embedder_factory=HashingEmbedder)
        assert service.ingest().ok
        server = serve(create_app(settings, service))
        base = server.__enter__()
        http = httpx.Client(base_url=base, timeout=60)
        stack.append((server, service, http))
        return Library(http, service, corpus_copy, settings)

    yield start
    for server, service, http in stack:
        http.close()
        server.__exit__(None, None, None)
        service.close()


@pytest.fixture
def library(make_library: Callable[..., Library]) -> Library:
    return make_library()


# --- the list and one document's text (no key needed) --------------------------------------------


def test_documents_lists_every_indexed_document(library: Library) -> None:
    response = library.http.get("/v1/documents")
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"count", "generation", "documents"}
    assert body["generation"] == library.http.get("/readyz").json()["generation"]
    documents = {document["source"]: document for document in body["documents"]}
    assert body["count"] == len(documents) == 5
    snapshot = library.service.index.get()
    for source, document in documents.items():
        assert set(document) == SUMMARY_KEYS
        assert document["id"] == document_id(source)
        assert document["chunks"] == sum(1 for chunk in snapshot.chunks.values() if chunk.source == source)
        assert document["title"] == snapshot.documents[source].title
        assert datetime.fromisoformat(document["indexed_at"]).tzinfo is not None
    call = documents[CALL]
    assert (call["programme"], call["kind"], call["edition"]) == ("IUC", "call for applications", 2018)
    assert call["rules_active"] is True and call["rules"] == len(snapshot.rules) > 0
    assert documents[FACTSHEET]["rules_active"] is False and documents[FACTSHEET]["rules"] == 0


def test_a_document_is_served_in_order_and_opens_at_a_cited_passage(library: Library) -> None:
    answer = library.http.post("/v1/ask", json={"question": "Who can apply to the IUC programme?"}).json()
    citation = answer["citations"][0]
    document = citation["chunk_id"].rsplit(":", 1)[0]  # the contract the README states
    response = library.http.get(f"/v1/documents/{document}")
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"document", "chunks"}
    assert body["document"]["source"] == citation["source"]
    chunks = body["chunks"]
    assert [chunk["ordinal"] for chunk in chunks] == list(range(len(chunks)))
    assert all(set(chunk) == CHUNK_KEYS and chunk["id"].startswith(f"{document}:") for chunk in chunks)
    [cited] = [chunk for chunk in chunks if chunk["id"] == citation["chunk_id"]]
    assert " ".join(citation["quote"].split()) in " ".join(cited["text"].split())
    assert body["document"]["chunks"] == len(chunks)
    # also by file name, however it must be escaped in a URL
    by_name = library.http.get(f"/v1/documents/{quote(citation['source'])}")
    assert by_name.json() == body


def test_an_unknown_document_is_404(library: Library) -> None:
    assert_error(library.http.get("/v1/documents/no-such-document"), 404, "not_found", "no-such-document")
    assert_error(library.http.delete("/v1/admin/documents/nothing", headers=ADMIN), 404, "not_found")


# --- uploads -------------------------------------------------------------------------------------


def test_an_upload_is_stored_and_indexed_in_the_background(library: Library) -> None:
    accepted = library.upload("Lighthouse Note.md", LIGHTHOUSE)
    assert accepted.json()["kind"] == "upload" and accepted.json()["document"] == "Lighthouse Note.md"
    job = library.follow(accepted)
    assert (job["state"], job["error"]) == ("done", None)
    assert [Path(path).name for path in job["report"]["files_added"]] == ["Lighthouse Note.md"]
    assert (library.corpus / "Lighthouse Note.md").read_text(encoding="utf-8") == LIGHTHOUSE
    listed = library.listed()["Lighthouse Note.md"]
    assert listed["id"] == document_id("Lighthouse Note.md") and listed["chunks"] >= 1
    hits = library.http.get("/v1/search", params={"q": "lighthouse lantern rooms grant"}).json()["results"]
    assert hits[0]["source"] == "Lighthouse Note.md"
    jobs = library.http.get("/v1/admin/ingests", headers=ADMIN).json()
    assert jobs[0]["id"] == job["id"]  # newest first


def test_an_upload_of_an_existing_name_needs_replace(library: Library) -> None:
    assert library.follow(library.upload("lighthouse.md", LIGHTHOUSE))["state"] == "done"
    assert_error(library.upload("lighthouse.md", LIGHTHOUSE + "\nMore."), 409, "conflict", "replace=true")
    job = library.follow(
        library.upload("lighthouse.md", LIGHTHOUSE + "\nThe pilot ends in May.\n", replace="true")
    )
    assert [Path(path).name for path in job["report"]["files_changed"]] == ["lighthouse.md"]
    assert "ends in May" in (library.corpus / "lighthouse.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("../../escape.md", "escape.md"),
        ("..\\..\\windows.md", "windows.md"),
        (".hidden.md", "hidden.md"),
        ("call <2024>; rm -rf.MD", "call -2024-- rm -rf.md"),
        ("Convocatoria Málaga 2024.md", "Convocatoria Málaga 2024.md"),
    ],
)
def test_uploads_are_stored_under_safe_names_inside_the_corpus(
    library: Library, sent: str, stored: str
) -> None:
    def elsewhere() -> set[Path]:
        inside = (library.corpus, library.settings.data_dir)
        return {path for path in library.corpus.parent.rglob("*") if not path.is_relative_to(inside[0])} - {
            path for path in library.corpus.parent.rglob("*") if path.is_relative_to(inside[1])
        }

    before = elsewhere()
    job = library.follow(library.upload(sent, LIGHTHOUSE))
    assert job["document"] == stored
    assert (library.corpus / stored).is_file()
    assert elsewhere() == before  # nothing written outside the corpus folder (the index aside)


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("tool.exe", b"MZ\x90\x00", ["unsupported file type '.exe'"]),
        ("rules.rules.yaml", b"rulesets: []\n", ["unsupported file type"]),
        ("call.md.meta.json", b"{}", ["unsupported file type"]),
        ("call.pdf", b"Just text, not a PDF at all.", ["call.pdf", "not a PDF"]),
        ("notes.txt", bytes(range(256)) * 4, ["notes.txt", "binary file"]),
        ("letter.md", b"PK\x03\x04 an office document", ["mislabelled"]),
        ("empty.txt", b"  \n", ["empty file"]),
    ],
)
def test_uploads_of_the_wrong_type_are_refused_and_not_stored(
    library: Library, name: str, data: bytes, words: list[str]
) -> None:
    before = sorted(library.corpus.iterdir())
    assert_error(library.upload(name, data), 422, "invalid_request", *words)
    assert sorted(library.corpus.iterdir()) == before


def test_an_upload_over_the_size_limit_is_413_and_not_stored(make_library: Callable[..., Library]) -> None:
    library = make_library(INGEST__MAX_FILE_BYTES=str(32 * 1024))  # the corpus files are smaller
    before = sorted(library.corpus.iterdir())
    over = "Lighthouse\n\n" + "The lantern room is restored. " * 1500  # ~45 KB: within the body cap
    assert_error(
        library.upload("big.txt", over), 413, "payload_too_large", "ASSISTANT_INGEST__MAX_FILE_BYTES"
    )
    far_over = "x" * (32 * 1024 + 128 * 1024)  # over the body cap itself: refused before it is read
    assert_error(library.upload("huge.txt", far_over), 413, "payload_too_large")
    assert sorted(library.corpus.iterdir()) == before


def test_an_upload_that_is_not_a_form_with_one_file_is_422(library: Library) -> None:
    post = library.http.post
    not_a_form = post("/v1/admin/documents", json={"file": "x"}, headers=ADMIN)
    assert_error(not_a_form, 422, "invalid_request", "multipart/form-data field 'file'")
    other_field = post(
        "/v1/admin/documents", data={"other": "x"}, files={"x": ("a.txt", b"hi")}, headers=ADMIN
    )
    assert_error(other_field, 422, "invalid_request", "'file'")
    two = post(
        "/v1/admin/documents",
        files=[("file", ("a.md", LIGHTHOUSE.encode())), ("file", ("b.md", LIGHTHOUSE.encode()))],
        headers=ADMIN,
    )
    assert_error(two, 422, "invalid_request", "one file")
    cut_short = post(
        "/v1/admin/documents",
        content=b"--b\r\nContent-Disposition: form-data; name=file; filename=a.txt\r\n\r\nhi",
        headers={**ADMIN, "Content-Type": "multipart/form-data; boundary=b"},
    )
    assert_error(cut_short, 422, "invalid_request", "closing boundary")
    garbage = post(
        "/v1/admin/documents",
        content=b"no boundary here at all",
        headers={**ADMIN, "Content-Type": "multipart/form-data; boundary=b"},
    )
    assert_error(garbage, 422, "invalid_request")


def test_an_upload_without_the_key_stores_nothing(library: Library) -> None:
    before = sorted(library.corpus.iterdir())
    response = library.http.post("/v1/admin/documents", files={"file": ("x.md", LIGHTHOUSE.encode())})
    assert_error(response, 401, "unauthorized")
    assert sorted(library.corpus.iterdir()) == before


# --- removals ------------------------------------------------------------------------------------


def test_removing_a_document_takes_it_out_and_keeps_its_file(library: Library) -> None:
    accepted = library.http.delete(f"/v1/admin/documents/{document_id(FACTSHEET)}", headers=ADMIN)
    assert accepted.json()["kind"] == "remove" and accepted.json()["document"] == FACTSHEET
    job = library.follow(accepted)
    assert job["state"] == "done"
    assert job["report"]["files_removed"] == [FACTSHEET]
    assert FACTSHEET not in library.listed()
    assert not (library.corpus / FACTSHEET).exists()
    [kept] = (library.settings.data_dir / "removed").rglob(FACTSHEET)
    assert kept.read_text(encoding="utf-8").strip()
    hits = library.http.get("/v1/search", params={"q": "IUC city-to-city initiative factsheet", "k": 50})
    assert FACTSHEET not in {hit["source"] for hit in hits.json()["results"]}
    # the next reindex does not bring it back
    again = library.follow(library.http.post("/v1/admin/reindex", headers=ADMIN))
    assert again["report"]["files_added"] == [] and FACTSHEET not in library.listed()


def test_removing_the_document_rules_quote_reports_the_rules_that_went(library: Library) -> None:
    job = library.follow(library.http.delete(f"/v1/admin/documents/{quote(CALL)}", headers=ADMIN))
    report = job["report"]
    assert report["files_removed"] == [CALL]
    assert report["rules_loaded"] == 0
    assert report["rules_removed"] and all(
        name.startswith("eligibility.rules.yaml: ") for name in report["rules_removed"]
    )
    assert report["rules_refused"]  # their quotes have no source any more: said, not hidden


# --- reindex with bad files: the job ends done, each bad file fails alone ------------------------


def test_a_reindex_with_hostile_files_ends_done_with_each_failure_named(library: Library) -> None:
    deep = "<html><body>" + "<div>" * 500 + "<p>Deep harbour text.</p>" + "</div>" * 500 + "</body></html>"
    (library.corpus / "deep.html").write_text(deep, encoding="utf-8")
    for name in ("Notes.txt", "notes.txt", "call 2024.txt", "call-2024.txt", "通知.txt", "公告.txt"):
        (library.corpus / name).write_text(f"Notes\n\nThe harbour file {name} is here.\n", encoding="utf-8")
    (library.corpus / "blob.txt").write_bytes(bytes(range(256)) * 8)
    outside = library.corpus.parent / "outside.txt"
    outside.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    (library.corpus / "passwd.txt").symlink_to(outside)

    job = library.follow(library.http.post("/v1/admin/reindex", headers=ADMIN))
    assert job["state"] == "done", job
    report = job["report"]
    assert sorted(Path(path).name for path in report["files_added"]) == sorted(
        ["deep.html", "Notes.txt", "notes.txt", "call 2024.txt", "call-2024.txt", "通知.txt", "公告.txt"]
    )
    failed = {Path(item["path"]).name: item["error"] for item in report["files_failed"]}
    assert failed == {
        "blob.txt": "binary file, not text (NUL bytes)",
        "passwd.txt": "a link that leads outside the folder being synced; such links are not followed",
    }
    hits = library.http.get("/v1/search", params={"q": "root x 0 0 root bin bash", "k": 50}).json()["results"]
    assert not any("root:x" in hit["text"] for hit in hits)
    assert "Deep harbour text." in library.http.get(f"/v1/documents/{document_id('deep.html')}").text


def test_an_unknown_job_is_404(library: Library) -> None:
    assert_error(library.http.get("/v1/admin/ingests/nope", headers=ADMIN), 404, "not_found", "nope")
