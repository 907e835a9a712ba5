"""Which language an answer should be in: the one a client asked for (the OpenAI route reads it from a
system message), else the question's own.

The agent reads English documents and writes its answer in English, where every sentence can be
checked against its passages; an answer wanted in another language is the verified English answer
translated afterwards, and the translation must keep every marker, number, link and acronym.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from assistant.grounding import MARKER, read_claim

ENGLISH = "English"

# The commonest short words of each language the detector knows: a question's language is the one
# whose words it uses most (English unless another clearly leads).
_COMMON = {
    ENGLISH: "the a an of to and is are can do does what who which how when where we our for with in on",
    "French": "le la les des du un une est sont peut peuvent pouvons nous notre nos votre vos quelle quelles "
    "quel quels qui comment quand où pour avec dans sur et au aux ce cette ne pas à ville villes",
    "Spanish": "el la los las del un una es son puede pueden podemos nosotros nuestra nuestro qué cuál "
    "cuáles quién cómo cuándo dónde para con y al se su sus hay ciudad ciudades",
    "German": "der die das des dem den ein eine ist sind kann können wir unsere unser was wer welche wie "
    "wann wo für mit und im zu auf nicht stadt städte",
    "Italian": "il lo la gli le dei delle un una è sono può possono possiamo noi nostra nostro che cosa chi "
    "quale quali come quando dove per con e al alla città",
    "Portuguese": "o os as do da dos das um uma é são pode podem podemos nós nossa nosso que qual quais "
    "quem como quando onde para com em e ao não cidade cidades",
    "Dutch": "de het een is zijn kan kunnen wij we onze ons wat wie welke hoe wanneer waar voor met en "
    "van niet stad steden",
}


@lru_cache(maxsize=1)
def _vocabularies() -> dict[str, frozenset[str]]:
    return {language: frozenset(words.split()) for language, words in _COMMON.items()}


def question_language(question: str) -> str:
    """The language a question is written in, among those the detector knows; English when unsure."""
    words = re.findall(r"[^\W\d_]+", question.lower())
    counts: Counter[str] = Counter()
    for language, vocabulary in _vocabularies().items():
        counts[language] = sum(word in vocabulary for word in words)
    best, score = counts.most_common(1)[0]
    if best != ENGLISH and score >= 2 and score > counts[ENGLISH]:
        return best
    return ENGLISH


def translation_problems(original: str, translated: str) -> list[str]:
    """What a translation lost: its markers (same, in the same order), numbers, links and acronyms."""
    problems = []
    if MARKER.findall(original) != MARKER.findall(translated):
        problems.append("its [n] markers changed")
    before, after = read_claim(MARKER.sub("", original)), read_claim(MARKER.sub("", translated))
    if before.numbers - after.numbers:
        problems.append("numbers were lost")
    if before.links - after.links:
        problems.append("links were lost")
    if before.acronyms - after.acronyms:
        problems.append("acronyms were lost")
    return problems
