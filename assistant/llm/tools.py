"""The tools an LLM may call: the core's own typed functions (retrieval, the pairings table, the
eligibility check, the document list), bound to one answer's index generation and evidence ledger.
Plain Python and pydantic; the LangChain adapter wraps them. Every result is quoted data (JSON)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from assistant.answering.base import AnswerRequest
from assistant.answering.pairings import pairings_matching
from assistant.answering.query import analyse
from assistant.answering.retrieval import embed_query, retrieve
from assistant.eligibility.check import check_eligibility
from assistant.eligibility.models import EligibilityRequest
from assistant.eligibility.tool import tool_definition
from assistant.llm.evidence import Ledger, chunk_units, passage_view, quoted, shown
from assistant.models import Filters
from ingest.embedder import Embedder
from ingest.models import DocumentKind
from ingest.textutil import fold
from prompts import load_prompt, say

_MARKER = re.compile(r"\[(\d+)\]")
_Arg = TypeVar("_Arg", bound=BaseModel)
_PAIRINGS_SHOWN = 25


class _Arguments(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SearchArguments(_Arguments):
    query: str = Field(
        min_length=1,
        max_length=300,
        description="What to look for, standing on its own: name the programme, city or topic instead of "
        "'it' or 'they'",
    )
    programme: str | None = Field(
        default=None, max_length=80, description="Only documents of this programme (see list_documents)"
    )
    kind: str | None = Field(
        default=None,
        max_length=40,
        description="Only documents of this kind: " + ", ".join(kind.value for kind in DocumentKind),
    )


class PairingArguments(_Arguments):
    city: str | None = Field(
        default=None, max_length=100, description="A city of the pairing (EU or partner)"
    )
    country: str | None = Field(default=None, max_length=100, description="A country of either city")
    topic: str | None = Field(default=None, max_length=100, description="A topic the pair works on")


class NoArguments(_Arguments):
    pass


@dataclass(frozen=True)
class Tool:
    """One tool: its name, what the model is told of it, its arguments, what it does, and what the
    asker is shown while it runs."""

    name: str
    description: str
    arguments: type[BaseModel]
    run: Callable[[BaseModel], str]
    progress: Callable[[BaseModel], str]


class ToolBox:
    """The tools of one answer, reading the index generation the answer reads and recording every
    passage they return in the answer's ledger."""

    def __init__(
        self,
        request: AnswerRequest,
        embedder: Embedder,
        today: date,
        *,
        search_k: int,
        passage_chars: int = 1500,
    ) -> None:
        self.request = request
        self.snapshot = request.snapshot
        self.embedder = embedder
        self.today = today
        self.search_k = search_k
        self.passage_chars = passage_chars
        self.ledger = Ledger()
        self.pairing_ids: list[str] = []

    def tools(self) -> list[Tool]:
        eligibility = tool_definition()["function"]
        return [
            Tool(
                "search_documents",
                load_prompt("llm_tool_search_documents"),
                SearchArguments,
                lambda a: self.search_documents(_as(a, SearchArguments)),
                lambda a: say("llm.progress_search", query=_as(a, SearchArguments).query),
            ),
            Tool(
                "find_pairings",
                load_prompt("llm_tool_find_pairings"),
                PairingArguments,
                lambda a: self.find_pairings(_as(a, PairingArguments)),
                lambda a: say("llm.progress_pairings"),
            ),
            Tool(
                str(eligibility["name"]),
                f"{eligibility['description']} {load_prompt('llm_tool_check_eligibility')}",
                EligibilityRequest,
                lambda a: self.check_eligibility(_as(a, EligibilityRequest)),
                lambda a: say("llm.progress_eligibility"),
            ),
            Tool(
                "list_documents",
                load_prompt("llm_tool_list_documents"),
                NoArguments,
                lambda a: self.list_documents(),
                lambda a: say("llm.progress_documents"),
            ),
        ]

    # --- the tools ------------------------------------------------------------------------------
    def search_documents(self, arguments: SearchArguments) -> str:
        """The passages that best answer the query. A query leaning on the conversation ('and in
        2024?') carries the earlier subject along, so retrieval always gets a standalone query."""
        subject = analyse(arguments.query, list(self.request.history)).subject
        filters = self.request.filters
        programme = self._known(arguments.programme, {m.programme for m in self.snapshot.documents.values()})
        kind = self._known(arguments.kind, {m.kind.value for m in self.snapshot.documents.values()})
        if (arguments.programme and programme is None) or (arguments.kind and kind is None):
            return quoted({"passages": [], "note": say("llm.no_such_filter"), **self._catalogue()})
        narrowed = Filters(
            programme=programme or filters.programme, kind=kind or filters.kind, source=filters.source
        )
        hits = retrieve(self.snapshot, embed_query(self.embedder, subject), subject, self.search_k, narrowed)
        views = [
            passage_view(
                self.ledger.add(hit.chunk.id, hit.chunk, chunk_units(self.snapshot, hit.chunk)),
                self.passage_chars,
            )
            for hit in hits
        ]
        return quoted({"query": subject, "passages": views})

    def find_pairings(self, arguments: PairingArguments) -> str:
        rows = pairings_matching(self.snapshot.pairings, arguments.city, arguments.country, arguments.topic)
        rows = [row for row in rows if self.request.filters.admits(self.snapshot.chunks[row.chunk_id])]
        shown_rows = []
        for row in rows[:_PAIRINGS_SHOWN]:
            evidence = self.ledger.add(
                f"pairing:{row.id}",
                self.snapshot.chunks[row.chunk_id],
                [row.quote],
                text=row.quote,
                pairing_id=row.id,
            )
            self.pairing_ids.append(row.id)
            shown_rows.append(
                {
                    "ref": evidence.ref,
                    "eu_city": row.eu_city,
                    "eu_country": row.eu_country,
                    "partner_city": row.partner_city,
                    "partner_country": row.partner_country,
                    "topics": row.topics,
                    "programme": row.programme,
                }
            )
        return quoted({"count": len(rows), "pairings": shown_rows})

    def check_eligibility(self, arguments: EligibilityRequest) -> str:
        """The rule-by-rule check; its citations become passages of this answer, its markers theirs."""
        report = check_eligibility(
            self.snapshot.rules,
            arguments.profile(),
            arguments.programme,
            arguments.edition,
            chunks=self.snapshot.chunks,
            today=self.today,
        )
        refs: dict[int, int] = {}
        for citation in report.citations:
            chunk = self.snapshot.chunks.get(citation.chunk_id)
            if chunk is not None:
                key = f"rule:{citation.chunk_id}:{citation.quote}"
                refs[citation.id] = self.ledger.add(key, chunk, [citation.quote], text=citation.quote).ref

        def renumbered(text: str) -> str:
            return shown(
                _MARKER.sub(lambda m: f"[{refs[int(m.group(1))]}]" if int(m.group(1)) in refs else "", text)
            )

        return quoted(
            {
                "verdict": report.verdict,
                "programme": report.programme,
                "edition": report.edition,
                "summary": renumbered(report.summary),
                "criteria": [
                    {
                        "criterion": result.label,
                        "status": result.status,
                        "strength": result.strength,
                        "explanation": renumbered(result.explanation),
                        "ref": refs.get(result.citation.id) if result.citation else None,
                    }
                    for result in report.results
                ],
                "passages": [
                    {"ref": ref, "text": shown(citation.quote)}
                    for citation in report.citations
                    if (ref := refs.get(citation.id)) is not None
                ],
                "still_needed": report.needed,
                "deadline": report.deadline.isoformat() if report.deadline else None,
                "open_today": report.open,
            }
        )

    def list_documents(self) -> str:
        return quoted(self._catalogue())

    # --- helpers --------------------------------------------------------------------------------
    def _catalogue(self) -> dict[str, Any]:
        documents = sorted(self.snapshot.documents.values(), key=lambda meta: meta.source)
        return {
            "documents": [
                {
                    "title": shown(meta.title),
                    "kind": meta.kind.value,
                    "programme": meta.programme,
                    "edition": meta.edition,
                }
                for meta in documents
            ]
        }

    @staticmethod
    def _known(asked: str | None, known: set[str | None]) -> str | None:
        if not asked:
            return None
        wanted = fold(asked.strip())
        return next((name for name in known if name and fold(name) == wanted), None)


def compact_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The arguments' JSON schema as a model is shown it, without what only costs tokens: titles, null
    defaults, examples, 'or null' alternatives (an absent argument is null), $defs inlined. Arguments
    are still validated against the full model."""
    full = model.model_json_schema()
    definitions = full.get("$defs", {})

    def simplify(node: Any) -> Any:
        if isinstance(node, list):
            return [simplify(item) for item in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            rest = {key: value for key, value in node.items() if key != "$ref"}
            node = {**definitions[node["$ref"].rsplit("/", 1)[-1]], **rest}
        options = node.get("anyOf")
        if isinstance(options, list):
            kept = [option for option in options if option != {"type": "null"}]
            rest = {key: value for key, value in node.items() if key != "anyOf"}
            node = {**rest, **kept[0]} if len(kept) == 1 else {**rest, "anyOf": kept}
        return {
            key: simplify(value)
            for key, value in node.items()
            if key not in ("title", "examples", "$defs") and not (key == "default" and value is None)
        }

    simplified: dict[str, Any] = simplify(full)
    simplified.pop("description", None)  # the tool's own description says it
    return simplified


def _as(arguments: BaseModel, kind: type[_Arg]) -> _Arg:
    assert isinstance(arguments, kind)
    return arguments
