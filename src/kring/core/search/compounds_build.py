"""Build the word list that compounds.py splits with (`nl_atoms.txt.gz`) from a Dutch word
list, one word a line (Debian's `wdutch`: /usr/share/dict/dutch):

    python -m kring.core.search.compounds_build /usr/share/dict/dutch

Kept apart from compounds.py because it needs the stemmer (text.py), which needs compounds.
"""

import gzip
import sys
from pathlib import Path

from kring.core.search import compounds
from kring.core.search.text import stems


def build(source: Path, target: Path = compounds.LEXICON_PATH) -> int:
    """Write the atoms of a word list (one word a line): lower-case words that are not
    themselves a compound of words of the list. Returns how many."""
    every = set()
    for line in source.read_text(encoding="utf-8").splitlines():
        word = line.strip()
        if compounds._WORD.match(word) and len(word) >= compounds.MIN_PART:
            every.add(word)
    full = frozenset(every)
    simple = {
        w
        for w in full
        if len(w) < compounds.MIN_WORD or not compounds._segment(w, full, whole=False)
    }
    # An inflected form of a simple word is simple too, even where it happens to split
    # ("gesprekken" is not gesp + rekken: its stem is that of "gesprek").
    simple_stems = {stems(w)[0] for w in simple}
    atoms = sorted(simple | {w for w in full - simple if stems(w)[0] in simple_stems})
    with gzip.open(target, "wt", encoding="utf-8", compresslevel=9) as handle:
        handle.write("\n".join(atoms) + "\n")
    return len(atoms)


if __name__ == "__main__":
    count = build(Path(sys.argv[1]))
    print(f"{count} atoms written to {compounds.LEXICON_PATH}")
