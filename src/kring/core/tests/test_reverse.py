"""kring.core.reverse keeps reverse()'s answers, and they stay Django's answers."""

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, set_script_prefix
from django.urls import reverse as django_reverse

from kring.core.reverse import _kept, reverse


@pytest.fixture(autouse=True)
def fresh():
    _kept.cache_clear()
    yield
    set_script_prefix("/")


@pytest.mark.parametrize(
    "name, args, kwargs",
    [
        ("home", None, None),
        ("person-detail", None, {"pk": 7}),
        ("session-detail", ["zorg-thuis", 12], None),
        ("item-list", ["zorg-thuis"], None),
    ],
)
def test_the_same_answer_as_django_first_and_kept(name, args, kwargs):
    expected = django_reverse(name, args=args, kwargs=kwargs)
    assert reverse(name, args=args, kwargs=kwargs) == expected
    assert reverse(name, args=args, kwargs=kwargs) == expected
    assert _kept.cache_info().hits == 1


def test_the_script_prefix_is_part_of_the_key():
    """Served under a sub-path, links carry it; the answer kept for "/" is not reused."""
    assert reverse("person-detail", kwargs={"pk": 7}) == "/people/7/"
    set_script_prefix("/kring/")
    assert reverse("person-detail", kwargs={"pk": 7}) == "/kring/people/7/"


def test_errors_are_not_kept_and_other_arguments_go_straight_to_django():
    with pytest.raises(NoReverseMatch):
        reverse("person-detail", kwargs={"pk": "not a number"})
    assert _kept.cache_info().currsize == 0

    class Slug(str):
        """Text of another type: its text could change, so it is not kept."""

    assert reverse("item-list", args=[Slug("zorg-thuis")]) == "/communities/zorg-thuis/library/"
    assert _kept.cache_info().currsize == 0


def test_the_url_tag_keeps_its_answers_and_its_behaviour():
    """{% url %} everywhere (a builtin) reads through the kept answers; `as` still swallows
    a name that does not exist, and a missing one without `as` is still an error."""
    page = Template(
        "{% url 'person-detail' pk=7 %}|{% url 'no-such-page' as missing %}[{{ missing }}]"
        "|{% url 'item-list' slug %}"
    ).render(Context({"slug": "zorg-thuis"}))
    assert page == "/people/7/|[]|/communities/zorg-thuis/library/"
    assert _kept.cache_info().currsize == 2
    with pytest.raises(NoReverseMatch):
        Template("{% url 'no-such-page' %}").render(Context())
