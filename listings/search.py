"""What a shopper's query means, in English or Chinese, with typos and in pinyin.

A query is cut into words: Latin words at spaces and punctuation, Chinese with jieba (「苹果手机」 →
苹果 / 手机). A word, or a run of up to three, that names a category, a brand or a catalog model
(listings/search_aliases.json, and each category's and brand's own names in both languages and in
pinyin) is a *named* word: a listing matches it when it is in that category, of that brand or that
model, or when its text says the word; and listings that match every named word by what they are
rank first, so 「包」 lists bags before the cameras whose description says 包装 (packaging). The
other words are matched in the text as before (listings.selectors).

When a query finds nothing, each word that is not a known word is replaced by the nearest one in
the vocabulary (brands, categories, aliases and the words of catalog model names) by trigram
similarity, and the page and the API say "did you mean …" with what the corrected query found.

Everything here is computed from data files and is the same on PostgreSQL and SQLite; it reads no
table (the selectors pass in what the database knows: the frequent words of titles).
"""

import functools
import json
import logging
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import jieba
from pypinyin import lazy_pinyin

from listings import catalog_data

ALIASES_FILE = Path(__file__).with_name("search_aliases.json")
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Letters and digits of any script; apostrophes and the like join a word ("arc'teryx" → "arcteryx").
JOINERS = re.compile("['\\u2019`]")  # the apostrophe, the typographic one and the backtick
SEPARATORS = re.compile(r"[^\w]+")
LONGEST_PHRASE = 3  # words
# PostgreSQL's websearch syntax: a quoted phrase, a word left out, "or".
SEARCH_SYNTAX = re.compile(r'"|(?:^|\s)-\w|\sor\s', re.IGNORECASE)
# How alike a known word must be to replace an unknown one (pg_trgm's default threshold is 0.3; the
# vocabulary is small and a wrong correction misleads, so this asks for more).
CORRECTION_THRESHOLD = 0.5
MAX_EDITS = 2
SHORT_WORD = 4  # letters
MIN_CORRECTABLE_LENGTH = 3
# Fewer results than this on a query's only page, and a word that looks mistyped: "did you mean …".
FEW_RESULTS = 3
# Between the title's words and the description's in `document_words`.
DOCUMENT_PARTS = "|"

jieba.setLogLevel(logging.WARNING)


@dataclass(frozen=True)
class Meaning:
    """What a word names: a listing fits when it is in one of the categories (or below), of one of the
    brands and one of the models, for each kind the word names."""

    categories: frozenset[str] = frozenset()  # category slugs
    brands: frozenset[str] = frozenset()  # brand slugs
    models: frozenset[str] = frozenset()  # catalog model names

    def __or__(self, other: "Meaning") -> "Meaning":
        return Meaning(
            self.categories | other.categories, self.brands | other.brands, self.models | other.models
        )


@dataclass(frozen=True)
class NamedWord:
    word: str
    meaning: Meaning


@dataclass(frozen=True)
class QueryPlan:
    """A query as the channel matches it."""

    text_words: tuple[str, ...]  # matched in titles, descriptions and brand names only
    named: tuple[NamedWord, ...]  # matched by what the listing is, or by its text

    @property
    def is_empty(self) -> bool:
        return not self.text_words and not self.named


def _chunks(text: str) -> list[str]:
    """The text normalised and split at spaces and punctuation (Chinese runs stay whole)."""
    return SEPARATORS.sub(" ", normalise(text)).split()


def normalise(text: str) -> str:
    """Lower case, full-width forms folded to ASCII, accents dropped (hermès → hermes), and
    apostrophes joined."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = "".join(char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char))
    return JOINERS.sub("", text)


def _pinyin(word: str) -> str:
    return "".join(lazy_pinyin(word)) if CJK.search(word) else ""


@functools.cache
def vocabulary() -> dict[str, Meaning]:
    """Every word and phrase that names something, normalised, with what it names: the aliases file,
    the categories' and brands' names and slugs, and the pinyin of each Chinese one."""
    meanings: dict[str, Meaning] = {}

    def add(phrase: str, meaning: Meaning) -> None:
        phrase = " ".join(_chunks(phrase))
        if not phrase:
            return
        for key in filter(None, (phrase, _pinyin(phrase.replace(" ", "")))):
            meanings[key] = meanings.get(key, Meaning()) | meaning

    def walk(categories) -> None:
        for category in categories:
            meaning = Meaning(categories=frozenset({category.slug}))
            for name in (category.slug.replace("-", " "), category.name, category.name_zh):
                add(name, meaning)
            walk(category.children)

    walk(catalog_data.CATEGORY_TREE)
    for brand in catalog_data.BRANDS:
        meaning = Meaning(brands=frozenset({brand.slug}))
        for name in (brand.slug.replace("-", " "), brand.name, brand.name_zh):
            add(name, meaning)
    aliases = json.loads(ALIASES_FILE.read_text(encoding="utf-8"))
    for slug, words in aliases["categories"].items():
        for word in words:
            add(word, Meaning(categories=frozenset({slug})))
    for slug, words in aliases["brands"].items():
        for word in words:
            add(word, Meaning(brands=frozenset({slug})))
    for name, words in aliases["models"].items():
        for word in words:
            add(word, Meaning(models=frozenset({name})))
    return meanings


@functools.cache
def _segmenter() -> jieba.Tokenizer:
    """jieba, taught every Chinese word of the vocabulary so that 「香奈儿包」 cuts at 香奈儿."""
    tokenizer = jieba.Tokenizer()
    for phrase in vocabulary():
        if CJK.search(phrase) and " " not in phrase:
            tokenizer.add_word(phrase, freq=100_000)
    return tokenizer


def words_of(query: str) -> list[str]:
    """The query's words, normalised: Chinese cut by jieba, everything else at spaces and punctuation."""
    words: list[str] = []
    for chunk in _chunks(query):
        if CJK.search(chunk):
            words.extend(word.strip() for word in _segmenter().cut(chunk, HMM=True) if word.strip())
        else:
            words.append(chunk)
    return words


def document_words(title: str, description: str) -> str:
    """A listing's Chinese words as the index keeps them (`Listing.search_words`): the title's, a
    bar, then the description's, each cut by jieba in search mode (「手提包」 → 手提 / 提包 / 手提包)
    so that a query's word finds the longer words that contain it as a word, never as a mere run of
    characters (「包」 is not in 包装). Spaces round every word, so that SQLite can match one with
    `LIKE '% word %'`; PostgreSQL reads the two parts into the search document (migration 0012)."""

    def cut(text: str) -> str:
        words: dict[str, None] = {}
        for chunk in _chunks(text):
            if CJK.search(chunk):
                words.update((word, None) for word in _segmenter().cut_for_search(chunk) if CJK.search(word))
        return " ".join(words)

    title_words, description_words = cut(title), cut(description)
    return f" {title_words} {DOCUMENT_PARTS} {description_words} " if title_words or description_words else ""


def plan(query: str) -> QueryPlan:
    """The query's named words (the longest phrase first) and the words left for the text. A query
    written with search syntax (a quoted phrase, -word to leave out, "or") is left whole for the text."""
    if SEARCH_SYNTAX.search(query):
        return QueryPlan(text_words=(query.strip(),), named=())
    words = words_of(query)
    known = vocabulary()
    text_words: list[str] = []
    named: list[NamedWord] = []
    index = 0
    while index < len(words):
        for length in range(min(LONGEST_PHRASE, len(words) - index), 0, -1):
            run = words[index : index + length]
            phrase = " ".join(run)
            joined = "".join(run)
            meaning = known.get(phrase) or (known.get(joined) if length > 1 else None)
            if meaning is not None:
                named.append(NamedWord(phrase if not CJK.search(joined) else joined, meaning))
                index += length
                break
        else:
            text_words.append(words[index])
            index += 1
    return QueryPlan(text_words=tuple(text_words), named=tuple(named))


def trigrams(word: str) -> frozenset[str]:
    """The trigrams pg_trgm cuts `word` into (two spaces before, one after)."""
    padded = f"  {word} "
    return frozenset(padded[index : index + 3] for index in range(len(padded) - 2))


def similarity(one: str, other: str) -> float:
    """pg_trgm's similarity: shared trigrams over all trigrams of the two words."""
    first, second = trigrams(one), trigrams(other)
    return len(first & second) / len(first | second) if first or second else 0.0


@functools.cache
def _correctable_words() -> tuple[tuple[str, frozenset[str]], ...]:
    """The Latin words a typo may be corrected to, with their trigrams: the vocabulary's and the
    words of catalog model names."""
    words = {word for phrase in vocabulary() for word in phrase.split() if not CJK.search(word)}
    for model in catalog_data.CATALOG_MODELS:
        words.update(title_words(model.name))
    return tuple(sorted((word, trigrams(word)) for word in words if len(word) >= MIN_CORRECTABLE_LENGTH))


def edit_distance(one: str, other: str) -> int:
    """Edits (insert, delete, replace, swap two neighbours) from one word to the other."""
    rows = [list(range(len(other) + 1))]
    for i, first in enumerate(one, start=1):
        row = [i] + [0] * len(other)
        for j, second in enumerate(other, start=1):
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (first != second))
            if i > 1 and j > 1 and first == other[j - 2] and one[i - 2] == second:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def _likeness(word: str, grams: frozenset[str], candidate: str, candidate_grams: frozenset[str]) -> float:
    """How alike two words are: their trigram similarity, or for a slip of a key or two (「iphnoe」,
    whose swapped letters share few trigrams) one less the share of edits."""
    trigram = len(grams & candidate_grams) / len(grams | candidate_grams)
    allowed = 1 if len(word) <= SHORT_WORD else MAX_EDITS  # two slips in four letters is another word
    if abs(len(word) - len(candidate)) > allowed:
        return trigram
    edits = edit_distance(word, candidate)
    by_edits = 1 - edits / max(len(word), len(candidate)) if edits <= allowed else 0.0
    return max(trigram, by_edits)


def _unknown(word: str, known: dict[str, Meaning]) -> bool:
    return word not in known and not CJK.search(word) and len(word) >= MIN_CORRECTABLE_LENGTH


def correct(query: str, *, near: Callable[[list[str]], Iterable[str]] | None = None) -> str:
    """The query with each unknown Latin word replaced by the most alike known one; "" when there is
    nothing to correct. The known words are the vocabulary's and the catalog models' (no query), and
    what `near` finds for the unknown words: the frequent title words the database holds
    (listings.selectors.near_title_words), asked for once per query."""
    known = vocabulary()
    words = words_of(query)
    unknown = [word for word in words if _unknown(word, known)]
    if not unknown:
        return ""
    candidates = list(_correctable_words())
    if near is not None:
        found = {word for word in near(unknown) if len(word) >= MIN_CORRECTABLE_LENGTH}
        candidates.extend((word, trigrams(word)) for word in sorted(found - {word for word, _ in candidates}))
    changed = False
    corrected: list[str] = []
    for word in words:
        best = word
        if word in unknown:
            grams = trigrams(word)
            score, candidate = max(
                ((_likeness(word, grams, candidate, other), candidate) for candidate, other in candidates),
                default=(0.0, word),
            )
            if score >= CORRECTION_THRESHOLD and candidate != word:
                best, changed = candidate, True
        corrected.append(best)
    if not changed:
        return ""
    # Chinese words are written together again; the rest with spaces.
    return "".join(
        word if CJK.search(word) and (not index or CJK.search(corrected[index - 1])) else f" {word}"
        for index, word in enumerate(corrected)
    ).strip()


def title_words(title: str) -> set[str]:
    """The Latin words of a title that a typo could mean: letters only, at least three of them."""
    return {
        word
        for word in _chunks(title)
        if word.isalpha() and word.isascii() and len(word) >= MIN_CORRECTABLE_LENGTH
    }
