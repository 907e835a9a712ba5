"""LLM mode behind the Answerer seam: an agent over an OpenAI-compatible endpoint writes the answer with
the core's tools; every sentence is verified against the passages the tools returned before anything
leaves (unsupported sentences are dropped, citations renumbered); when the endpoint fails, is too slow,
or nothing of its answer holds, the offline answer goes out with a notice saying so.

The agent runs in a worker thread; the answer waits for it until the deadline and relays its progress
(tool rounds) as events, so a stream shows what happens and a slow endpoint never holds an answer past
``ASSISTANT_LLM__TIMEOUT_SECONDS``.
"""

from __future__ import annotations

import logging
import queue
import re
import threading
import time
from collections.abc import Callable, Generator
from datetime import date
from typing import TYPE_CHECKING

from assistant.answering.base import Answerer, AnswerRequest
from assistant.answering.query import analyse
from assistant.answering.retrieval import embed_query, retrieve
from assistant.citations import CitationBuilder
from assistant.grounding import CheckedSentence, Passage, Problem, Support, check_sentence, verify
from assistant.llm.evidence import about
from assistant.llm.faults import LlmError, classify
from assistant.llm.language import ENGLISH, question_language, translation_problems
from assistant.llm.tools import ToolBox
from assistant.models import AnswerProgress, Composed, Notice
from assistant.settings import AnswerSettings, LlmSettings
from ingest.embedder import Embedder
from ingest.store import IndexSnapshot
from ingest.textutil import terms
from prompts import LLM_NO_ANSWER, load_prompt, say

if TYPE_CHECKING:
    from assistant.llm.agent import ChatAgent, Role

logger = logging.getLogger(__name__)

_MARKERS = re.compile(r"\s*\[\d{1,3}\]")
_MAX_COOL_DOWN = 300.0  # seconds a Retry-After may keep answers offline
_RELEVANT_K = 20  # passages retrieval ranks for the question, when judging whether an answer speaks to it


class LlmAnswerer:
    """Answers with an LLM agent; ``fallback`` (the offline answerer) answers whenever it cannot."""

    def __init__(
        self,
        settings: LlmSettings,
        answers: AnswerSettings,
        *,
        api_key: str,
        embedder: Embedder,
        today: Callable[[], date],
        fallback: Answerer,
    ) -> None:
        self.settings = settings
        self.answers = answers
        self.embedder = embedder
        self.today = today
        self.fallback = fallback
        self._api_key = api_key
        self._agent: ChatAgent | None = None
        self._agent_lock = threading.Lock()
        self._cool_until = 0.0

    @property
    def mode(self) -> str:
        return "llm"

    def warm_up(self, snapshot: IndexSnapshot) -> None:
        self.fallback.warm_up(snapshot)  # the endpoint is not asked: a generation switch costs no tokens

    def close(self) -> None:
        self.fallback.close()

    def answer(self, request: AnswerRequest) -> Composed:
        steps = self.answer_steps(request)
        while True:
            try:
                next(steps)
            except StopIteration as done:
                composed: Composed = done.value
                return composed

    def answer_steps(self, request: AnswerRequest) -> Generator[AnswerProgress, None, Composed]:
        """Progress while the agent works, then the verified answer (or the offline one, noted)."""
        waiting = self._cool_until - time.monotonic()
        if waiting > 0:
            return (yield from self._fallback(request, LlmError("rate_limited", "cooling down", waiting)))
        deadline = time.monotonic() + self.settings.timeout_seconds  # for the whole answer
        toolbox = ToolBox(request, self.embedder, self.today(), search_k=self.settings.search_k)
        outcome = yield from self._run(request, toolbox, deadline)
        if isinstance(outcome, LlmError):
            return (yield from self._fallback(request, outcome))
        if outcome.strip().rstrip(".").upper() == LLM_NO_ANSWER:
            logger.info("the model found no answer in the documents; the offline answerer answers")
            return self.fallback.answer(request)
        yield AnswerProgress(step="verify", text=say("llm.progress_verify"))
        composed = self._grounded(outcome, toolbox, request)
        if composed is None:
            fault = LlmError("unverified", f"{len(toolbox.ledger.items)} passages returned")
            return (yield from self._fallback(request, fault))
        if not self._addresses(composed, request):
            fault = LlmError("off_topic", f"its verified answer shares too little with {request.question!r}")
            return (yield from self._fallback(request, fault))
        language = request.language or question_language(request.question)
        if language != ENGLISH:
            yield AnswerProgress(step="model", text=say("llm.progress_translate", language=language))
            self._translate(composed, language, deadline)
        return composed

    # --- running the agent ----------------------------------------------------------------------
    def _agent_for_run(self) -> ChatAgent:
        with self._agent_lock:
            if self._agent is None:
                from assistant.llm.agent import ChatAgent  # LangChain loads on the first LLM answer

                self._agent = ChatAgent(self.settings, self._api_key)
            return self._agent

    def _run(
        self, request: AnswerRequest, toolbox: ToolBox, deadline: float
    ) -> Generator[AnswerProgress, None, str | LlmError]:
        from assistant.llm.agent import Run, Step

        channel: queue.Queue[Step | str | LlmError] = queue.Queue()
        stop = threading.Event()
        system = load_prompt("llm_system").format(today=self.today().isoformat(), no_answer=LLM_NO_ANSWER)
        run = Run(toolbox.tools(), deadline, channel.put, stop.is_set, say("llm.progress_model"))

        def work() -> None:
            try:
                channel.put(self._agent_for_run().run(system, _conversation(request), run))
            except Exception as error:  # every failure is reported to the waiting answer
                channel.put(classify(error))

        threading.Thread(target=work, name="llm-answer", daemon=True).start()
        try:
            while True:
                try:
                    item = channel.get(timeout=max(0.0, deadline - time.monotonic()))
                except queue.Empty:
                    return LlmError("timeout", f"no answer within {self.settings.timeout_seconds:g} s")
                if isinstance(item, Step):
                    yield AnswerProgress(
                        step="tool" if item.tool else "model", text=item.text, tool=item.tool
                    )
                else:
                    return item
        finally:
            stop.set()  # also when the asker went away: the run stops at its next step

    def _fallback(self, request: AnswerRequest, fault: LlmError) -> Generator[AnswerProgress, None, Composed]:
        if fault.kind == "rate_limited" and fault.retry_after and fault.detail != "cooling down":
            self._cool_until = time.monotonic() + min(fault.retry_after, _MAX_COOL_DOWN)
        if fault.kind != "cancelled":
            level = {
                "rejected": logging.ERROR,
                "not_found": logging.ERROR,
                "unverified": logging.INFO,
                "off_topic": logging.INFO,
            }.get(fault.kind, logging.WARNING)
            logger.log(
                level,
                "LLM answer failed, answering offline: %s",
                fault.for_operator(self.settings.base_url or "", self.settings.model or ""),
            )
        text = fault.for_asker()
        yield AnswerProgress(step="fallback", text=text)
        composed = self.fallback.answer(request)
        composed.notices = [Notice(kind="llm_fallback", text=text), *composed.notices]
        return composed

    def _translate(self, composed: Composed, language: str, deadline: float) -> None:
        """The verified answer in ``language``, if the translation keeps every marker, number, link and
        acronym; else the English answer stays, with a notice saying so."""
        system = load_prompt("llm_translate").format(language=language)
        try:
            translated = self._agent_for_run().complete(system, composed.text, deadline)
            problems = translation_problems(composed.text, translated)
        except LlmError as error:
            problems = [error.detail]
        if problems:
            logger.warning("translation into %s refused: %s", language, "; ".join(problems))
            composed.notices.append(
                Notice(kind="llm_language", text=say("llm.untranslated", language=language))
            )
            return
        composed.text = translated

    def _addresses(self, composed: Composed, request: AnswerRequest) -> bool:
        """Whether a verified answer speaks to the question: it (or what it quotes) holds two of the
        question's content words (with what a follow-up leans on), or it cites a passage that retrieval
        itself ranks among the best for the question."""
        analysis = analyse(request.question, list(request.history))
        said = set(terms(" ".join([composed.text, *(citation.quote for citation in composed.citations)])))
        if not analysis.focus or sum(term in said for term in analysis.focus) >= min(2, len(analysis.focus)):
            return True
        vector = embed_query(self.embedder, analysis.subject)
        best = retrieve(request.snapshot, vector, analysis.subject, _RELEVANT_K, request.filters)
        return bool({hit.chunk.id for hit in best} & {citation.chunk_id for citation in composed.citations})

    # --- verifying what it wrote ----------------------------------------------------------------
    def _grounded(self, text: str, toolbox: ToolBox, request: AnswerRequest) -> Composed | None:
        """The answer with only its supported sentences, citations renumbered and quoting the passage
        sentences that support each one; None when no sentence holds."""
        given = " ".join([turn.question for turn in request.history] + [request.question])
        ledger = toolbox.ledger
        verification = verify(text, ledger.passages(), given=given, min_coverage=self.settings.min_coverage)
        for sentence in verification.kept:  # the quotes themselves must carry the sentence
            quotes = {
                s.ref: Passage(
                    (ledger.items[s.ref].quote(s),),
                    about(ledger.items[s.ref].chunk.title, ledger.items[s.ref].chunk.section),
                )
                for s in sentence.supports
            }
            _, problems = check_sentence(
                sentence.text, quotes, given=given, min_coverage=self.settings.min_coverage
            )
            sentence.problems = problems
        unsupported = len(verification.dropped)
        if unsupported:
            logger.info(
                "left out %d unsupported sentence(s), e.g. %s",
                unsupported,
                "; ".join(f"{s.text[:100]!r} ({s.problems[0].detail})" for s in verification.dropped[:3]),
            )
        _fit(verification.kept, self.answers.max_answer_chars)
        builder = CitationBuilder(request.snapshot.chunks)

        def number(support: Support) -> int:
            evidence = ledger.items[support.ref]
            return builder.cite(evidence.chunk.id, evidence.quote(support))

        rendered = verification.render(number)
        if not rendered:
            return None
        notices = []
        if unsupported:
            repaired = (
                say("llm.repaired_one") if unsupported == 1 else say("llm.repaired_many", count=unsupported)
            )
            notices.append(Notice(kind="llm_repaired", text=repaired))
        cited = {citation.chunk_id for citation in builder.citations}
        pairing_ids = [
            evidence.pairing_id
            for evidence in ledger.items.values()
            if evidence.pairing_id and evidence.chunk.id in cited
        ]
        return Composed(
            rendered,
            builder.citations,
            abstained=False,
            pairing_ids=pairing_ids,
            subject=analyse(request.question, list(request.history)).subject,
            notices=notices,
        )


def _fit(kept: list[CheckedSentence], limit: int) -> None:
    """Leave out the last sentences while the answer is longer than ``limit`` (markers counted)."""
    length = sum(len(sentence.text) + 5 * len(sentence.supports) + 1 for sentence in kept)
    for sentence in reversed(kept[1:]):
        if length <= limit:
            return
        length -= len(sentence.text) + 5 * len(sentence.supports) + 1
        sentence.problems = (Problem("empty", "left out: the answer is long enough"),)


def _conversation(request: AnswerRequest) -> list[tuple[Role, str]]:
    """The conversation for the model: earlier questions and answers (their markers removed: they
    point to passages of earlier turns), then the question."""
    turns: list[tuple[Role, str]] = []
    for turn in request.history:
        turns.append(("user", turn.question))
        if turn.answer:
            turns.append(("assistant", _MARKERS.sub("", turn.answer)))
    turns.append(("user", request.question))
    return turns
