"""``sync(paths)``: bring the index in line with the files, re-embedding only what changed."""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ingest.chunking import chunk_document
from ingest.classify import classify, sidecar_path
from ingest.embedder import Embedder, Vectors
from ingest.embedding_cache import CachedEmbedder
from ingest.errors import DocumentError
from ingest.loaders import load_document
from ingest.lock import writer_lock
from ingest.models import FailedFile, IngestReport
from ingest.normalize import normalize_text
from ingest.records import ParsedFile, read_records, read_rules
from ingest.rules import AnchoredRule, RulesFile, anchor_rules, is_rules_file, read_rules_text
from ingest.store import (
    VectorIndexFactory,
    build_generation,
    chunk_search_text,
    current_generation,
    index_root,
    persistent_chroma,
    prune,
)
from ingest.structure import parse_blocks

logger = logging.getLogger(__name__)

_PARSING_MODULES = (
    "loaders/__init__",
    "loaders/common",
    "loaders/text",
    "loaders/html",
    "loaders/pdf",
    "dates",
    "normalize",
    "classify",
    "structure",
    "tables",
    "chunking",
    "textutil",
    "geo",
    "records",
    "models",
    "rules",
    "criteria",
    "quotes",
)


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    """A digest of the parsing code and data: when it changes, unchanged files are parsed again (their
    vectors stay cached), so an index never mixes chunks cut by two versions of the code."""
    digest = hashlib.sha256()
    package = resources.files("ingest")
    for name in _PARSING_MODULES:
        digest.update(package.joinpath(f"{name}.py").read_bytes())
    digest.update(package.joinpath("data/countries.json").read_bytes())
    return digest.hexdigest()[:16]


SUPPORTED_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm", ".pdf"})


def parse_file(path: Path, sha256: str, origin: str | None) -> ParsedFile:
    loaded = load_document(path)
    pages = [(page.number, normalize_text(page.text)) for page in loaded.pages]
    full_text = "\n\n".join(text for _, text in pages)
    if not full_text.strip():
        raise DocumentError("no text to index")
    meta = classify(path, full_text, loaded.declared_title)
    blocks = [block for number, text in pages for block in parse_blocks(text, number)]
    chunked = chunk_document(meta, blocks)
    if not chunked.chunks:
        raise DocumentError("no text to index")
    return ParsedFile(meta, sha256, origin, chunked.chunks, chunked.sentences, chunked.pairings)


def _fingerprint(path: Path) -> str:
    digest = hashlib.sha256(pipeline_version().encode())
    digest.update(path.read_bytes())
    side = sidecar_path(path)
    if side.exists():
        digest.update(side.read_bytes())
    return digest.hexdigest()


Found = list[tuple[Path, str | None]]


def _discover(paths: Sequence[Path]) -> tuple[Found, Found, set[str], list[FailedFile]]:
    """Documents to ingest and rules files, each with the folder it came from; the folders scanned;
    paths that cannot be read."""
    found: Found = []
    rules: Found = []
    scanned: set[str] = set()
    failed: list[FailedFile] = []
    for path in paths:
        if path.is_dir():
            scanned.add(str(path.resolve()))
            for candidate in sorted(path.rglob("*")):
                relative = candidate.relative_to(path)
                if candidate.is_dir() or any(part.startswith(".") for part in relative.parts):
                    continue
                if candidate.name.endswith(".meta.json"):
                    continue
                if is_rules_file(candidate):
                    rules.append((candidate, str(path.resolve())))
                    continue
                if candidate.suffix.lower() not in SUPPORTED_SUFFIXES:
                    failed.append(
                        FailedFile(
                            path=str(candidate),
                            error=(
                                f"unsupported file type '{candidate.suffix or candidate.name}' "
                                f"(supported: {', '.join(sorted(SUPPORTED_SUFFIXES))})"
                            ),
                        )
                    )
                    continue
                found.append((candidate, str(path.resolve())))
        elif path.is_file():
            (rules if is_rules_file(path) else found).append((path, None))
        else:
            failed.append(FailedFile(path=str(path), error="no such file or folder"))
    return found, rules, scanned, failed


class _Previous:
    """What the serving generation holds, to compare against and to fall back on."""

    def __init__(self, data_dir: Path) -> None:
        self.files: dict[str, ParsedFile] = {}
        self.info: dict[str, str] = {}
        self.rules_files: dict[str, RulesFile] = {}
        self.rules: list[AnchoredRule] = []
        name = current_generation(data_dir)
        if name is None:
            return
        records = index_root(data_dir) / name / "records.sqlite3"
        files, self.info = read_records(records)
        self.files = {parsed.meta.source: parsed for parsed in files}
        rules_files, self.rules = read_rules(records)
        self.rules_files = {item.source: item for item in rules_files}


def _sync_rules(
    found: Found, scanned: set[str], previous: _Previous, report: IngestReport
) -> dict[str, RulesFile]:
    """The rules files of the next generation. One that cannot be read or parsed is a failed file and
    keeps its previous version, if any; one gone from a scanned folder leaves."""
    next_rules: dict[str, RulesFile] = {}
    for path, origin in found:
        source = path.name
        if source in next_rules:
            error = f"another rules file named '{source}' is already in this ingest; names must be unique"
            report.files_failed.append(FailedFile(path=str(path), error=error))
            continue
        try:
            data = path.read_bytes()
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError as error:
                raise DocumentError(f"a rules file must be UTF-8 text ({error.reason})") from error
            read_rules_text(text)  # a file that is not YAML, or not a rules file, fails here
            digest = hashlib.sha256(pipeline_version().encode())
            digest.update(data)
            next_rules[source] = RulesFile(source=source, sha256=digest.hexdigest(), origin=origin, text=text)
        except (DocumentError, OSError) as error:
            reason = error.message if isinstance(error, DocumentError) else f"cannot read: {error}"
            if source in previous.rules_files:
                next_rules[source] = previous.rules_files[source]
                reason += " (the previously indexed version is kept)"
            report.files_failed.append(FailedFile(path=str(path), error=reason))
            logger.warning("failed to read rules file %s: %s", path, reason)
    for source, old in previous.rules_files.items():
        if source in next_rules:
            continue
        if old.origin is not None and old.origin in scanned:
            logger.info("rules file %s is gone from its folder; its rules leave the index", source)
        else:
            next_rules[source] = old
    return next_rules


def sync(
    data_dir: Path,
    paths: Sequence[Path],
    embedder_factory: Callable[[], Embedder],
    vector_factory: VectorIndexFactory = persistent_chroma,
) -> IngestReport:
    """Index ``paths`` (files or folders). Files gone from a scanned folder leave the index.

    A file that fails keeps its previous version in the index, if it had one; nothing else is lost.
    """
    started = time.perf_counter()
    report = IngestReport()
    with writer_lock(data_dir):
        prune(data_dir)  # what a crashed ingest left half-built goes first
        before = _Previous(data_dir)
        previous, info = before.files, before.info
        found, rules_found, scanned, failed = _discover(paths)
        report.files_failed.extend(failed)
        next_files: dict[str, ParsedFile] = {}
        for path, origin in found:
            source = path.name
            if source in next_files:
                report.files_failed.append(
                    FailedFile(
                        path=str(path),
                        error=(
                            f"another file named '{source}' is already in this ingest; citations name files, "
                            "so names must be unique"
                        ),
                    )
                )
                continue
            try:
                sha256 = _fingerprint(path)
                old = previous.get(source)
                if old is not None and old.sha256 == sha256:
                    old.origin = origin if origin is not None else old.origin
                    next_files[source] = old
                    report.files_unchanged.append(str(path))
                    continue
                next_files[source] = parse_file(path, sha256, origin)
                report.files_indexed.append(str(path))
            except (DocumentError, OSError) as error:
                reason = error.message if isinstance(error, DocumentError) else f"cannot read: {error}"
                if source in previous:
                    next_files[source] = previous[source]
                    reason += " (the previously indexed version is kept)"
                report.files_failed.append(FailedFile(path=str(path), error=reason))
                logger.warning("failed to ingest %s: %s", path, reason)
        for source, old in previous.items():
            if source in next_files:
                continue
            if old.origin is not None and old.origin in scanned:
                report.files_removed.append(source)
            else:
                next_files[source] = old  # added on its own, or from a folder not scanned this time

        next_rules = _sync_rules(rules_found, scanned, before, report)
        rules = anchor_rules(
            list(next_rules.values()),
            {source: parsed.chunks for source, parsed in next_files.items()},
        )
        report.rules_loaded = len(rules.rules)
        report.rules_refused = rules.refused
        report.rulesets_skipped = rules.skipped
        for refused in rules.refused:
            logger.warning("rule refused: %s", refused.message)
        # A rules file edited (even only in a draft) or a rule anchored differently makes a new generation.
        rules_changed = {k: v.sha256 for k, v in next_rules.items()} != {
            k: v.sha256 for k, v in before.rules_files.items()
        } or rules.rules != before.rules

        model = embedder_factory()
        changed = (
            bool(report.files_indexed or report.files_removed)
            or rules_changed
            or info.get("embedder") != model.name
        )
        if changed or current_generation(data_dir) is None:
            if not next_files and current_generation(data_dir) is None:
                report.seconds = round(time.perf_counter() - started, 3)
                return report
            embedder = CachedEmbedder(model, data_dir / "embeddings.sqlite3")
            chunk_texts = [
                chunk_search_text(chunk) for parsed in next_files.values() for chunk in parsed.chunks
            ]
            report.chunks_embedded = embedder.count_missing(chunk_texts)

            def embed(texts: list[str]) -> Vectors:
                return embedder.embed(texts)

            report.generation = build_generation(
                data_dir,
                list(next_files.values()),
                embed,
                {"embedder": embedder.embedder.name, "pipeline": pipeline_version()},
                vector_factory,
                rules_files=list(next_rules.values()),
                rules=rules.rules,
            )
        else:
            report.generation = current_generation(data_dir)
        report.chunks_total = sum(len(parsed.chunks) for parsed in next_files.values())
    report.seconds = round(time.perf_counter() - started, 3)
    return report
