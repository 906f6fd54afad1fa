"""Intervals of whole numbers, the abstract values of a design's quantities (abstract interpretation).

A quantity that play can change (a resource a player holds, a position on a track) is known only as the
range it can reach. `Interval(lo, hi)` is that range, either end open (`None`: no bound that way). The
arithmetic is the textbook one: a sum of intervals holds every sum of their members, a join holds both, and
repeating a change up to n times scales it between none and n; so a bound computed with them is never
tighter than the truth (sound), only sometimes looser.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import TypeVar


def _add(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else a + b


@dataclass(frozen=True)
class Interval:
    lo: int | None = 0  # None: unbounded below
    hi: int | None = 0  # None: unbounded above

    @classmethod
    def exactly(cls, n: int) -> Interval:
        return cls(n, n)

    def __add__(self, other: Interval) -> Interval:
        return Interval(_add(self.lo, other.lo), _add(self.hi, other.hi))

    def __neg__(self) -> Interval:
        return Interval(None if self.hi is None else -self.hi, None if self.lo is None else -self.lo)

    def join(self, other: Interval) -> Interval:
        """The least interval holding both."""
        lo = None if self.lo is None or other.lo is None else min(self.lo, other.lo)
        hi = None if self.hi is None or other.hi is None else max(self.hi, other.hi)
        return Interval(lo, hi)

    def repeated(self, most: int | None) -> Interval:
        """The change of doing this between 0 and `most` times (None: any number of times)."""
        lo = 0 if self.lo is not None and self.lo >= 0 else None
        if lo is None and most is not None and self.lo is not None:
            lo = self.lo * most
        hi = 0 if self.hi is not None and self.hi <= 0 else None
        if hi is None and most is not None and self.hi is not None:
            hi = self.hi * most
        return Interval(lo, hi)

    def clamp(self, floor: int | None = None, ceiling: int | None = None) -> Interval:
        """Within `floor` and `ceiling` (a cap, an empty stock): what holding it can never exceed."""
        lo, hi = self.lo, self.hi
        if floor is not None:
            lo = floor if lo is None else max(lo, floor)
            hi = None if hi is None else max(hi, floor)
        if ceiling is not None:
            hi = ceiling if hi is None else min(hi, ceiling)
            lo = None if lo is None else min(lo, ceiling)
        return Interval(lo, hi)

    @property
    def rises(self) -> bool:
        return self.hi is None or self.hi > 0

    @property
    def falls(self) -> bool:
        return self.lo is None or self.lo < 0

    def __str__(self) -> str:
        lo = "-inf" if self.lo is None else str(self.lo)
        hi = "inf" if self.hi is None else str(self.hi)
        return lo if lo == hi else f"{lo}..{hi}"


ZERO = Interval(0, 0)
ANY = Interval(None, None)


# A change to several quantities at once: quantity -> the interval it changes by (absent: unchanged).
K = TypeVar("K", bound=Hashable)


def total(*changes: Mapping[K, Interval]) -> dict[K, Interval]:
    """Changes one after another: each quantity changes by the sum."""
    out: dict[K, Interval] = {}
    for change in changes:
        for key, by in change.items():
            out[key] = out.get(key, ZERO) + by
    return out


def either(*changes: Mapping[K, Interval]) -> dict[K, Interval]:
    """One of several changes: each quantity by any of theirs (unchanged where one leaves it alone)."""
    out: dict[K, Interval] = {}
    for key in {key for change in changes for key in change}:
        joined = changes[0].get(key, ZERO)
        for change in changes[1:]:
            joined = joined.join(change.get(key, ZERO))
        out[key] = joined
    return out


def repeat(change: Mapping[K, Interval], most: int | None) -> dict[K, Interval]:
    """A change made between 0 and `most` times (None: any number of times)."""
    return {key: by.repeated(most) for key, by in change.items()}
