"""Re-check every citation of every answer a running server gives to a question set, with the grounding
verifier: how many answers carry a citation whose quote does not support its sentence (must be 0).

It puts a recording proxy on loopback in front of the server, runs the shared scorer through it
(``score.py QUESTIONS --base PROXY``, so the pass rate is the scorer's own), keeps each /v1/ask reply
whole (the scorer keeps 600 characters and no quotes), then checks each cited sentence against the
quotes of its markers, the asker's words of that session as given. Answers the offline answerer gave
(an ``llm_fallback`` notice) are counted apart. The question file is read by the scorer only.

    python benchmarks/llm_grounding.py ../shared/eval/practice/questions.jsonl \\
        --base http://127.0.0.1:8000 --out practice-llm.json
    python benchmarks/llm_grounding.py --recheck practice-llm.json   # again, on a saved run
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from assistant.grounding import Passage, check_sentence, normalise_markers  # noqa: E402
from assistant.llm.evidence import about  # noqa: E402
from ingest.textutil import split_sentences  # noqa: E402

MARKER = re.compile(r"\[(\d+)\]")
DEFAULT_SCORER = REPO.parent / "shared" / "eval" / "score.py"


def record(base: str, exchanges: list[dict[str, Any]]) -> ThreadingHTTPServer:
    """A proxy forwarding POST /v1/ask to ``base`` and keeping each request with its whole reply."""

    class Proxy(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            request = urllib.request.Request(
                base.rstrip("/") + self.path, data=body, headers={"Content-Type": "application/json"}
            )
            with urllib.request.urlopen(request, timeout=600) as reply:
                status, answer = reply.status, reply.read()
            exchanges.append({"request": json.loads(body), "reply": json.loads(answer)})
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def unsupported(answer: dict[str, Any], given: str) -> list[dict[str, Any]]:
    """The cited sentences of an answer its quotes do not carry, with why."""
    quotes = {
        citation["id"]: Passage((citation["quote"],), about(citation["title"], citation["section"]))
        for citation in answer.get("citations", [])
    }
    found = []
    for line in normalise_markers(answer.get("answer", "")).splitlines():
        for sentence in split_sentences(line):
            cited = [int(n) for n in MARKER.findall(sentence)]
            if not cited:
                continue
            passages = {n: quotes[n] for n in cited if n in quotes}
            _, problems = check_sentence(MARKER.sub("", sentence), passages, given=given)
            missing = [n for n in cited if n not in quotes]
            if problems or missing:
                reasons = [p.detail for p in problems] + [f"[{n}] is in no citation" for n in missing]
                found.append({"sentence": sentence, "problems": reasons})
    return found


def check(exchanges: list[dict[str, Any]]) -> dict[str, Any]:
    said: dict[str, list[str]] = {}
    counts = {"answers": 0, "llm_answers": 0, "offline_fallbacks": 0, "repaired": 0, "citations": 0}
    bad: list[dict[str, Any]] = []
    for exchange in exchanges:
        reply, question = exchange["reply"], exchange["request"].get("question", "")
        session = reply.get("session_id") or exchange["request"].get("session_id") or ""
        said.setdefault(session, []).append(question)
        kinds = {notice["kind"] for notice in reply.get("notices", [])}
        counts["answers"] += 1
        counts["citations"] += len(reply.get("citations", []))
        fallback = "llm_fallback" in kinds or reply.get("mode") != "llm"
        counts["offline_fallbacks" if fallback else "llm_answers"] += 1
        counts["repaired"] += "llm_repaired" in kinds
        problems = unsupported(reply, " ".join(said[session]))
        if problems:
            bad.append({"question": question, "offline": fallback, "unsupported": problems})
    return {
        **counts,
        "answers_with_an_unsupported_citation": len(bad),
        "of_them_llm_answers": sum(not item["offline"] for item in bad),
        "of_them_offline_answers": sum(item["offline"] for item in bad),
        "details": bad,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("questions", nargs="?", help="a question set in the dev.jsonl format")
    parser.add_argument("--base", default="http://127.0.0.1:8000", help="the assistant's HTTP API")
    parser.add_argument("--scorer", default=str(DEFAULT_SCORER), help="the shared score.py")
    parser.add_argument("--out", help="write the recorded run and the check here (JSON)")
    parser.add_argument("--recheck", help="check a run saved with --out instead of running one")
    arguments = parser.parse_args()
    if arguments.recheck:
        saved = json.loads(Path(arguments.recheck).read_text(encoding="utf-8"))
        exchanges, score = saved["exchanges"], saved.get("score")
    else:
        if not arguments.questions:
            parser.error("give a question set, or --recheck a saved run")
        exchanges = []
        proxy = record(arguments.base, exchanges)
        scored = subprocess.run(
            [
                sys.executable,
                arguments.scorer,
                arguments.questions,
                "--base",
                f"http://127.0.0.1:{proxy.server_port}",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        proxy.shutdown()
        score = json.loads(scored.stdout.strip().splitlines()[-1])
    result = check(exchanges)
    if arguments.out and not arguments.recheck:
        Path(arguments.out).write_text(
            json.dumps({"score": score, "check": result, "exchanges": exchanges}, indent=1), encoding="utf-8"
        )
    summary = {key: value for key, value in result.items() if key != "details"}
    print(json.dumps({"score": score, **summary}))
    for item in result["details"]:
        print(json.dumps(item, ensure_ascii=False)[:600], file=sys.stderr)


if __name__ == "__main__":
    main()
