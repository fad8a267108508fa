"""Language handling for search: tokens, Dutch and English stems, highlighted snippets.

Both backends share this: SQLite stores stemmed text in FTS5 (it has no Dutch stemmer),
and PostgreSQL's `dutch`/`english` configurations use the same Snowball algorithms, so
results agree. A word is indexed under its Dutch and its English stem: "begeleiders" and
"begeleiding" meet at "begeleid", "leerkringen" and "leerkring" at "leerkring".

Dutch compounds are split as well (`compounds.parts`): the index keeps the stems of their
parts beside the text, in a column of their own with a low weight ("regiotaxi" is found by
"taxi", below an item that has "taxi" as a word).
"""

import bisect
import html
import re
import threading
from functools import lru_cache

import Stemmer

from kring.core.search import compounds

# A stemmer keeps its state while it works on a word, so each thread has its own (a web
# process serves requests in several threads). "dutch_porter" is the Snowball
# algorithm PostgreSQL's `dutch` configuration uses.
_STEMMERS = threading.local()


def _stemmers() -> tuple[Stemmer.Stemmer, Stemmer.Stemmer]:
    try:
        return _STEMMERS.pair
    except AttributeError:
        _STEMMERS.pair = (Stemmer.Stemmer("dutch_porter"), Stemmer.Stemmer("english"))
        return _STEMMERS.pair


WORD_RE = re.compile(r"\w+(?:['’-]\w+)*", re.UNICODE)
MAX_QUERY_TERMS = 12

STOPWORDS = frozenset(
    (
        "de het een en of maar dat die dit deze van in op te voor met aan als bij om tot uit "
        "naar over door dan ook nog wel niet geen er is zijn was waren wordt worden werd kan "
        "kunnen moet moeten heeft hebben had ik je jij u hij zij ze we wij ons onze mijn jouw "
        "hun haar wat wie waar hoe waarom wanneer al alle meer veel zo nu hier daar toch "
        "the a an and or but of to in on at for with by from as is are was were be been it its "
        "this that these those we you they he she our your their his her not no so than then"
    ).split()
)


@lru_cache(maxsize=65536)
def stems(word: str) -> tuple[str, ...]:
    """The Dutch and English stems of one lower-cased word (one if they agree)."""
    stem_dutch, stem_english = _stemmers()
    dutch = stem_dutch.stemWord(word)
    english = stem_english.stemWord(word)
    return (dutch,) if dutch == english else (dutch, english)


def words(text: str) -> list[str]:
    return [w.lower() for w in WORD_RE.findall(text or "")]


@lru_cache(maxsize=131072)
def _indexed(token: str) -> str:
    """One token as the index stores it: its stems, or "" for a stop word or an overlong
    word. Cached whole, since bulk imports stem millions of tokens from a small vocabulary."""
    word = token.lower()
    if word in STOPWORDS or len(word) > 60:
        return ""
    return " ".join(stems(word))


def stemmed_text(text: str) -> str:
    """Text as the index stores it: every word replaced by its stems."""
    return " ".join(filter(None, map(_indexed, WORD_RE.findall(text or ""))))


@lru_cache(maxsize=131072)
def _parts_indexed(token: str) -> str:
    """The stems of a compound token's parts ("" for a word that is no compound), cached
    per distinct token like `_indexed`."""
    if len(token) < compounds.MIN_WORD:
        return ""
    return " ".join(filter(None, map(_indexed, compounds.parts(token.lower()))))


def indexed_text(text: str) -> tuple[str, str]:
    """Text as the index stores it: (every word replaced by its stems, the stems of the
    parts of its compound words)."""
    tokens = WORD_RE.findall(text or "")
    return (
        " ".join(filter(None, map(_indexed, tokens))),
        " ".join(filter(None, map(_parts_indexed, tokens))),
    )


def index_columns(title: str, body: str, tags: str) -> tuple[str, str, str, str]:
    """What both backends index for a document: stemmed title, body and tags, and the
    parts of the compounds in all three (one low-weight column). Each part is kept once,
    and not at all when the document has it as a word of its own already: it would find
    nothing new, and the vectors stay small (compounds add about a quarter, not half)."""
    title_stems, title_parts = indexed_text(title)
    body_stems, body_parts = indexed_text(body)
    tag_stems, tag_parts = indexed_text(tags)
    parts = " ".join(f"{title_parts} {body_parts} {tag_parts}".split())
    if parts:
        have = set(f"{title_stems} {body_stems} {tag_stems}".split())
        parts = " ".join(p for p in dict.fromkeys(parts.split()) if p not in have)
    return title_stems, body_stems, tag_stems, parts


def query_words(query: str) -> list[str]:
    """The words of a query that count: stop words and words that share their stems with
    an earlier word are dropped (a query of only stop words finds nothing, on both
    backends alike, since stop words are not indexed)."""
    raw = [w[:60] for w in words(query)[: MAX_QUERY_TERMS * 2]]
    kept = [w for w in raw if w not in STOPWORDS]
    seen: dict[tuple[str, ...], str] = {}
    for word in kept:
        seen.setdefault(stems(word), word)
    return list(seen.values())[:MAX_QUERY_TERMS]


def query_terms(query: str) -> list[tuple[str, ...]]:
    """The query's words as alternatives of stems."""
    return [stems(word) for word in query_words(query)]


@lru_cache(maxsize=131072)
def _word_stems(word: str) -> frozenset[str]:
    """A word's stems and, if it is a compound, its parts' stems (for highlighting)."""
    return frozenset(stems(word.lower())) | frozenset(_parts_indexed(word).split())


def _matches(word: str, wanted: set[str]) -> bool:
    """Whether a word, or a part of it if it is a compound, has a wanted stem."""
    return not wanted.isdisjoint(_word_stems(word))


def _spans(text: str, wanted: set[str]) -> list[tuple[int, int]]:
    """Where the words whose stems are wanted are, as WORD_RE.finditer would find them.

    Cheaper than matching word by word: each distinct word is checked once, and positions
    are only looked up when something matched. Between two words there is no word
    character, so each word is the next occurrence of its text after the previous one."""
    tokens = WORD_RE.findall(text)
    hits = {word for word in set(tokens) if _matches(word, wanted)}
    if not hits:
        return []
    spans, pos, find = [], 0, text.find
    for token in tokens:
        pos = find(token, pos)
        end = pos + len(token)
        if token in hits:
            spans.append((pos, end))
        pos = end
    return spans


def highlight(text: str, terms: list[tuple[str, ...]], *, length: int = 220) -> str:
    """An HTML-escaped excerpt around the densest run of matching words, hits in <mark>."""
    text = " ".join((text or "").split())
    if not text:
        return ""
    wanted = {stem for alternatives in terms for stem in alternatives}
    spans = _spans(text, wanted)
    if len(text) <= length:
        start, end = 0, len(text)
    elif spans:
        best_start, best_hits = spans[0][0], 0
        starts = [s for s, _e in spans]
        for i, s in enumerate(starts):
            # Matches starting within `length` of this one (starts are in order).
            hits = bisect.bisect_left(starts, s + length, i) - i
            if hits > best_hits:
                best_start, best_hits = s, hits
        start = max(0, best_start - length // 4)
        space = text.rfind(" ", 0, start)
        start = space + 1 if start and space != -1 else start
        end = min(len(text), start + length)
    else:
        start, end = 0, length
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    pieces, cursor = [], start
    for s, e in spans:
        if s < start or e > end:
            continue
        pieces.append(html.escape(text[cursor:s]))
        pieces.append(f"<mark>{html.escape(text[s:e])}</mark>")
        cursor = e
    pieces.append(html.escape(text[cursor:end]))
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return prefix + "".join(pieces) + suffix
