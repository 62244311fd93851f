"""The server's one clock, which the lab can freeze and advance (``LAB CLOCK``).

Every time the server uses for *behaviour* — expire times, TTLs, the LRU
clock, idle times, client timeouts — comes from here, so a lesson can say
"advance one hour" and watch keys expire without waiting. Durations the server
*measures* (how long a command ran, for SLOWLOG and LATENCY) use a monotonic
counter instead, because they describe real work.

Normal runs read the wall clock. ``freeze()`` stops time at its current
value; ``advance(ms)`` moves it forward, frozen or not; ``resume()`` lets it
run again from where it stands (it does not jump back to the wall clock).
"""

from __future__ import annotations

import time


class Clock:
    __slots__ = ("_frozen_us", "_offset_us")

    def __init__(self) -> None:
        self._frozen_us: int | None = None
        self._offset_us = 0

    def us(self) -> int:
        if self._frozen_us is not None:
            return self._frozen_us
        return time.time_ns() // 1000 + self._offset_us

    def ms(self) -> int:
        if self._frozen_us is not None:
            return self._frozen_us // 1000
        return time.time_ns() // 1_000_000 + self._offset_us // 1000

    def seconds(self) -> int:
        return self.us() // 1_000_000

    @property
    def frozen(self) -> bool:
        return self._frozen_us is not None

    @property
    def offset_ms(self) -> int:
        """How far the server's time is ahead of the wall clock."""
        if self._frozen_us is None:
            return self._offset_us // 1000
        return (self._frozen_us - time.time_ns() // 1000) // 1000

    def freeze(self) -> None:
        if self._frozen_us is None:
            self._frozen_us = self.us()

    def resume(self) -> None:
        if self._frozen_us is not None:
            self._offset_us = self._frozen_us - time.time_ns() // 1000
            self._frozen_us = None

    def advance(self, ms: int) -> None:
        if self._frozen_us is not None:
            self._frozen_us += ms * 1000
        else:
            self._offset_us += ms * 1000
