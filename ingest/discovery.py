"""Which files an ingest reads: documents and rules files in the folders and files it is given, and the
ones it refuses before reading a byte (with the reason, for the report).

Refused up front: hidden files, unsupported types, names that are not UTF-8, files over the size limit,
and links that lead out of the folder being synced (a link named ``passwd.txt`` pointing at
``/etc/passwd`` must not put that file into search results). A link that stays inside the folder is
read like the file it points to; links to folders are never walked.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ingest.models import FailedFile
from ingest.rules import is_rules_file

logger = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm", ".pdf"})
SIDECAR_SUFFIX = ".meta.json"
_MB = 1024 * 1024


@dataclass(frozen=True)
class FileLimits:
    """What one file may cost an ingest. A file over a limit fails on its own, with the reason."""

    max_file_bytes: int = 32 * _MB
    max_text_chars: int = 3_000_000

    def size_problem(self, size: int) -> str | None:
        if size <= self.max_file_bytes:
            return None
        return (
            f"the file is {_megabytes(size)}, over the limit of {_megabytes(self.max_file_bytes)} "
            "for one file (ASSISTANT_INGEST__MAX_FILE_BYTES)"
        )

    def text_problem(self, characters: int) -> str | None:
        if characters <= self.max_text_chars:
            return None
        return (
            f"its text is {characters:,} characters long, over the limit of {self.max_text_chars:,} "
            "for one file (ASSISTANT_INGEST__MAX_TEXT_CHARS)"
        )


def _megabytes(size: int) -> str:
    return f"{size / _MB:.1f} MB"


Found = list[tuple[Path, str | None]]  # a path and the folder it was found in (None: given on its own)


@dataclass
class Discovered:
    documents: Found = field(default_factory=list)
    rules: Found = field(default_factory=list)
    scanned: set[str] = field(default_factory=set)  # the folders synced: what is gone from them leaves
    failed: list[FailedFile] = field(default_factory=list)


def unsupported_reason(name: str) -> str:
    suffix = Path(name).suffix
    return f"unsupported file type '{suffix or name}' (supported: {', '.join(sorted(SUPPORTED_SUFFIXES))})"


def discover(paths: Sequence[Path], limits: FileLimits) -> Discovered:
    """Documents and rules files to read, each with the folder it came from; the folders scanned; what
    is refused and why."""
    found = Discovered()
    for path in paths:
        if path.is_dir():
            root = path.resolve()
            found.scanned.add(str(root))
            _scan_folder(path, root, limits, found)
        elif path.exists():
            problem = _name_problem(path) or _kind_problem(path) or _size_problem(path, limits)
            if problem is not None:
                found.failed.append(FailedFile(path=str(path), error=problem))
            else:
                (found.rules if is_rules_file(path) else found.documents).append((path, None))
        else:
            found.failed.append(FailedFile(path=str(path), error="no such file or folder"))
    return found


def _scan_folder(folder: Path, root: Path, limits: FileLimits, found: Discovered) -> None:
    origin = str(root)
    refused_sidecars: set[Path] = set()
    documents: list[Path] = []
    for candidate in sorted(_walk(folder, root, found)):
        if candidate.name.endswith(SIDECAR_SUFFIX):
            if candidate.is_symlink() and not _inside(candidate, root):
                refused_sidecars.add(candidate)
                found.failed.append(FailedFile(path=str(candidate), error=_OUTSIDE))
            continue
        if candidate.is_symlink() and not _inside(candidate, root):
            logger.warning("not following %s: the link leads outside %s", candidate, folder)
            found.failed.append(FailedFile(path=str(candidate), error=_OUTSIDE))
            continue
        rules = is_rules_file(candidate)
        problem = _name_problem(candidate)
        if problem is None and not rules and candidate.suffix.lower() not in SUPPORTED_SUFFIXES:
            problem = unsupported_reason(candidate.name)
        problem = problem or _kind_problem(candidate) or _size_problem(candidate, limits)
        if problem is not None:
            found.failed.append(FailedFile(path=str(candidate), error=problem))
        elif rules:
            found.rules.append((candidate, origin))
        else:
            documents.append(candidate)
    for document in documents:
        sidecar = document.with_name(document.name + SIDECAR_SUFFIX)
        if sidecar in refused_sidecars:
            error = f"its metadata file {sidecar.name} is a link that leads outside the folder"
            found.failed.append(FailedFile(path=str(document), error=error))
        else:
            found.documents.append((document, origin))


_OUTSIDE = "a link that leads outside the folder being synced; such links are not followed"


def _walk(folder: Path, root: Path, found: Discovered) -> list[Path]:
    """Every file under ``folder`` (links to files included), skipping hidden files and folders and
    never entering a linked folder; a linked folder that leads outside is reported."""
    files: list[Path] = []
    for directory, folders, names in os.walk(folder, followlinks=False):
        here = Path(directory)
        kept = []
        for name in folders:
            if name.startswith("."):
                continue
            if (here / name).is_symlink():
                if not _inside(here / name, root):
                    found.failed.append(FailedFile(path=str(here / name), error=_OUTSIDE))
                continue
            kept.append(name)
        folders[:] = kept
        files.extend(here / name for name in names if not name.startswith("."))
    return files


def _inside(link: Path, root: Path) -> bool:
    """Whether ``link``, every link on the way followed, ends inside ``root``."""
    try:
        return link.resolve().is_relative_to(root)
    except (OSError, RuntimeError):  # a loop of links
        return False


def _name_problem(path: Path) -> str | None:
    try:
        path.name.encode("utf-8")
    except UnicodeEncodeError:
        return "the file name is not valid UTF-8; rename the file"
    return None


def _kind_problem(path: Path) -> str | None:
    """Only regular files are read: a pipe named like a document would block the ingest forever."""
    try:
        if path.is_file():
            return None
        return "not a regular file (a device, pipe or socket)" if path.exists() else "a broken link"
    except OSError as error:
        return f"cannot read: {error.strerror or error}"


def _size_problem(path: Path, limits: FileLimits) -> str | None:
    try:
        size = path.stat().st_size
    except OSError as error:
        return f"cannot read: {error.strerror or error}"
    return limits.size_problem(size)
