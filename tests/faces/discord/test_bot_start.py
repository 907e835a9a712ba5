"""Starting `assistant bot`: a missing, rejected or unusable token, an unreachable Discord and a refused
intent each end the start with a message saying what to do; the README names what the bot needs."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.faces.discord.client import REQUIRED_PERMISSIONS
from assistant.service import AssistantService
from assistant.settings import DiscordSettings, get_settings
from ingest.errors import ConfigurationError
from tests.support.discord_bot import BotThread
from tests.support.discord_standin import DiscordStandIn
from tests.support.paths import REPO
from tests.support.servers import LOOPBACK, free_port

ASSISTANT = Path(sys.executable).parent / "assistant"


def run_bot_command(**env: str) -> subprocess.CompletedProcess[str]:
    """`assistant bot` as a user runs it, with these ASSISTANT_* variables (bounded: it must end)."""
    variables = {**os.environ, **{f"ASSISTANT_{name}": value for name, value in env.items()}}
    return subprocess.run(
        [str(ASSISTANT), "bot"], env=variables, capture_output=True, text=True, timeout=60, check=False
    )


@pytest.fixture
def standin() -> Iterator[DiscordStandIn]:
    with DiscordStandIn().running() as server:
        yield server


def test_without_a_token_nothing_starts_and_the_message_says_where_to_get_one(isolated_env: Path) -> None:
    result = run_bot_command()
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("error: ASSISTANT_DISCORD__TOKEN is not set.")
    assert "Reset Token" in result.stderr and "Traceback" not in result.stderr
    assert not isolated_env.exists(), "the data dir was touched before the token was checked"


def test_a_rejected_token_ends_the_start_with_what_to_do(standin: DiscordStandIn, isolated_env: Path) -> None:
    result = run_bot_command(DISCORD__TOKEN="not-the-token", DISCORD__API_BASE_URL=standin.api_base)
    assert result.returncode == 2, result.stderr
    message = result.stderr.strip().splitlines()[-1]
    assert re.fullmatch(
        r"error: Discord rejected the token in ASSISTANT_DISCORD__TOKEN \(.+\)\. Copy a fresh one from "
        r"https://discord\.com/developers/applications → your application → Bot → Reset Token, and set "
        r"ASSISTANT_DISCORD__TOKEN to it\.",
        message,
    ), message
    assert [(call.method, call.path) for call in standin.calls] == [("GET", "/users/@me")]
    assert standin.gateway.record.connections == 0
    assert not isolated_env.exists(), "the service was built before the token was accepted"


def test_an_unreachable_discord_is_reported_with_where_it_was_looked_for(isolated_env: Path) -> None:
    nowhere = f"http://{LOOPBACK}:{free_port()}/api/v10"
    result = run_bot_command(DISCORD__TOKEN="some-token", DISCORD__API_BASE_URL=nowhere)
    assert result.returncode == 2, result.stderr
    assert f"error: Could not reach Discord at {nowhere} within 10 s" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_refused_message_content_intent_says_how_to_enable_it_or_do_without(
    fake_data: Path, service: AssistantService
) -> None:
    refusing = DiscordStandIn(allow_message_content=False)
    with refusing.running():
        settings = get_settings().model_copy(
            update={"discord": DiscordSettings(token=refusing.token, api_base_url=refusing.api_base)}
        )
        with BotThread(settings, service).running() as bot:
            failure = refusing.wait_until(bot.failure, what="the start to fail")
    assert isinstance(failure, ConfigurationError)
    assert "Privileged Gateway Intents" in failure.message
    assert "ASSISTANT_DISCORD__MESSAGE_CONTENT=false" in failure.message


def test_without_the_message_content_intent_mentions_are_still_answered(
    fake_data: Path, service: AssistantService
) -> None:
    refusing = DiscordStandIn(allow_message_content=False)
    with refusing.running():
        settings = get_settings().model_copy(
            update={
                "discord": DiscordSettings(
                    token=refusing.token, api_base_url=refusing.api_base, message_content=False
                )
            }
        )
        with BotThread(settings, service).running() as bot:
            refusing.wait_until(lambda: refusing.gateway.record.identifies, what="the bot to identify")
            asked = refusing.post(refusing.user("anna"), "Who can apply?")
            refusing.wait_until(lambda: refusing.bot_messages(asked.id), what="the answer in its thread")
            assert bot.failure() is None
    [identify] = refusing.gateway.record.identifies
    assert not identify["intents"] & (1 << 15)


def test_the_readme_names_the_scopes_intent_and_permissions_the_bot_needs() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Discord bot") :]
    section = section[: section.index("\n## ", 3)]
    assert f"permissions={REQUIRED_PERMISSIONS.value}" in section
    assert "scope=bot+applications.commands" in section
    assert "Message Content" in section
    for name in DiscordSettings.model_fields:
        assert f"ASSISTANT_DISCORD__{name.upper()}" in readme, name
