"""Who is calling: an integrator's API key, else the client's address, read from X-Forwarded-For only
when the request came through a configured, trusted proxy (never from whoever sends the header)."""

from __future__ import annotations

import hashlib
import ipaddress
import json
from collections.abc import Iterable, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from assistant.settings import ApiKey, HttpSettings
from ingest.errors import ConfigurationError

Scope = MutableMapping[str, Any]
IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
_CACHE = "assistant.caller"
_MAX_ADDRESS_CHARS = 64
_KEYS = TypeAdapter(list[ApiKey])


@dataclass(frozen=True)
class Caller:
    """``identity`` is ``key:NAME`` for a request with a known API key, else ``address:ADDRESS``."""

    identity: str
    address: str
    key: ApiKey | None = None


def load_api_keys(http: HttpSettings) -> list[ApiKey]:
    """The keys of the settings and of the keys file; a bad file is a ConfigurationError naming it."""
    keys = list(http.api_keys)
    path = http.api_keys_file
    if path is not None:
        variable = "ASSISTANT_HTTP__API_KEYS_FILE"
        try:
            keys += _KEYS.validate_python(json.loads(Path(path).read_text(encoding="utf-8")))
        except OSError as error:
            raise ConfigurationError(f"{variable}: cannot read {path}: {error.strerror}.") from None
        except ValueError as error:  # JSON and validation errors
            detail = (
                "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
                if isinstance(error, ValidationError)
                else str(error)
            )
            raise ConfigurationError(
                f"{variable}: {path} is not a JSON list of API keys "
                f'([{{"name": ..., "key": ..., "per_minute": ...}}]): {detail}.'
            ) from None
        names = [key.name for key in keys]
        secrets = [key.key.get_secret_value() for key in keys]
        if len(set(names)) != len(names) or len(set(secrets)) != len(secrets):
            raise ConfigurationError(f"{variable}: API keys need distinct names and secrets ({path}).")
    admin = http.admin_key.get_secret_value() if http.admin_key else None
    if admin is not None and any(key.key.get_secret_value() == admin for key in keys):
        raise ConfigurationError("An API key must not be the admin key (ASSISTANT_HTTP__ADMIN_KEY).")
    return keys


def _digest(secret: str) -> bytes:
    return hashlib.sha256(secret.encode()).digest()


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip().strip('"')
    if text.startswith("["):  # [v6]:port
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:  # v4:port
        text = text.partition(":")[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


class Callers:
    """Resolves the caller of a request once (the result is kept in the request's scope)."""

    def __init__(self, keys: Iterable[ApiKey], trusted_proxies: Iterable[str]) -> None:
        self._keys = {_digest(key.key.get_secret_value()): key for key in keys}
        self._trusted: list[IpNetwork] = [ipaddress.ip_network(net, strict=False) for net in trusted_proxies]

    @property
    def keys(self) -> list[ApiKey]:
        return list(self._keys.values())

    def is_trusted(self, address: str) -> bool:
        parsed = _address(address)
        return parsed is not None and any(parsed in network for network in self._trusted)

    def resolve(self, scope: Scope) -> Caller:
        state = scope.setdefault("state", {})
        cached = state.get(_CACHE)
        if isinstance(cached, Caller):
            return cached
        headers = scope.get("headers") or []
        address = self.address(scope.get("client"), headers)
        key = self._key(headers)
        caller = Caller(f"key:{key.name}" if key else f"address:{address}", address, key)
        state[_CACHE] = caller
        return caller

    def address(self, client: Any, headers: Iterable[tuple[bytes, bytes]]) -> str:
        """The peer's address; behind a trusted proxy, the nearest address in X-Forwarded-For that is
        not itself a trusted proxy (read right to left: the left end is whatever the client wrote)."""
        peer = str(client[0]) if client else "unknown"
        if not self._trusted or not self.is_trusted(peer):
            return peer
        hops = [
            hop.strip()
            for name, value in headers
            if name.lower() == b"x-forwarded-for"
            for hop in value.decode("latin-1").split(",")
            if hop.strip()
        ]
        for hop in reversed(hops):
            parsed = _address(hop)
            if parsed is None:
                return hop[:_MAX_ADDRESS_CHARS]
            if not any(parsed in network for network in self._trusted):
                return str(parsed)
        return peer

    def _key(self, headers: Iterable[tuple[bytes, bytes]]) -> ApiKey | None:
        if not self._keys:
            return None
        for name, value in headers:
            lowered = name.lower()
            if lowered == b"authorization":
                scheme, _, token = value.decode("latin-1").partition(" ")
                if scheme.lower() != "bearer":
                    continue
            elif lowered == b"x-api-key":
                token = value.decode("latin-1")
            else:
                continue
            key = self._keys.get(_digest(token.strip()))
            if key is not None:
                return key
        return None
