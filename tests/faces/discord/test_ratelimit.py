"""The per-user rate limit of the bot, on a clock the test moves."""

from __future__ import annotations

from assistant.faces.discord.ratelimit import UserRateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_user_may_ask_a_burst_then_waits_for_the_bucket_to_refill() -> None:
    clock = Clock()
    limiter = UserRateLimiter(per_minute=6, burst=2, clock=clock)
    assert [limiter.check(1).allowed for _ in range(2)] == [True, True]
    refused = limiter.check(1)
    assert not refused.allowed and refused.retry_seconds == 10 and refused.first_refusal
    assert limiter.check(2).allowed, "another user has a bucket of their own"
    clock.now += 5
    again = limiter.check(1)
    assert not again.allowed and again.retry_seconds == 5 and not again.first_refusal
    clock.now += 5
    assert limiter.check(1).allowed
    clock.now += 0.1
    assert limiter.check(1).first_refusal, "allowed in between: the next refusal is worth a reply again"


def test_zero_per_minute_turns_the_limit_off() -> None:
    limiter = UserRateLimiter(per_minute=0, burst=1)
    assert all(limiter.check(1).allowed for _ in range(100))


def test_idle_users_are_forgotten_so_memory_stays_bounded() -> None:
    clock = Clock()
    limiter = UserRateLimiter(per_minute=60, burst=1, clock=clock, max_users=10)
    for user in range(10):
        limiter.check(user)
    clock.now += 2  # every bucket is full again
    limiter.check(99)
    assert len(limiter._buckets) == 1
    for user in range(100, 120):  # all active at once: the longest idle go first
        limiter.check(user)
    assert len(limiter._buckets) <= 10
