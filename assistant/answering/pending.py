"""Whether the sentence an answer leads with says that what is asked is not known yet: "the host for the
Pamplona twinning will be confirmed in April", "a tenth pairing … is still being finalised and will be
announced later". Such a sentence holds no answer: the documents don't say, and it is the closest they
come."""

from __future__ import annotations

import re

from ingest.textutil import terms

_PENDING = re.compile(
    r"\b(?:to be (?:confirmed|announced|decided|determined)|(?:TBC|TBA|TBD)\b|"
    r"(?:not yet|yet to be|still to be) (?:been )?(?:announced|confirmed|decided|known|selected|published)|"
    r"awaiting confirmation|subject to confirmation|"
    r"(?:is|are|remains?|still) pending(?: the)? (?:confirmation|approval|decision|selection|signature)|"
    r"(?:will|are to|is to) be (?:announced|confirmed|decided|published|communicated)\b)",
    re.I,
)
# A question about the announcing itself ('when will the results be announced?') is answered by it.
_ABOUT_ANNOUNCING = re.compile(r"\b(?:announc|confirm|decid|publish|communicat|result)", re.I)
_CLAUSE_END = re.compile(r"[;:]")


def left_pending(question: str, sentence: str, *, shared: int = 1) -> bool:
    """The sentence says that something the question asks about is yet to be announced, confirmed or
    decided: the words before its 'will be announced' (in the same clause) share ``shared`` terms with the
    question ('the host … will be confirmed' for 'which municipality hosts…?'; not 'results will be
    announced in July' for 'when does the call close?')."""
    pending = _PENDING.search(sentence)
    if pending is None or _ABOUT_ANNOUNCING.search(question):
        return False
    # the clause before it, or a label's name ('Keynote speaker: TBC')
    clauses = [clause for clause in _CLAUSE_END.split(sentence[: pending.start()]) if clause.strip()]
    subject = clauses[-1] if clauses else ""
    return len(set(terms(subject)) & set(terms(question))) >= shared
