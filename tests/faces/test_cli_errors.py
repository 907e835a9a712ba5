"""The ``assistant`` command as a user runs it (its own process, through ``main``): human wording for the
eligibility check, ellipses where quotes are cut, answers alone on stdout, and every failure as one
``error:`` line with an exit status — a missing file, a bad setting, a read-only folder, a full disk, a
corrupt database — never a traceback."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from assistant.faces.cli import EXIT_REFUSED, EXIT_STORAGE, cut
from tests.support.paths import CORPUS

pytestmark = pytest.mark.slow  # processes of their own


@dataclass
class Ran:
    status: int
    stdout: str
    stderr: str

    def error_lines(self) -> list[str]:
        """stderr without log lines (``2026-… LEVEL name: …``)."""
        return [line for line in self.stderr.splitlines() if line and not line[:4].isdigit()]


def _environment(data: Path, **env: str) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")},
        "ASSISTANT_DATA_DIR": str(data),
        "ASSISTANT_CORPUS_DIR": str(CORPUS),
        **env,
    }


def run_cli(
    data: Path, *arguments: str, env: dict[str, str] | None = None, limit: Callable[[], None] | None = None
) -> Ran:
    done = subprocess.run(
        [sys.executable, "-c", "from assistant.faces.cli import main; main()", *arguments],
        env=_environment(data, **(env or {})),
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=limit,
        check=False,
    )
    return Ran(done.returncode, done.stdout, done.stderr)


def assert_one_error_line(ran: Ran, status: int, *words: str) -> str:
    assert ran.status == status, (ran.status, ran.stderr)
    assert "Traceback" not in ran.stderr and "╭" not in ran.stderr, ran.stderr
    [line] = ran.error_lines()
    assert line.startswith("error: "), line
    for word in words:
        assert word in line, line
    return line


@pytest.fixture
def data(real_index: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(real_index, copy)
    return copy


@pytest.fixture
def read_only_dir(tmp_path: Path) -> Iterator[Path]:
    """A folder nobody may write to — root included (chattr +i), since the tests may run as root."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    immutable = os.geteuid() == 0
    if immutable:
        done = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, check=False)
        if done.returncode != 0:
            pytest.fail(f"chattr +i failed on {folder}: {done.stderr!r}")
    try:
        yield folder
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        folder.chmod(0o755)


# --- wording ----------------------------------------------------------------------------------------------
def test_quotes_cut_short_end_with_an_ellipsis_at_a_word_boundary() -> None:
    text = "Cities in the Member States of the European Union who wish to exchange " * 4
    short = cut(text, 80)
    assert short.endswith("…") and len(short) <= 80
    assert text.startswith(short[:-1]) and text[len(short) - 1] == " "
    assert cut("Short enough.", 80) == "Short enough."


def test_check_speaks_plainly_and_marks_cut_quotes(data: Path) -> None:
    ran = run_cli(data, "check", "--type", "town", "--population", "60000", "--country", "Italy")
    assert ran.status == 0, ran.stderr
    assert "does_not_meet" not in ran.stdout and "not_stated" not in ran.stdout
    statuses = [line.split(":")[0] for line in ran.stdout.splitlines() if line.startswith("- ")]
    assert "- Not met (encouraged)" in statuses and "- Met (required)" in statuses, statuses
    quotes = [line for line in ran.stdout.splitlines() if line.startswith("[")]
    assert any(line.endswith("…”") for line in quotes), quotes
    for line in quotes:
        quote = line.split("“", 1)[1].rstrip("”")
        assert len(quote) <= 160, line


def test_only_the_answer_goes_to_stdout(data: Path) -> None:
    ran = run_cli(data, "ask", "Who can apply?", env={"ASSISTANT_LOG_LEVEL": "DEBUG"})
    assert ran.status == 0, ran.stderr
    assert ran.stdout.startswith("From the IUC")
    assert " DEBUG " in ran.stderr or " INFO " in ran.stderr  # the logs went to stderr
    assert not [line for line in ran.stdout.splitlines() if line[:4].isdigit() and " INFO " in line]


# --- one-line errors ---------------------------------------------------------------------------------------
def test_a_missing_file_is_one_line(tmp_path: Path) -> None:
    ran = run_cli(tmp_path / "data", "eval", str(tmp_path / "missing.jsonl"))
    assert_one_error_line(ran, EXIT_STORAGE, "missing.jsonl", "No such file or directory")
    ran = run_cli(tmp_path / "data", "rules", "propose", str(tmp_path / "missing.pdf"))
    assert_one_error_line(ran, EXIT_REFUSED, "cannot read")


def test_a_bad_setting_is_one_line_naming_the_variable(tmp_path: Path) -> None:
    ran = run_cli(tmp_path / "data", "ask", "Who can apply?", env={"ASSISTANT_HTTP__PORT": "eighty"})
    assert_one_error_line(ran, EXIT_REFUSED, "ASSISTANT_HTTP__PORT")


def test_an_out_of_range_population_is_refused(tmp_path: Path) -> None:
    ran = run_cli(tmp_path / "data", "check", "--population", str(10**38))
    assert_one_error_line(ran, EXIT_REFUSED, "population")


def test_a_read_only_data_folder_is_one_line(read_only_dir: Path) -> None:
    ran = run_cli(read_only_dir / "data", "ingest")
    assert_one_error_line(ran, EXIT_STORAGE, str(read_only_dir))


def test_a_full_disk_is_one_line(tmp_path: Path) -> None:
    def small_files() -> None:  # writes past 100 kB fail as they would on a full disk
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))

    ran = run_cli(tmp_path / "data", "ingest", limit=small_files)
    assert_one_error_line(ran, EXIT_STORAGE, "ASSISTANT_DATA_DIR")


def test_a_corrupt_conversation_database_still_answers_and_names_the_file(data: Path) -> None:
    """The conversation database is never a single point of failure (issue 14 #8): the answer is given,
    and the log says which file is damaged and what to do, without a traceback."""
    state = data / "state.sqlite3"
    state.write_bytes(b"this is not a database" * 100)
    ran = run_cli(data, "ask", "Who can apply?")
    assert ran.status == 0, ran
    assert ran.stdout.strip()
    assert str(state) in ran.stderr and "damaged" in ran.stderr
    assert "Traceback" not in ran.stderr
