"""The ``assistant`` command: ingest, documents, ask, chat, check, rules, serve, bot, eval. It only parses,
calls the service and prints. Each command imports what it needs, so ``--help`` and argument errors stay
fast."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from typer.exceptions import TyperException

from ingest.errors import AssistantError, InvalidRequestError

if TYPE_CHECKING:
    from assistant.models import Answer
    from assistant.service import AssistantService
    from ingest.models import IngestReport

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Grounded, cited answers about the EU's city-to-city cooperation programmes.",
)
logger = logging.getLogger(__name__)
CLI_CALLER = "cli"  # whose labels `--session NAME` names: one terminal user's own conversations


def _service() -> AssistantService:
    from assistant.settings import get_settings
    from assistant.wiring import build_service

    return build_service(get_settings())


# How the check's statuses read to a person.
STATUS_WORDS = {
    "meets": "met",
    "does_not_meet": "not met",
    "not_stated": "not stated in the documents",
    "unknown": "not known from the facts given",
}
QUOTE_CHARS = 160


def cut(text: str, limit: int = QUOTE_CHARS) -> str:
    """``text`` whole, or cut at a word boundary before ``limit`` with an ellipsis saying so."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    if " " in head[limit // 2 :]:
        head = head[: head.rindex(" ")]
    return head.rstrip(" ,;:.") + "…"


def _print_answer(answer: Answer) -> None:
    typer.echo(answer.answer)
    for notice in answer.notices:
        typer.echo(f"Note: {notice.text}")
    if answer.citations:
        typer.echo("")
    for citation in answer.citations:
        where = f", {citation.section}" if citation.section else ""
        page = f", p. {citation.page}" if citation.page else ""
        typer.echo(f"[{citation.id}] {citation.source}{where}{page}: “{cut(citation.quote)}”")


def _show_progress(requested: bool | None, as_json: bool) -> bool:
    """A bar when asked for, or by default when both outputs are a terminal; never with --json."""
    if as_json:
        return False
    if requested is not None:
        return requested
    return sys.stdout.isatty() and sys.stderr.isatty()


@app.command()
def ingest(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or folders (default: the corpus folder)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as one JSON object")] = False,
    progress: Annotated[
        bool | None,
        typer.Option(
            "--progress/--no-progress",
            help="Show a progress bar on stderr (default: when the output is a terminal; never with --json)",
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Remove files gone from the folder even if they are most of the index"),
    ] = False,
) -> None:
    """Index documents; unchanged files are not embedded again, files gone from a folder are removed."""
    service = _service()
    if _show_progress(progress, as_json):
        from rich.console import Console

        from assistant.faces.cli_progress import ProgressBar

        with ProgressBar(Console(stderr=True, force_terminal=True) if progress else None) as bar:
            report = service.ingest(paths, progress=bar, force=force)
    else:
        report = service.ingest(paths, force=force)
    if as_json:
        typer.echo(report.model_dump_json())
    else:
        _print_report(report)
    if not report.ok:
        raise typer.Exit(1)


def _print_report(report: IngestReport) -> None:
    typer.echo(
        f"indexed {len(report.files_indexed)} ({len(report.files_added)} added, "
        f"{len(report.files_changed)} changed), unchanged {len(report.files_unchanged)}, "
        f"removed {len(report.files_removed)}, failed {len(report.files_failed)}; "
        f"rules {report.rules_loaded} loaded, {len(report.rules_refused)} refused; "
        f"{report.chunks_embedded} chunks embedded, {report.chunks_total} in the index "
        f"({report.seconds:.1f} s)"
    )
    for label, names in (
        ("added", report.files_added),
        ("changed", report.files_changed),
        ("removed", report.files_removed),
        ("rule added", report.rules_added),
        ("rule changed", report.rules_changed),
        ("rule removed", report.rules_removed),
    ):
        for name in names:
            typer.echo(f"  {label}: {name}")
    for failed in report.files_failed:
        typer.echo(f"  failed: {failed.path}: {failed.error}", err=True)
    for refused in report.rules_refused:
        typer.echo(f"  rule refused: {refused.message}", err=True)
    for skipped in report.rulesets_skipped:
        typer.echo(
            f"  skipped: {skipped.file}: {skipped.programme} {skipped.edition}: {skipped.reason}",
            err=True,
        )


documents_app = typer.Typer(no_args_is_help=True, help="The document library: what the index holds.")
app.add_typer(documents_app, name="documents")


@documents_app.command("list")
def documents_list(
    as_json: Annotated[bool, typer.Option("--json", help="Print the list as one JSON object")] = False,
) -> None:
    """Every indexed document: file, title, kind, programme, edition, chunks, rules, when indexed."""
    listing = _service().documents()
    if as_json:
        typer.echo(listing.model_dump_json())
        return
    typer.echo(f"{listing.count} documents in index generation {listing.generation}")
    for document in listing.documents:
        facts = [
            document.kind,
            document.programme or "no programme",
            f"edition {document.edition}" if document.edition else "no edition",
            f"{document.chunks} chunks",
            f"{document.rules} eligibility rules active" if document.rules_active else "no eligibility rules",
            f"indexed {document.indexed_at:%Y-%m-%d %H:%M} UTC" if document.indexed_at else "indexed earlier",
        ]
        typer.echo(f"{document.source}\n  {document.title}\n  {'; '.join(facts)}\n  id {document.id}")


@documents_app.command("remove")
def documents_remove(
    name: Annotated[str, typer.Argument(help="The document's file name or id (as listed)")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the outcome as one JSON object")] = False,
) -> None:
    """Take a document out of the index. Its file, if it is in the corpus folder, moves to the data
    folder's removed/ folder (nothing is deleted), so the next sync does not bring it back."""
    removal = _service().remove_document(name)
    if as_json:
        typer.echo(removal.model_dump_json())
        return
    where = (
        f"its file moved to {removal.moved_to}"
        if removal.moved_to
        else "its file was not in the corpus folder and stays where it is"
    )
    typer.echo(f"removed {removal.source} from the index; {where}")
    _print_report(removal.report)


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the answer as JSON")] = False,
    session: Annotated[
        str | None,
        typer.Option("--session", help="Continue a conversation: an answer's session id, or your own name"),
    ] = None,
    programme: Annotated[str | None, typer.Option(help="Only documents of this programme")] = None,
    kind: Annotated[str | None, typer.Option(help="Only documents of this kind")] = None,
) -> None:
    """Answer one question from the documents, with citations."""
    from assistant.models import Filters

    answer = _service().ask(question, session, Filters(programme=programme, kind=kind), caller=CLI_CALLER)
    if as_json:
        typer.echo(answer.model_dump_json())
    else:
        _print_answer(answer)


@app.command()
def chat() -> None:
    """An interactive conversation in the terminal (empty line or Ctrl-D to leave)."""
    service = _service()
    session: str | None = None
    while True:
        try:
            question = input("you> ").strip()
        except EOFError:
            break
        if not question:
            break
        try:
            answer = service.ask(question, session, caller=CLI_CALLER)
        except AssistantError as error:
            typer.echo(f"error: {error.message}", err=True)
            continue
        session = answer.session_id
        _print_answer(answer)
        typer.echo("")


index_app = typer.Typer(no_args_is_help=True, help="Index generations: the serving one and the ones kept.")
app.add_typer(index_app, name="index")


@index_app.command("rollback")
def index_rollback() -> None:
    """Serve the previous index generation again (running servers switch within a second or so)."""
    before, after = _service().rollback()
    typer.echo(f"rolled back: {before} -> {after}")


rules_app = typer.Typer(
    no_args_is_help=True, help="Eligibility rules: the reviewed data file beside the corpus."
)
app.add_typer(rules_app, name="rules")


@rules_app.command("propose")
def rules_propose(
    file: Annotated[Path, typer.Argument(help="A new call document (.txt, .md, .html, .pdf)")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the draft here (never overwritten)")
    ] = None,
) -> None:
    """Draft rules from a call document for staff to review. Drafts carry `status: draft` and are never
    active until a reviewer changes that and puts them in a `*.rules.yaml` file of the corpus."""
    from assistant.eligibility.propose import propose_rules

    draft = propose_rules(file)
    if output is None:
        typer.echo(draft, nl=False)
        return
    if output.exists():
        raise InvalidRequestError(f"{output} exists; the draft is never written over a file.")
    output.write_text(draft, encoding="utf-8")
    typer.echo(f"draft written to {output}; review it, then set status: active", err=True)


@app.command()
def check(  # noqa: PLR0917 - typer reads each option from a parameter
    applicant_type: Annotated[
        str | None, typer.Option("--type", help="municipality, city, town, group_of_municipalities, region…")
    ] = None,
    population: Annotated[int | None, typer.Option(help="Inhabitants (a group: the total)")] = None,
    country: Annotated[str | None, typer.Option(help="Country name or ISO code")] = None,
    group: Annotated[bool | None, typer.Option("--group/--single", help="A group of municipalities")] = None,
    members: Annotated[int | None, typer.Option(help="Municipalities in the group")] = None,
    commitment_months: Annotated[float | None, typer.Option(help="Months you can commit")] = None,
    lead_contact: Annotated[
        bool | None, typer.Option("--lead-contact/--no-lead-contact", help="The group named its lead contact")
    ] = None,
    members_committed: Annotated[
        bool | None,
        typer.Option("--members-committed/--members-not-committed", help="The group's members committed"),
    ] = None,
    partner_agreement: Annotated[
        bool | None,
        typer.Option(
            "--partner-agreement/--no-partner-agreement", help="Will sign the partnership agreement"
        ),
    ] = None,
    partner_region: Annotated[str | None, typer.Option(help="World region of the partner city")] = None,
    programme: Annotated[str | None, typer.Option(help="The programme whose call to check")] = None,
    edition: Annotated[str | None, typer.Option(help="The call edition (default: the newest)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON")] = False,
) -> None:
    """Check an applicant against a call's eligibility rules: each criterion met, not met, not stated in
    the documents or unknown, with the call's words."""
    from pydantic import ValidationError

    from assistant.eligibility.models import EligibilityRequest

    facts = {
        "applicant_type": applicant_type,
        "population": population,
        "country": country,
        "group": group,
        "members": members,
        "commitment_months": commitment_months,
        "lead_contact": lead_contact,
        "members_committed": members_committed,
        "partner_agreement": partner_agreement,
        "partner_region": partner_region,
        "programme": programme,
        "edition": edition,
    }
    try:
        request = EligibilityRequest.model_validate(
            {key: value for key, value in facts.items() if value is not None}
        )
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, item['loc']))}: {item['msg']}" for item in error.errors())
        raise InvalidRequestError(problems) from error
    report = _service().check_eligibility(request)
    if as_json:
        typer.echo(report.model_dump_json())
        return
    typer.echo(report.summary)
    typer.echo("")
    for result in report.results:
        strength = f" ({result.strength})" if result.strength else ""
        status = STATUS_WORDS.get(result.status, result.status.replace("_", " "))
        typer.echo(f"- {status.capitalize()}{strength}: {result.explanation}")
    if report.citations:
        typer.echo("")
    for citation in report.citations:
        where = f", {citation.section}" if citation.section else ""
        typer.echo(f"[{citation.id}] {citation.source}{where}: “{cut(citation.quote)}”")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on")] = None,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Server processes sharing the port (one per core)")
    ] = 1,
) -> None:
    """Serve the HTTP API and the web pages; with --workers N, N processes answer on the same port."""
    from assistant.faces.http.server import run
    from assistant.settings import get_settings

    settings = get_settings()
    if workers == 1:
        from assistant.faces.http.app import create_app

        run(create_app(settings), settings, host, port)
    else:  # each worker process builds its own app from the same environment
        run("assistant.faces.http.app:app_from_environment", settings, host, port, workers)


@app.command()
def bot() -> None:
    """Run the Discord bot: /ask, /eligibility and @mentions (token: ASSISTANT_DISCORD__TOKEN)."""
    import asyncio

    from assistant.settings import get_settings

    settings = get_settings()
    from assistant.faces.discord.credentials import require_token

    require_token(settings.discord)  # before anything else starts
    from assistant.faces.discord.runner import run_bot
    from assistant.wiring import build_service

    try:
        asyncio.run(run_bot(settings, lambda: build_service(settings)))
    except KeyboardInterrupt:
        typer.echo("bot stopped", err=True)


@app.command("eval")
def evaluate(
    files: Annotated[list[Path], typer.Argument(help="Question files in the dev.jsonl format")],
    corpus: Annotated[
        list[Path] | None,
        typer.Option(
            "--corpus",
            help="Index these folders beside the shipped corpus in a temporary data dir and answer from "
            "that index (repeatable); without it, the configured index answers",
        ),
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show each failure")] = False,
    output: Annotated[
        Path | None, typer.Option("--out", help="Write every answer and verdict (JSON)")
    ] = None,
) -> None:
    """Run question files in-process: pass rate per category, and how well abstention separates
    unanswerable questions from answerable ones."""
    import tempfile

    from assistant.evaluation import run_file, summarise
    from assistant.settings import get_settings
    from assistant.wiring import build_service

    settings = get_settings()
    with tempfile.TemporaryDirectory(prefix="assistant-eval-") as scratch:
        if corpus:
            settings = settings.model_copy(update={"data_dir": Path(scratch)})
        service = build_service(settings)
        try:
            if corpus:
                report = service.ingest([settings.corpus_dir, *corpus])
                for failed in report.files_failed:
                    typer.echo(f"  failed: {failed.path}: {failed.error}", err=True)
            outcomes = [outcome for file in files for outcome in run_file(file, service.ask)]
        finally:
            service.close()
    for outcome in outcomes:
        if not outcome.passed and verbose:
            typer.echo(f"FAIL {outcome.id}: {'; '.join(outcome.problems)}\n  {outcome.answer[:300]!r}")
    if output is not None:
        output.write_text(json.dumps([outcome.as_json() for outcome in outcomes], indent=1), encoding="utf-8")
    typer.echo(json.dumps(summarise(outcomes)))


def main() -> None:
    from assistant.settings import get_settings

    settings_level = "INFO"
    try:
        settings_level = get_settings().log_level
    except Exception:  # a bad setting is reported below, by the command itself
        logger.debug("settings could not be read", exc_info=True)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    # The handler filters too: some libraries (bm25s) set their own logger to DEBUG when imported.
    handler.setLevel(settings_level.upper())
    logging.basicConfig(level=settings_level.upper(), handlers=[handler])
    for noisy in ("chromadb", "httpx", "bm25s", "pypdf"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    sys.exit(run_command(settings_level))


# Exit statuses: 0 done; 1 done, with failures reported (files that could not be indexed, refused
# rules); 2 refused: bad input, a setting, no index yet (and typer's usage errors); 3 a file or
# database could not be read or written (read-only folder, full disk, corrupt database); 70 a bug.
EXIT_REFUSED = 2
EXIT_STORAGE = 3
EXIT_BUG = 70


def run_command(log_level: str = "INFO") -> int:
    """Run the command line; every failure ends as one ``error:`` line on stderr and an exit status."""
    import sqlite3

    try:
        status = app(standalone_mode=False)  # click returns typer.Exit's status rather than exiting
    except AssistantError as error:
        return _fail(error.message, EXIT_REFUSED)
    except typer.Exit as done:
        return int(done.exit_code)
    except TyperException as error:  # usage errors: typer words them (with the command's usage)
        show = getattr(error, "show", None)
        if callable(show):
            show()
        else:
            typer.echo(f"error: {error.format_message()}", err=True)
        return int(error.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        return _fail("interrupted", 130)
    except OSError as error:
        return _fail(_os_problem(error), EXIT_STORAGE)
    except sqlite3.Error as error:
        return _fail(
            f"a database in the data folder could not be used: {error} (check that {_data_dir()} is "
            "writable, the disk has room and its files are intact)",
            EXIT_STORAGE,
        )
    except Exception as error:
        logger.debug("unexpected failure", exc_info=error)
        hint = "" if log_level.upper() == "DEBUG" else "; ASSISTANT_LOG_LEVEL=DEBUG shows where"
        return _fail(f"unexpected failure: {type(error).__name__}: {error}{hint}", EXIT_BUG)
    return status if isinstance(status, int) else 0


def _data_dir() -> str:
    from assistant.settings import get_settings

    try:
        return f"ASSISTANT_DATA_DIR ({get_settings().data_dir.resolve()})"
    except AssistantError:
        return "ASSISTANT_DATA_DIR"


def _fail(message: str, status: int) -> int:
    typer.echo(f"error: {' '.join(message.split())}", err=True)
    return status


def _os_problem(error: OSError) -> str:
    import errno

    where = f"{error.filename}: " if error.filename else ""
    reason = error.strerror or str(error)
    advice = {
        errno.ENOSPC: " (the disk is full)",
        errno.EFBIG: " (the file is over the size the system allows)",
        errno.EROFS: " (the folder is read-only)",
        errno.EACCES: " (no permission: check the folder's owner and mode)",
        errno.EPERM: " (no permission: check the folder's owner and mode)",
        errno.ENOENT: "",
    }.get(error.errno or 0, "")
    return f"{where}{reason}{advice}"
