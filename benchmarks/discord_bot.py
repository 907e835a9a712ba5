"""Figures for the README's Discord section, measured against the Discord stand-in on loopback
(tests/support/discord_standin.py) with the real embedding model: how long `assistant bot` takes to
refuse a missing or rejected token, to log in and connect, to acknowledge and answer /ask, and to resume
after a dropped connection. Prints one line per figure. Run with `make bench-bot`."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from assistant.settings import DiscordSettings, Settings  # noqa: E402
from assistant.wiring import build_service  # noqa: E402
from tests.support.discord_bot import BotThread  # noqa: E402
from tests.support.discord_standin import DiscordStandIn  # noqa: E402

ASSISTANT = Path(sys.executable).parent / "assistant"
QUESTIONS = [
    "Who can apply to the IUC programme?",
    "Which EU cities are paired with cities in Japan?",
    "How long must cities commit to the cooperation?",
    "We are a town of 60,000 people in Italy. Can we apply?",
    "What is the weather in Brussels?",
]


def figure(name: str, value: str) -> None:
    print(f"{name}: {value}", flush=True)


def cli_seconds(data: Path, **env: str) -> float:
    variables = {key: value for key, value in os.environ.items() if not key.startswith("ASSISTANT_")}
    variables |= {"ASSISTANT_DATA_DIR": str(data), **{f"ASSISTANT_{k}": v for k, v in env.items()}}
    started = time.perf_counter()
    result = subprocess.run(
        [str(ASSISTANT), "bot"], env=variables, capture_output=True, text=True, timeout=60, check=False
    )
    seconds = time.perf_counter() - started
    assert result.returncode == 2, result.stderr
    return seconds


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-bot-") as folder:
        data = Path(folder) / "data"
        settings = Settings(data_dir=data, corpus_dir=REPO / "corpus")
        service = build_service(settings)
        service.ingest()
        with DiscordStandIn().running() as discord:
            missing = [cli_seconds(data) for _ in range(3)]
            figure("`assistant bot` without a token, to its error", f"{statistics.median(missing):.2f} s")
            wrong = [
                cli_seconds(data, DISCORD__TOKEN="wrong", DISCORD__API_BASE_URL=discord.api_base)
                for _ in range(3)
            ]
            figure("`assistant bot` with a rejected token, to its error", f"{statistics.median(wrong):.2f} s")

            bot_settings = settings.model_copy(
                update={
                    "discord": DiscordSettings(
                        token=discord.token, api_base_url=discord.api_base, rate_limit_per_minute=0
                    )
                }
            )
            started = time.perf_counter()
            with BotThread(bot_settings, service).running():
                discord.wait_until(lambda: discord.gateway.record.identifies, what="identify")
                figure(
                    "start to connected (login, command sync, gateway)",
                    f"{time.perf_counter() - started:.2f} s",
                )
                acks, answers = [], []
                for question in QUESTIONS * 4:
                    sent = time.perf_counter()
                    token = discord.slash("ask", discord.user("anna"), question=question)
                    [header] = discord.wait_until(
                        lambda token=token: discord.bot_messages(interaction=token)[:1]
                    )
                    discord.wait_until(
                        lambda thread=header.id: [m for m in discord.bot_messages(thread) if m.custom_ids()]
                    )
                    answers.append(time.perf_counter() - sent)
                    acks.append((discord.acknowledgement(token) or (0, 0.0))[1])
                figure(
                    "/ask acknowledged ('thinking…')",
                    f"p50 {statistics.median(acks) * 1000:.1f} ms, max {max(acks) * 1000:.1f} ms",
                )
                answers.sort()
                p95 = answers[int(len(answers) * 0.95)]
                figure(
                    f"/ask to the whole answer in its new thread ({len(answers)} questions)",
                    f"p50 {statistics.median(answers) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms",
                )
                resumes = []
                for _ in range(5):
                    before = len(discord.gateway.record.resumes)
                    dropped = time.perf_counter()
                    discord.drop()
                    discord.wait_until(
                        lambda before=before: len(discord.gateway.record.resumes) > before, what="resume"
                    )
                    resumes.append(time.perf_counter() - dropped)
                figure("connection cut to session resumed", f"p50 {statistics.median(resumes) * 1000:.0f} ms")
        service.close()


if __name__ == "__main__":
    main()
