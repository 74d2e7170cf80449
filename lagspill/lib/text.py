"""Text helpers without Django: search normalisation for Norwegian and Sámi names."""

import unicodedata

# Letters that do not decompose into a base letter plus a combining mark.
_FOLD = str.maketrans({"ø": "o", "æ": "ae", "đ": "d", "ŋ": "n", "ŧ": "t", "ß": "ss", "ı": "i", "ł": "l"})


def fold(text: str) -> str:
    """Lower-case, strip diacritics and fold Nordic letters, so "Hábmer - Hamarøy" → "habmer - hamaroy"."""
    lowered = text.casefold().translate(_FOLD)
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def search_key(*names: str) -> str:
    """One searchable string for several names, one per line so words do not run together."""
    return "\n".join(dict.fromkeys(fold(name).strip() for name in names if name))


# Words people add that are not part of a municipality's name.
NOISE_WORDS = {"kommune", "kommunen", "kommuna", "municipality", "-"}


def search_words(query: str) -> list[str]:
    """The folded words of a search query, without noise words and control characters."""
    cleaned = "".join(ch for ch in query if ch.isprintable())
    return [w for w in fold(cleaned).split() if w not in NOISE_WORDS]
