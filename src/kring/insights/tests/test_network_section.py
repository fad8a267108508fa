"""The network part of the dashboard: metrics in plain words and the reader's number format,
and the list per group that agrees with the picture on who is not connected."""

from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.utils import translation

from kring.insights import network_section


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_contact_sentence_uses_the_readers_number_format():
    """The average number of contacts is written with the reader's decimal separator."""
    with translation.override("nl"):
        assert "5,9" in network_section.contact_sentence(average=5.94, days=90)
    with translation.override("en"):
        sentence = network_section.contact_sentence(average=5.94, days=90)
    assert "5.9 others in the last 90 days" in sentence


@pytest.mark.parametrize(
    ("groups", "modularity", "words"),
    [
        (1, 0.0, "one web"),
        (3, 0.55, "hardly talk to each other"),
        (3, 0.3, "also talk with each other"),
        (4, 0.13, "overlap a lot"),
    ],
)
def test_groups_sentence_says_what_modularity_means(groups, modularity, words):
    """The groups are described in a plain sentence, without the modularity figure."""
    with translation.override("en"):
        sentence = network_section.groups_sentence(groups, modularity)
    assert words in sentence
    assert "modularity" not in sentence.lower() and str(modularity) not in sentence


def _dash(*, with_groups: bool = True) -> dict:
    """Five people: Ada (facilitator) and Bob in group 1, Cas and Dirk in group 2 with Bob
    linking them, and Eva not connected (she only shared a session)."""
    names = ["Ada", "Bob", "Cas", "Dirk", "Eva"]
    groups = [1, 1, 2, 2, None]
    people = []
    for i, name in enumerate(names):
        person = {
            "id": i + 1,
            "email": f"{name.lower()}@example.org",
            "name": name,
            "perspectives": [],
            "degree": 2,
            "betweenness": 0.5 if name == "Bob" else 0.0,
            "role": "facilitator" if name == "Ada" else "member",
            "strong_degree": 0 if name == "Eva" else 2,
        }
        if with_groups:
            person["group"] = groups[i]
        people.append(person)
    return {
        "people": people,
        "signals": {"unconnected": {"count": 1, "items": []}},
        "groups": {
            "count": 2,
            "modularity": 0.42,
            "shown": [
                {"number": 1, "size": 2, "ids": [1, 2]},
                {"number": 2, "size": 2, "ids": [3, 4]},
            ],
        },
        "network": {
            "density": 0.4,
            "total": 5,
            "ties_total": 4,
            "ids": [1, 2, 3, 4, 5],
            "edges": [[1, 2, 2.0, True], [2, 3, 1.0, True], [3, 4, 1.0, True], [4, 5, 0.25, False]],
            "brokers": [2],
            "isolates": [5],
            "positions": [],
        },
    }


@pytest.mark.parametrize("with_groups", [True, False])
def test_list_per_group_agrees_with_the_picture(with_groups):
    """The list shows each group with its people, their role, direct contacts and whether
    they link groups; the not connected are listed apart and in no group (also for an older
    snapshot that stored no group per person)."""
    dash = _dash(with_groups=with_groups)
    people = {p["id"]: SimpleNamespace(pk=p["id"], full_name=p["name"]) for p in dash["people"]}
    with translation.override("en"):
        context = network_section.network_context(
            dash,
            people=people,
            perspectives={},
            snapshot=SimpleNamespace(pk=1, period_days=90),
            unconnected=1,
        )
    groups = {
        g["number"]: [r["person"].full_name for r in g["people"]] for g in context["network_groups"]
    }
    assert groups == {1: ["Ada", "Bob"], 2: ["Cas", "Dirk"]}
    rows = {r["person"].full_name: r for g in context["network_groups"] for r in g["people"]}
    assert rows["Ada"]["role"] == "facilitator" and rows["Bob"]["is_broker"]
    assert rows["Cas"]["ties"] == 2
    assert [r["person"].full_name for r in context["network_not_connected"]] == ["Eva"]
    assert context["network_unconnected_signal"] == 1
    assert "1.6 others" in context["network_contact_sentence"]
    assert "hardly talk to each other" in context["network_groups_sentence"]
    svg = str(context["network_svg"])
    assert "Not connected yet (1)" in svg and ">Eva</text>" in svg
