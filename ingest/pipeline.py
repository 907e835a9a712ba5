"""``sync(paths)``: bring the index in line with the files, re-embedding only what changed."""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Collection, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ingest.classify import sidecar_path
from ingest.discovery import SUPPORTED_SUFFIXES, FileLimits, Found, discover
from ingest.embedder import Embedder
from ingest.embedding_cache import CachedEmbedder
from ingest.errors import DocumentError, SyncRefusedError
from ingest.generations import read_entries
from ingest.lock import writer_lock
from ingest.models import FailedFile, IngestReport
from ingest.parsing import failure_reason, parse_file
from ingest.progress import IngestProgress, Phase, embedding_with_progress
from ingest.records import ParsedFile, read_records, read_rules
from ingest.rules import AnchoredRule, RulesFile, anchor_rules, read_rules_text, rule_changes
from ingest.store import (
    KEEP_GENERATIONS,
    build_generation,
    chunk_entries,
    chunk_search_text,
    current_generation,
    index_root,
    prune,
    remove_stray_pointers,
)
from ingest.vector_index import EmbeddedChroma, VectorStore, space_name

__all__ = ["SUPPORTED_SUFFIXES", "FileLimits", "parse_file", "pipeline_version", "sync"]

logger = logging.getLogger(__name__)

_PARSING_MODULES = (
    "loaders/__init__",
    "loaders/common",
    "loaders/text",
    "loaders/html",
    "loaders/pdf",
    "parsing",
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


def _fingerprint(path: Path) -> str:
    digest = hashlib.sha256(pipeline_version().encode())
    digest.update(path.read_bytes())
    side = sidecar_path(path)
    if side.exists():
        digest.update(side.read_bytes())
    return digest.hexdigest()


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
        except Exception as error:  # one rules file, whatever its fault, fails on its own
            reason = failure_reason(error)
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


def _new_vector_count(data_dir: Path, files: list[ParsedFile]) -> int:
    """How many chunk vectors the next generation adds to what the serving one has (the rest are
    reused): the chunk texts the build will read from the embedding cache or the model."""
    current = current_generation(data_dir)
    known = {key for key, _ in read_entries(index_root(data_dir) / current)[1]} if current else set()
    entries = chunk_entries([chunk for parsed in files for chunk in parsed.chunks])
    return sum(entry.key not in known for entry in entries)


def _refuse_mass_removal(indexed: int, report: IngestReport, share: float, paths: Sequence[Path]) -> None:
    """An empty or wrong folder must not wipe the serving index."""
    removed = len(report.files_removed)
    if not indexed or removed / indexed <= share:
        return
    folders = ", ".join(str(path) for path in paths)
    raise SyncRefusedError(
        f"This sync would remove {removed} of the {indexed} indexed documents ({removed / indexed:.0%}, "
        f"more than the {share:.0%} allowed): is {folders} the right folder, and is it complete? Nothing "
        "was changed. If the removal is intended, run `assistant ingest --force`, or raise "
        "ASSISTANT_INDEX__MAX_REMOVED_SHARE.",
        removed=removed,
        indexed=indexed,
    )


def sync(
    data_dir: Path,
    paths: Sequence[Path],
    embedder_factory: Callable[[], Embedder],
    vectors: VectorStore | None = None,
    *,
    limits: FileLimits | None = None,
    progress: IngestProgress | None = None,
    forget: Collection[str] = (),
    keep: int = KEEP_GENERATIONS,
    max_removed_share: float = 0.5,
    force: bool = False,
) -> IngestReport:
    """Index ``paths`` (files or folders). Files gone from a scanned folder leave the index, and so do
    the documents named in ``forget`` (file names), wherever they came from — unless that would remove
    more than ``max_removed_share`` of the indexed documents (then nothing changes, unless ``force``;
    documents named in ``forget`` are meant, so they never count).

    A file that fails keeps its previous version in the index, if it had one; nothing else is lost.
    """
    started = time.perf_counter()
    report = IngestReport()
    limits = limits or FileLimits()
    progress = progress or IngestProgress()
    vectors = vectors or EmbeddedChroma()
    with writer_lock(data_dir):
        prune(data_dir, vectors, keep)  # what a crashed ingest left half-built goes first
        remove_stray_pointers(data_dir)
        before = _Previous(data_dir)
        previous, info = before.files, before.info
        progress.phase(Phase.READING)
        discovered = discover(paths, limits)
        found, rules_found, scanned = discovered.documents, discovered.rules, discovered.scanned
        report.files_failed.extend(discovered.failed)
        reading = _Reading(previous, limits, report)
        next_files = reading.files
        progress.files(0, len(found))
        for done, (path, origin) in enumerate(found, start=1):
            reading.read(path, origin)
            progress.files(done, len(found))
            progress.chunks(reading.chunks)
        for source, old in previous.items():
            if source in next_files:
                continue
            if source in forget or (old.origin is not None and old.origin in scanned):
                report.files_removed.append(source)
            else:
                next_files[source] = old  # added on its own, or from a folder not scanned this time
        if not force:
            unasked = report.model_copy(
                update={"files_removed": [s for s in report.files_removed if s not in forget]}
            )
            _refuse_mass_removal(len(previous), unasked, max_removed_share, paths)

        next_rules = _sync_rules(rules_found, scanned, before, report)
        rules = anchor_rules(
            list(next_rules.values()),
            {source: parsed.chunks for source, parsed in next_files.items()},
        )
        report.rules_loaded = len(rules.rules)
        report.rules_refused = rules.refused
        report.rulesets_skipped = rules.skipped
        report.rules_added, report.rules_changed, report.rules_removed = rule_changes(
            before.rules, rules.rules
        )
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
            sentence_count = sum(len(parsed.sentences) for parsed in next_files.values())
            new_vectors = _new_vector_count(data_dir, list(next_files.values()))
            embed = embedding_with_progress(embedder.embed, new_vectors + sentence_count, progress)

            report.generation = build_generation(
                data_dir,
                list(next_files.values()),
                embed,
                {"embedder": embedder.embedder.name, "pipeline": pipeline_version()},
                vectors,
                space=space_name(model.name, model.dimension),
                rules_files=list(next_rules.values()),
                rules=rules.rules,
                keep=keep,
            )
        else:
            report.generation = current_generation(data_dir)
        report.chunks_total = sum(len(parsed.chunks) for parsed in next_files.values())
    report.seconds = round(time.perf_counter() - started, 3)
    return report


class _Reading:
    """The files of the next generation, read one at a time, and the report they go into."""

    def __init__(self, previous: dict[str, ParsedFile], limits: FileLimits, report: IngestReport) -> None:
        self.previous = previous
        self.limits = limits
        self.report = report
        self.files: dict[str, ParsedFile] = {}
        self.chunks = 0
        self._owner: dict[str, str] = {}  # chunk id → the file that has it

    def read(self, path: Path, origin: str | None) -> None:
        """Read one file (or keep it as indexed, if unchanged) and sort it into the report. Whatever
        goes wrong fails this file only; its previous version, if any, stays indexed."""
        source = path.name
        if source in self.files:
            error = (
                f"another file named '{source}' is already in this ingest; citations name files, "
                "so names must be unique"
            )
            self.report.files_failed.append(FailedFile(path=str(path), error=error))
            return
        old = self.previous.get(source)
        try:
            sha256 = _fingerprint(path)
            unchanged = old is not None and old.sha256 == sha256
            parsed = old if old is not None and unchanged else parse_file(path, sha256, origin, self.limits)
            clash = next((chunk.id for chunk in parsed.chunks if chunk.id in self._owner), None)
            if clash is not None:
                raise DocumentError(f"its passage id {clash} is already taken by {self._owner[clash]}")
        except Exception as error:  # one file, whatever its fault, fails on its own
            reason = failure_reason(error)
            if not isinstance(error, DocumentError | OSError):
                logger.warning("unexpected failure reading %s", path, exc_info=error)
            if old is not None and not any(chunk.id in self._owner for chunk in old.chunks):
                self._take(source, old)
                reason += " (the previously indexed version is kept)"
            self.report.files_failed.append(FailedFile(path=str(path), error=reason))
            logger.warning("failed to ingest %s: %s", path, reason)
            return
        self._take(source, parsed)
        if unchanged:
            parsed.origin = origin if origin is not None else parsed.origin
            self.report.files_unchanged.append(str(path))
        else:
            self.report.files_indexed.append(str(path))
            (self.report.files_changed if old is not None else self.report.files_added).append(str(path))

    def _take(self, source: str, parsed: ParsedFile) -> None:
        self.files[source] = parsed
        self.chunks += len(parsed.chunks)
        self._owner.update((chunk.id, source) for chunk in parsed.chunks)
