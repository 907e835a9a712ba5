"""Ask every question of a set again as a hurried asker would type it, and print how many pass each way.

The evaluation sets are typed with care; chat messages are not. Each question (and each earlier turn of
a conversation) is rewritten one way at a time — a phone's apostrophes, all in small letters, without
its question mark, after a greeting, with a typing slip — and the set is run in-process against the
documents it was written on, indexed beside the shipped corpus in a temporary data dir.

    .venv/bin/python tools/typed_eval.py tests/eval/own2/prose/questions.jsonl \
        --corpus tests/eval/own2/prose/corpus
    .venv/bin/python tools/typed_eval.py ../shared/eval/dev.jsonl --ways small,slip
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.evaluation import run_file, summarise
from assistant.settings import get_settings
from assistant.wiring import build_service

_LONG_WORD = re.compile(r"[A-Za-z]{7,}")


def _slip(question: str) -> str:
    """Two letters swapped in the middle of the longest word of seven letters or more ('deadilne')."""
    found = _LONG_WORD.findall(question)
    if not found:
        return question
    word = max(found, key=len)
    middle = len(word) // 2
    return question.replace(word, word[:middle] + word[middle + 1] + word[middle] + word[middle + 2 :], 1)


def _after(opening: str) -> Callable[[str], str]:
    return lambda question: opening + question[:1].lower() + question[1:]


WAYS: dict[str, Callable[[str], str]] = {
    "as-written": lambda question: question,
    "phone-apostrophes": lambda question: question.replace("'", "’"),
    "small": str.lower,
    "no-mark": lambda question: question.rstrip().rstrip("?").rstrip(),
    "greeting": _after("Hi! Could you tell me: "),
    "hello": _after("Hello, I'd like to know "),
    "slip": _slip,
    "small-no-mark": lambda question: question.lower().rstrip().rstrip("?").rstrip(),
}


def _retyped(questions: Path, way: Callable[[str], str], folder: Path) -> Path:
    lines = []
    for line in questions.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        question = json.loads(line)
        question["question"] = way(question["question"])
        if question.get("turns"):
            question["turns"] = [way(turn) for turn in question["turns"]]
        lines.append(json.dumps(question, ensure_ascii=False))
    written = folder / "questions.jsonl"
    written.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("questions", type=Path, help="a JSONL question file (score.py's format)")
    parser.add_argument(
        "--corpus", type=Path, action="append", default=[], help="documents beside the shipped ones"
    )
    parser.add_argument("--ways", default=",".join(WAYS), help=f"comma-separated, of: {', '.join(WAYS)}")
    args = parser.parse_args()
    ways = args.ways.split(",")
    unknown = [way for way in ways if way not in WAYS]
    if unknown:
        parser.error(f"unknown ways: {', '.join(unknown)}")
    with tempfile.TemporaryDirectory() as work:
        settings = get_settings().model_copy(update={"data_dir": Path(work) / "data"})
        service = build_service(settings)
        try:
            service.ingest([settings.corpus_dir, *args.corpus])
            for way in ways:
                retyped = _retyped(args.questions, WAYS[way], Path(work))
                summary = summarise(run_file(retyped, service.ask))
                print(f"{way:18s} {summary['passed']}/{summary['total']}", flush=True)
        finally:
            service.close()


if __name__ == "__main__":
    main()
