"""What a network's coordinators could do, in plain words (part of the network insights).

Three kinds, in this order:

- `similar_theme`: two communities work on a similar theme and share no member: introduce
  their facilitators. The rule (simple on purpose, so a coordinator can check it): the words
  of each community's theme and shared goal, lowercased, letters only, without words shorter
  than THEME_MIN_LENGTH letters and without STOP_WORDS (Dutch and English filler, and words
  every community of practice uses, such as "learn" and "together"). Two communities are
  similar when they have at least THEME_MIN_SHARED such words in common, and those make up at
  least THEME_MIN_SHARE of the words of the one with fewer. The strongest pairs first (most
  words in common), at most MAX_THEME_SUGGESTIONS.
- `isolated`: a community that shares no member with any other (and is in no pair above):
  invite its facilitators to meet another community. At most MAX_ISOLATED_SUGGESTIONS.
- `missing_perspective`: a perspective that no member of any linked community brings.

Each suggestion is {kind, text (translated), communities: [slug, ...]}.
"""

import re
from itertools import combinations

from django.utils.translation import gettext as _

from kring.communities.models import Community

THEME_MIN_LENGTH = 4
THEME_MIN_SHARED = 2
THEME_MIN_SHARE = 0.25
MAX_THEME_SUGGESTIONS = 10
MAX_ISOLATED_SUGGESTIONS = 10
WORDS_SHOWN = 3

_WORD = re.compile(r"[^\W\d_]+")

STOP_WORDS = frozenset(
    """
    aan alle alles andere bent bijvoorbeeld binnen buiten daar daarbij daarom dan dat deze
    dezelfde die dit doen door echt eigen elkaar elke erbij ergens even geen gaan gaat
    goed graag heeft hebben heel hier hoe hun iedereen iets jaar jullie kan kunnen maar maken
    meer mensen met moet moeten naar niet niets nieuwe nodig noch omdat onder onze ook over
    samen staan steeds tegen tijd toch tussen veel verder vooral voor waar waarin want wat
    weer welke werken werkt wezen wij willen worden wordt zelf zich zijn zodat zonder
    zoals delen leren gemeenschap leergemeenschap praktijk kennis ervaring ervaringen doel
    samenwerken samenwerking
    about after again also among around because been before being between both could does
    doing each every from have having here into just like make many more most much must only
    other others over same should some such than that their them then there these they this
    those through under very want what when where which while will with within without would
    your yours ours together community communities practice learn learning share sharing
    knowledge experience goal work working people
    """.split()
)


def theme_words(community: Community) -> frozenset[str]:
    """The words that say what a community is about (see the module's rule)."""
    text = f"{community.theme} {community.shared_goal}".lower()
    return frozenset(
        word
        for word in _WORD.findall(text)
        if len(word) >= THEME_MIN_LENGTH and word not in STOP_WORDS
    )


def similar(a: frozenset[str], b: frozenset[str]) -> list[str]:
    """The words two themes share when they count as similar, else []."""
    common = a & b
    if len(common) < THEME_MIN_SHARED or not a or not b:
        return []
    if len(common) < THEME_MIN_SHARE * min(len(a), len(b)):
        return []
    return sorted(common)


def suggestions(
    *,
    communities: list[Community],
    linked_pairs: set[tuple[str, str]],
    isolated: list[str],
    missing_perspectives: list[str],
) -> list[dict]:
    """The suggestions for a network's coordinators. `linked_pairs`: the (slug, slug) pairs
    that share a member, in either order; `missing_perspectives`: names."""
    words = {c.slug: theme_words(c) for c in communities}
    pairs = []
    for a, b in combinations(sorted(communities, key=lambda c: c.slug), 2):
        if (a.slug, b.slug) in linked_pairs or (b.slug, a.slug) in linked_pairs:
            continue
        common = similar(words[a.slug], words[b.slug])
        if common:
            pairs.append((a, b, common))
    pairs.sort(key=lambda p: (-len(p[2]), p[0].slug, p[1].slug))
    out = []
    paired: set[str] = set()
    for a, b, common in pairs[:MAX_THEME_SUGGESTIONS]:
        paired.update((a.slug, b.slug))
        out.append(
            {
                "kind": "similar_theme",
                "text": _(
                    "%(a)s and %(b)s work on a similar theme (%(words)s) and share no one: "
                    "introduce their facilitators to each other."
                )
                % {"a": a.name, "b": b.name, "words": ", ".join(common[:WORDS_SHOWN])},
                "communities": [a.slug, b.slug],
            }
        )
    names = {c.slug: c.name for c in communities}
    alone = [slug for slug in isolated if slug not in paired]
    for slug in alone[:MAX_ISOLATED_SUGGESTIONS]:
        out.append(
            {
                "kind": "isolated",
                "text": _(
                    "No one in %(name)s takes part in another community of the network. "
                    "Invite its facilitators to a session of a community close to its theme."
                )
                % {"name": names[slug]},
                "communities": [slug],
            }
        )
    for name in missing_perspectives:
        out.append(
            {
                "kind": "missing_perspective",
                "text": _(
                    "No community in the network has a member with the perspective %(name)s. "
                    "Who could bring it in?"
                )
                % {"name": name},
                "communities": [],
            }
        )
    return out
