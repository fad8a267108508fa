"""Dutch compound words, split for the search index: "regiotaxi" is also found as "taxi",
"mantelzorgondersteuning" as "zorg", "mantelzorg" and "ondersteuning".

Dutch writes compounds as one word, so a search for a part finds nothing unless the index
also holds the parts. `parts(word)` splits a word into known simple words ("atoms") with
the linking morphemes -s-, -e- and -en- between them ("gezondheid-s-zorg",
"ouder-en-werk"), and returns every run of neighbouring atoms other than the whole word:
"mantelzorgondersteuning" gives mantel, zorg, ondersteuning, mantelzorg and
zorgondersteuning. The index keeps them in a column of their own with a low weight, so an
item with the whole word still ranks above one where it is only a part.

The atoms come from the OpenTaal word list as Debian ships it (package `wdutch`, BSD or
CC-BY 3.0, see nl_atoms.LICENSE): every lower-case word of the list that is not itself
such a compound, shipped with the code as `nl_atoms.txt.gz` (nothing is downloaded at run
time). Rebuild it with

    apt-get install wdutch
    python -m kring.core.search.compounds_build /usr/share/dict/dutch

Guards against false splits: no part shorter than MIN_PART letters; words that start
with a particle or prefix ("onder-steuning", "aan-pak", "over-leg") are not split at it;
derivational endings that happen to be words ("gemeen-schap", "eer-lijk") are not parts.
"""

import gzip
import re
from functools import cache, lru_cache
from pathlib import Path

LEXICON_PATH = Path(__file__).with_name("nl_atoms.txt.gz")

MIN_WORD = 6  # shorter words are never split
MIN_PART = 4
MAX_WORD = 40  # longer "words" are noise (URLs, codes): not split

# Linking morphemes a first part may carry: gezondheid+s+zorg, boek+en+kast, kind+er+opvang.
LINKS = ("", "s", "en", "e", "er")

# Particles and prefixes: a word starting with one is a derivation, not a compound
# ("ondersteuning", "aanpak", "overleg", "opvang", "verminderen", "samenwerking").
NOT_FIRST = frozenset(
    "aan af achter bij binnen buiten door in mee na naar om onder op over rond samen tegen "
    "toe uit voor weg terug ver be ge her ont mis er bel hal".split()
)
# Endings that are words as well: gemeen+schap, eer+lijk, leer+ling, kinder+loos.
NOT_LAST = frozenset(
    "schap schappen heid heden lijk lijke lijken baar bare loos loze dom ster sters ling "
    "lingen tje tjes achtig achtige ing ingen nis sel sels erij isch ische ief ieve ist "
    "isten atie aties teit iteit ies ier iers aar aars eren ende ster tal tallen".split()
)
_WORD = re.compile(r"^[a-zà-öø-ÿ]+$")


@cache
def lexicon() -> frozenset[str]:
    """The atoms, loaded once per process (about 3 MB of memory)."""
    with gzip.open(LEXICON_PATH, "rt", encoding="utf-8") as handle:
        return frozenset(line.strip() for line in handle if line.strip())


def _is_first(head: str, words: frozenset[str]) -> bool:
    """Whether `head` is a first part: a word, or a word plus a linking morpheme."""
    if head in words:
        return head not in NOT_FIRST
    last = head[-1]
    if last in "se":
        stem = head[:-1]
    elif last in "nr" and head[-2:] in ("en", "er"):
        stem = head[:-2]
    else:
        return False
    return len(stem) >= MIN_PART and stem in words and stem not in NOT_FIRST


def _segment(word: str, words: frozenset[str], *, whole: bool = True) -> list[str] | None:
    """The split of `word` into the fewest atoms (ties: the one whose shortest part is
    longest), or None. Each part keeps its linking morpheme ("gezondheids"). With
    whole=False the word itself does not count as a split of one part."""
    n = len(word)
    # best[i]: the fewest parts for word[i:], as a list, or None.
    best: list[list[str] | None] = [None] * (n + 1)
    best[n] = []
    for start in range(n - MIN_PART, -1, -1):
        choice: list[str] | None = None
        for end in range(n, start + MIN_PART - 1, -1):
            rest = best[end]
            if rest is None:
                continue
            if start == 0 and end == n and not whole:
                continue
            piece = word[start:end]
            last = end == n
            if (piece in words and piece not in NOT_LAST) if last else _is_first(piece, words):
                candidate = [piece, *rest]
                if choice is None or _better(candidate, choice):
                    choice = candidate
        best[start] = choice
    return best[0]


def _better(a: list[str], b: list[str]) -> bool:
    """Fewer parts first, then the split whose shortest part is longest."""
    return (len(a), -min(map(len, a))) < (len(b), -min(map(len, b)))


@lru_cache(maxsize=16384)  # _parts_indexed caches per token in front of it
def parts(word: str) -> tuple[str, ...]:
    """The parts of a lower-case compound worth indexing beside it (empty if it is none):
    every run of neighbouring atoms except the whole word, linking morphemes dropped at
    the end of a run."""
    if not MIN_WORD <= len(word) <= MAX_WORD or not _WORD.match(word):
        return ()
    words = lexicon()
    if word in words:  # a simple word (most words are): no need to try splits
        return ()
    atoms = _segment(word, words)
    if not atoms or len(atoms) < 2:
        return ()
    found: dict[str, None] = {}
    for i in range(len(atoms)):
        for j in range(i + 1, len(atoms) + 1):
            if i == 0 and j == len(atoms):
                continue
            run = "".join(atoms[i:j])
            if j < len(atoms):  # the run ends in a first part: drop its link
                run = _unlinked(run, atoms[j - 1])
            found[run] = None
    return tuple(found)


def _unlinked(run: str, last: str) -> str:
    words = lexicon()
    if last in words:
        return run
    for link in LINKS[1:]:
        if last.endswith(link) and last[: -len(link)] in words:
            return run[: -len(link)]
    return run
