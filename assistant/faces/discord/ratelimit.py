"""How often one Discord user may ask: a token bucket per user, in memory, on an injectable clock."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Decision", "UserRateLimiter"]


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: float = 0.0  # seconds until the next question would be allowed
    first_refusal: bool = False  # the first refusal since the user was last allowed: worth a reply

    @property
    def retry_seconds(self) -> int:
        return max(1, math.ceil(self.retry_after))


@dataclass
class _Bucket:
    tokens: float
    updated: float
    refused: bool = False


class UserRateLimiter:
    """``per_minute`` questions a minute per user, ``burst`` at once; ``per_minute=0`` allows all.
    Users who have not asked for a while are forgotten, so memory stays bounded by active users."""

    def __init__(
        self,
        per_minute: int,
        burst: int,
        clock: Callable[[], float] = time.monotonic,
        max_users: int = 10_000,
    ) -> None:
        self._rate = per_minute / 60.0
        self._burst = float(burst)
        self._clock = clock
        self._max_users = max_users
        self._buckets: dict[int, _Bucket] = {}
        self._lock = threading.Lock()

    def check(self, user_id: int) -> Decision:
        """Take one question from the user's bucket, or say how long to wait."""
        if self._rate <= 0:
            return Decision(allowed=True)
        now = self._clock()
        with self._lock:
            bucket = self._buckets.get(user_id)
            if bucket is None:
                self._forget_idle(now)
                bucket = self._buckets[user_id] = _Bucket(self._burst, now)
            bucket.tokens = min(self._burst, bucket.tokens + (now - bucket.updated) * self._rate)
            bucket.updated = now
            if bucket.tokens >= 1:
                bucket.tokens -= 1
                bucket.refused = False
                return Decision(allowed=True)
            first = not bucket.refused
            bucket.refused = True
            return Decision(allowed=False, retry_after=(1 - bucket.tokens) / self._rate, first_refusal=first)

    def _forget_idle(self, now: float) -> None:
        if len(self._buckets) < self._max_users:
            return
        full = self._burst / self._rate  # after this long idle, a bucket is full again: as if new
        for user_id in [key for key, bucket in self._buckets.items() if now - bucket.updated >= full]:
            del self._buckets[user_id]
        if len(self._buckets) >= self._max_users:  # all active: drop the longest idle
            del self._buckets[min(self._buckets, key=lambda key: self._buckets[key].updated)]
