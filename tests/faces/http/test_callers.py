"""Who is calling: API keys limited per key, addresses per address, X-Forwarded-For believed from
trusted proxies only, 429s that name the limit, failed admin-key attempts limited, and caller_of as the
one identity."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from assistant.faces.http.callers import Callers
from assistant.faces.http.deps import caller_of
from assistant.settings import ApiKey, get_settings
from ingest.errors import ConfigurationError
from tests.support.http import assert_error

PARTNER = "partner-key-0123456789abcdef"
OTHER = "other-key-0123456789abcdef00"
ADMIN = "admin-key-0123456789abcdef"
KEYS = json.dumps(
    [
        {"name": "partner", "key": PARTNER, "per_minute": 6, "burst": 3},
        {"name": "other", "key": OTHER, "per_minute": 0},
    ]
)


@pytest.fixture
def make_whoami_app(make_app: Callable[..., FastAPI]) -> Callable[..., FastAPI]:
    """``make_app`` with a route that answers ``caller_of`` of its request."""

    def build(**env: str) -> FastAPI:
        app = make_app(**env)

        @app.get("/v1/test/whoami", include_in_schema=False)
        async def whoami(request: Request) -> dict[str, str]:
            return {"caller": caller_of(request)}

        return app

    return build


def _statuses(client: TestClient, count: int, **headers: str) -> list[int]:
    return [client.get("/v1/models", headers=headers).status_code for _ in range(count)]


# --- API keys -----------------------------------------------------------------------------------------
def test_requests_with_a_key_are_limited_per_key_not_per_address(
    make_whoami_app: Callable[..., FastAPI],
) -> None:
    app = make_whoami_app(API_KEYS=KEYS, HTTP__RATE_LIMIT_PER_MINUTE="6", HTTP__RATE_LIMIT_BURST="1")
    with (
        TestClient(app, client=("192.0.2.1", 1)) as first,
        TestClient(app, client=("192.0.2.2", 1)) as second,
    ):
        auth = {"Authorization": f"Bearer {PARTNER}"}
        # the key's burst of 3 is shared by both addresses
        assert _statuses(first, 2, **auth) + _statuses(second, 2, **auth) == [200, 200, 200, 429]
        message = assert_error(first.get("/v1/models", headers=auth), 429, "rate_limited", "'partner'")
        assert "6 per minute, 3 at once" in message
        # the addresses' own buckets (burst 1) are untouched by the key's requests
        assert _statuses(first, 2) == [200, 429]
        assert "per client address" in first.get("/v1/models").json()["error"]["message"]
        # X-API-Key works as well; a key with per_minute 0 is not limited
        assert set(_statuses(second, 30, **{"X-API-Key": OTHER})) == {200}


def test_an_unknown_key_is_limited_by_its_address(make_whoami_app: Callable[..., FastAPI]) -> None:
    app = make_whoami_app(API_KEYS=KEYS, HTTP__RATE_LIMIT_BURST="2")
    with TestClient(app, client=("192.0.2.9", 1)) as client:
        assert _statuses(client, 3, Authorization="Bearer unused") == [200, 200, 429]
        assert client.get("/v1/test/whoami", headers={"Authorization": f"Bearer {PARTNER}"}).json() == {
            "caller": "key:partner"
        }


def test_keys_can_come_from_a_file(make_whoami_app: Callable[..., FastAPI], tmp_path: Path) -> None:
    keys = tmp_path / "keys.json"
    keys.write_text(KEYS, encoding="utf-8")
    app = make_whoami_app(HTTP__API_KEYS_FILE=str(keys))
    with TestClient(app) as client:
        reply = client.get("/v1/test/whoami", headers={"X-API-Key": OTHER})
        assert reply.json() == {"caller": "key:other"}


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("not json", "not a JSON list"),
        ('[{"name": "x", "key": "short"}]', "16 characters"),
        (f'[{{"name": "a", "key": "{PARTNER}"}}, {{"name": "b", "key": "{PARTNER}"}}]', "distinct"),
    ],
)
def test_a_bad_keys_file_is_a_configuration_error_naming_it(
    make_whoami_app: Callable[..., FastAPI], tmp_path: Path, content: str, words: str
) -> None:
    keys = tmp_path / "keys.json"
    keys.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigurationError) as raised:
        make_whoami_app(HTTP__API_KEYS_FILE=str(keys))
    assert "ASSISTANT_HTTP__API_KEYS_FILE" in raised.value.message and words in raised.value.message


def test_bad_keys_in_the_environment_name_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_API_KEYS", '[{"name": "has space", "key": "0123456789abcdef0"}]')
    with pytest.raises(ConfigurationError, match=r"ASSISTANT_HTTP__API_KEYS\[0\]\.name"):
        get_settings()
    monkeypatch.setenv("ASSISTANT_API_KEYS", json.dumps([{"name": "x", "key": ADMIN}]))
    monkeypatch.setenv("ASSISTANT_ADMIN_KEY", ADMIN)
    with pytest.raises(ConfigurationError, match="must not be the admin key"):
        get_settings()


# --- addresses and proxies --------------------------------------------------------------------------------
def _callers(*trusted: str) -> Callers:
    key = ApiKey.model_validate({"name": "partner", "key": PARTNER})
    return Callers([key], trusted)


def _scope(peer: str, *headers: tuple[str, str]) -> dict[str, Any]:
    return {
        "type": "http",
        "client": (peer, 5000),
        "headers": [(name.lower().encode(), value.encode()) for name, value in headers],
    }


@pytest.mark.parametrize(
    ("peer", "forwarded", "expected"),
    [
        ("198.51.100.7", "203.0.113.1", "198.51.100.7"),  # not a proxy: the header is the client's word
        ("10.0.0.5", "", "10.0.0.5"),  # a proxy that forwarded nothing
        ("10.0.0.5", "203.0.113.1", "203.0.113.1"),
        ("10.0.0.5", "1.1.1.1, 203.0.113.1", "203.0.113.1"),  # the left end is the client's word
        ("10.0.0.5", "203.0.113.1, 10.0.0.9", "203.0.113.1"),  # two proxies of ours
        ("10.0.0.5", "[2001:db8::1]:443", "2001:db8::1"),
        ("10.0.0.5", "10.0.0.7, 10.0.0.9", "10.0.0.5"),  # only our own proxies: the peer
    ],
)
def test_the_address_comes_from_x_forwarded_for_only_behind_a_trusted_proxy(
    peer: str, forwarded: str, expected: str
) -> None:
    headers = [("X-Forwarded-For", forwarded)] if forwarded else []
    caller = _callers("10.0.0.0/24").resolve(_scope(peer, *headers))
    assert (caller.identity, caller.address) == (f"address:{expected}", expected)


def test_without_trusted_proxies_the_header_is_never_read() -> None:
    caller = _callers().resolve(_scope("127.0.0.1", ("X-Forwarded-For", "203.0.113.1")))
    assert caller.address == "127.0.0.1"


def test_a_key_names_the_caller_wherever_it_comes_from() -> None:
    caller = _callers("10.0.0.0/24").resolve(
        _scope("10.0.0.5", ("X-Forwarded-For", "203.0.113.1"), ("Authorization", f"Bearer {PARTNER}"))
    )
    assert (caller.identity, caller.address) == ("key:partner", "203.0.113.1")


def test_caller_of_is_the_identity_routes_see(make_whoami_app: Callable[..., FastAPI]) -> None:
    app = make_whoami_app(HTTP__TRUSTED_PROXIES='["192.0.2.0/24"]', API_KEYS=KEYS)
    with TestClient(app, client=("192.0.2.1", 1)) as client:
        assert client.get("/v1/test/whoami").json() == {"caller": "address:192.0.2.1"}
        forwarded = client.get("/v1/test/whoami", headers={"X-Forwarded-For": "203.0.113.4"})
        assert forwarded.json() == {"caller": "address:203.0.113.4"}
        keyed = client.get("/v1/test/whoami", headers={"X-API-Key": PARTNER})
        assert keyed.json() == {"caller": "key:partner"}


def test_a_bad_trusted_proxy_is_a_configuration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_HTTP__TRUSTED_PROXIES", '["10.0.0.0/33"]')
    with pytest.raises(ConfigurationError, match="ASSISTANT_HTTP__TRUSTED_PROXIES"):
        get_settings()


# --- failed admin attempts ------------------------------------------------------------------------------
def test_failed_admin_attempts_are_limited_per_address(make_whoami_app: Callable[..., FastAPI]) -> None:
    app = make_whoami_app(ADMIN_KEY=ADMIN, HTTP__RATE_LIMIT_PER_MINUTE="0")
    with (
        TestClient(app, client=("192.0.2.1", 1)) as guesser,
        TestClient(app, client=("192.0.2.2", 1)) as staff,
    ):
        wrong = [
            guesser.get("/v1/admin/unanswered", headers={"Authorization": f"Bearer guess-{n}"}).status_code
            for n in range(100)
        ]
        assert wrong[:10] == [401] * 10 and set(wrong[10:]) == {429}, wrong
        refused = guesser.get("/v1/admin/unanswered", headers={"Authorization": f"Bearer {ADMIN}"})
        assert_error(refused, 429, "rate_limited", "failed admin-key attempts")  # even the right key
        assert int(refused.headers["retry-after"]) >= 1
        ok = staff.get("/v1/admin/unanswered", headers={"Authorization": f"Bearer {ADMIN}"})
        assert ok.status_code == 200  # another address is not held back
