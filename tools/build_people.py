"""Build assistant/answering/people.json, the English nouns that name a person ('participant', 'mayor',
'resident'), from Princeton WordNet's data files: every word of every sense below 'person' (its
hyponyms, followed down; named individuals, WordNet's instances, left out), with their irregular plurals.

A question counting people ('how many people came?') is answered by a figure counting any of them ('640
participants', '78 mayors'); the answerer reads this table for that.

    .venv/bin/python tools/build_people.py                    # fetches the `wn` package's WordNet
    .venv/bin/python tools/build_people.py --wordnet DIR      # a folder holding data.noun and noun.exc
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_opposites import WORDNET_PACKAGE, write_table

REPO = Path(__file__).resolve().parent.parent
OUTPUT = REPO / "assistant" / "answering" / "people.json"
PERSON = "person"  # the first sense of this lemma roots the tree ('person, individual, someone…')
# WordNet files 'people' under groups, not under 'person'; as a counted noun it counts persons.
GROUP_OF_PERSONS = "people"


def _nouns(folder: Path) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Each noun sense's words and its hyponyms (offsets), from data.noun."""
    words: dict[str, list[str]] = {}
    hyponyms: dict[str, list[str]] = {}
    for line in (folder / "data.noun").read_text(encoding="latin-1").splitlines():
        if line.startswith("  ") or len(line.split()) < 6:
            continue  # the licence header
        fields = line.split(" | ")[0].split()
        count = int(fields[3], 16)
        words[fields[0]] = [re.sub(r"\(.*\)$", "", fields[4 + 2 * i]).lower() for i in range(count)]
        at = 4 + 2 * count
        below = []
        for _ in range(int(fields[at])):
            symbol, offset, position = fields[at + 1 : at + 4]
            if symbol == "~" and position == "n":  # '~i', an instance (a named person), is left out
                below.append(offset)
            at += 4
        hyponyms[fields[0]] = below
    return words, hyponyms


def build(folder: Path) -> dict[str, Any]:
    words, hyponyms = _nouns(folder)
    root = next(offset for offset, lemmas in words.items() if lemmas[0] == PERSON)
    seen: set[str] = set()
    waiting = [root]
    while waiting:
        offset = waiting.pop()
        if offset not in seen:
            seen.add(offset)
            waiting.extend(hyponyms.get(offset, []))
    persons = {word for offset in seen for word in words[offset] if "_" not in word}
    irregular = {}
    for line in (folder / "noun.exc").read_text(encoding="latin-1").splitlines():
        form, *lemmas = line.split()
        if lemmas and lemmas[0] in persons and "_" not in form:
            irregular[form] = lemmas[0]
    notice = " ".join(
        line.split(None, 1)[1].strip()
        for line in (folder / "data.noun").read_text(encoding="latin-1").splitlines()
        if line.startswith("  ") and len(line.split(None, 1)) > 1
    )
    return {
        "_source": f"Princeton WordNet data files, as bundled by the Python package {WORDNET_PACKAGE}; "
        "written by tools/build_people.py, do not edit by hand.",
        "_licence": notice,
        "general": sorted({*words[root], GROUP_OF_PERSONS} - {w for w in words[root] if "_" in w}),
        "persons": sorted(persons | {GROUP_OF_PERSONS}),
        "irregular_plurals": dict(sorted(irregular.items())),
    }


def main() -> None:
    table = write_table(__doc__.split("\n\n")[0], build, OUTPUT)
    print(f"{len(table['persons'])} nouns of persons, {len(table['irregular_plurals'])} irregular plurals")


if __name__ == "__main__":
    main()
