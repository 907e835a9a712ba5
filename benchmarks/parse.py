"""Parse time of hostile document shapes: each is written to a file and read by the ingest's per-file
parser (load, normalise, classify, structure, chunk), no embedding. Prints one line per shape.

    .venv/bin/python benchmarks/parse.py [LINES]      # default 200,000 lines per shape

Every shape should take time in proportion to its size; a shape that takes minutes is a quadratic step.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from ingest.discovery import FileLimits
from ingest.pipeline import parse_file

NO_LIMITS = FileLimits(max_file_bytes=2**40, max_text_chars=2**40)  # time the parsing, whatever the size

SHAPES: dict[str, tuple[str, Callable[[int], str]]] = {
    "short lines (heading-like)": (".txt", lambda n: "\n".join(f"Line {i}" for i in range(n))),
    "short sentences": (".txt", lambda n: "\n".join(f"Item {i} is listed here." for i in range(n))),
    "wrapped lines (one paragraph)": (".txt", lambda n: "Start\n" + "\n".join(f"word {i}" for i in range(n))),
    "pipe rows (no table)": (".txt", lambda n: "\n".join(f"a {i} | b" + " | c" * (i % 3) for i in range(n))),
    "pipe table": (".txt", lambda n: "A | B | C\n" + "\n".join(f"x{i} | y{i} | z{i}" for i in range(n))),
    "abbreviations": (".txt", lambda n: "Note " + " ".join("e.g. Xy" for _ in range(n)) + "."),
    "markdown emphasis openers": (".md", lambda n: "Text " + " ".join("**a" for _ in range(n // 4))),
    "link openers": (".md", lambda n: "Text " + "[a](b " * (n // 4)),
    "one long token": (".txt", lambda n: "Token " + "Ab0" * (n * 3)),
    "run-together rows (no match)": (
        ".txt",
        lambda n: "CityCountryPartnerCountry\n" + "\n".join("Germany" * 40 + f"x{i}" for i in range(n // 20)),
    ),
    "nested html": (".html", lambda n: "<div>" * min(n, 20_000) + "deep" + "</div>" * min(n, 20_000)),
}


def main() -> None:
    lines = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    with tempfile.TemporaryDirectory() as folder:
        for name, (suffix, make) in SHAPES.items():
            path = Path(folder) / f"shape{suffix}"
            path.write_text(make(lines), encoding="utf-8")
            started = time.perf_counter()
            try:
                parsed = parse_file(path, "0" * 64, None, NO_LIMITS)
                outcome = f"{len(parsed.chunks)} chunks"
            except Exception as error:  # a benchmark reports what happened, whatever it is
                outcome = f"failed: {type(error).__name__}: {str(error)[:80]}"
            seconds = time.perf_counter() - started
            size = path.stat().st_size / 1e6
            print(f"{name:32} {size:6.1f} MB {seconds:8.2f} s  {outcome}", flush=True)


if __name__ == "__main__":
    main()
