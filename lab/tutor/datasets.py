"""Sample data for lessons, generated here: small, deterministic, no network.

A dataset is a function returning the commands that build it (key names as
the learner sees them; the runner adds the sandbox prefix and sends them in
one pipeline). The same name always yields the same bytes, so lesson text can
say "user:7 lives in Lisbon" and be right on every machine. A lesson names the
datasets it needs in its front matter (``datasets: [users]``).
"""

from __future__ import annotations

import random
from collections.abc import Callable

_FIRST = [
    "Ada", "Alan", "Barbara", "Claude", "Donald", "Edsger", "Frances", "Grace",
    "Hedy", "Ivan", "John", "Karen", "Leslie", "Margaret", "Niklaus", "Radia",
    "Shafi", "Tim", "Vint", "Whitfield",
]  # fmt: skip
_LAST = [
    "Lovelace", "Turing", "Liskov", "Shannon", "Knuth", "Dijkstra", "Allen", "Hopper",
    "Lamarr", "Sutherland", "McCarthy", "Jones", "Lamport", "Hamilton", "Wirth",
    "Perlman", "Goldwasser", "Berners-Lee", "Cerf", "Diffie",
]  # fmt: skip
_CITIES = ["Lisbon", "Oslo", "Nairobi", "Lima", "Osaka", "Toronto", "Pune", "Tunis"]
_PRODUCTS = [
    "kettle", "lamp", "notebook", "backpack", "umbrella", "teapot", "bicycle bell",
    "desk fan", "headphones", "chess set", "compass", "water bottle",
]  # fmt: skip


def users() -> list[tuple]:
    """20 hashes ``user:1`` .. ``user:20`` (name, email, city, visits) and the set ``users``."""
    rng = random.Random("users")
    commands: list[tuple] = []
    for i in range(1, 21):
        first, last = _FIRST[i - 1], _LAST[i - 1]
        email = f"{first.lower()}.{last.lower()}@example.org"
        city = rng.choice(_CITIES)
        commands.append(
            ("HSET", f"user:{i}", "name", f"{first} {last}", "email", email, "city", city,
             "visits", rng.randint(0, 90))
        )  # fmt: skip
    commands.append(("SADD", "users", *range(1, 21)))
    return commands


def products() -> list[tuple]:
    """The "database" behind the caching lessons: 12 hashes ``db:product:1`` .. ``:12``.

    Each has name, price (in cents) and stock. Reading one stands for a slow
    query; the lessons put a cache in front of it.
    """
    rng = random.Random("products")
    commands: list[tuple] = []
    for i, name in enumerate(_PRODUCTS, start=1):
        price = rng.randrange(300, 9000, 5)
        commands.append(
            ("HSET", f"db:product:{i}", "name", name, "price", price, "stock", rng.randint(0, 40))
        )
    return commands


def season_scores() -> list[tuple]:
    """Last season's leaderboard: the sorted set ``season:1`` with 150 players.

    150 is past ``zset-max-listpack-entries`` (128), so it is a skiplist; merged
    into a small leaderboard it makes that one grow past the threshold too.
    """
    rng = random.Random("season-scores")
    members: list = []
    for i in range(1, 151):
        members += [rng.randint(10, 5000), f"player:{i:03d}"]
    return [("ZADD", "season:1", *members)]


_WEATHER = {
    "lisbon": (21, "sun"), "oslo": (4, "snow"), "nairobi": (24, "clouds"),
    "lima": (19, "clouds"), "osaka": (17, "rain"), "toronto": (9, "rain"),
    "pune": (30, "sun"), "tunis": (26, "sun"),
}  # fmt: skip


def weather() -> list[tuple]:
    """A slow "weather service" for the cache exercise: ``source:weather:<city>`` hashes."""
    return [
        ("HSET", f"source:weather:{city}", "city", city.title(), "celsius", celsius, "sky", sky)
        for city, (celsius, sky) in _WEATHER.items()
    ]


DATASETS: dict[str, Callable[[], list[tuple]]] = {
    "users": users,
    "products": products,
    "season-scores": season_scores,
    "weather": weather,
}


def commands(name: str) -> list[tuple]:
    """The commands that build dataset ``name`` (KeyError when unknown)."""
    return [tuple(str(a) for a in cmd) for cmd in DATASETS[name]()]


def keys(name: str) -> list[str]:
    """The keys dataset ``name`` writes (the runner deletes them before loading)."""
    return sorted({cmd[1] for cmd in commands(name)})
