from __future__ import annotations

from lab.tutor import datasets


def test_datasets_are_deterministic_and_small():
    for name in datasets.DATASETS:
        first, second = datasets.commands(name), datasets.commands(name)
        assert first == second and 0 < len(first) <= 50
        assert all(isinstance(a, str) for cmd in first for a in cmd)
        assert datasets.keys(name) == sorted({cmd[1] for cmd in first})


def test_known_values_the_lessons_rely_on():
    users = {c[1]: c for c in datasets.commands("users")}
    assert users["user:7"][2:] == (
        "name", "Frances Allen", "email", "frances.allen@example.org",
        "city", "Tunis", "visits", "14",
    )  # fmt: skip
    (zadd,) = datasets.commands("season-scores")
    scores = sorted(zip(map(int, zadd[2::2]), zadd[3::2], strict=True), reverse=True)
    assert len(scores) == 150 and [m for _, m in scores[:2]] == ["player:099", "player:076"]
    products = {c[1]: c for c in datasets.commands("products")}
    assert products["db:product:3"][2:6] == ("name", "notebook", "price", "8950")
