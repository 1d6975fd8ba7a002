"""Hiding the contact details people type to each other (chat messages, listing descriptions), because
a sale paid off the platform loses its buyer protection.

`mask_contacts(text)` returns the text with each contact detail replaced by CONTACT_MASK, and the
kinds it found; a page that shows a masked text shows MASKING_NOTE beside it. The module is pure (no
model, no settings): the caller passes the site's own hosts and chooses when to mask, before a text
is stored (then nobody reads the detail later) or when it is shown. Masking a masked text changes
nothing, so a text masked when stored can be masked again when shown by a later, stricter version.

What is caught:

- phone: a mainland mobile (11 digits starting 13–19, with an optional 86, +86 or 0086 in front); a
  landline with its area code ("021-6123 4567", "(021) 61234567", "075588886666"); any number written
  with "+" and 8 to 15 digits; and 7 to 15 digits right after a word that says "phone" ("tel",
  "phone", "mobile", "电话", "手机", ...). The digits may be grouped by spaces, dashes, dots or
  underscores (up to 3 such characters between groups, zero-width characters included), typed
  full-width ("１３８") or circled ("①"), or spelled with Chinese numerals (一三八, 幺三八, 壹叁捌).
- email: name@domain.tld, with "＠", "(at)", "[at]" or "艾特" for the @, and ".", "。", "(dot)",
  " dot " or "点" for the dots; "name at domain dot com" (a spelled "at" needs a spelled dot, or a
  domain that only serves mail: "name at qq.com").
- wechat: an ID of 6–20 characters starting with a letter after a WeChat keyword ("wechat",
  "weixin", "wx", "vx", "v信", "微信", "威信", "薇信", "徽信", "加V") and an optional "号", "ID",
  "是", "is", ":" or "="; an internal "wxid_..." anywhere; 6–15 digits after such a keyword. After an
  English keyword an ID of letters only needs a ":"/"号"/"ID" ("wechat: zhangsan"), so that "I use
  wechat daily" stays. The keyword stays in the text, only the ID is hidden.
- qq: 5–11 digits after "qq", "扣扣" or "企鹅".
- link: http(s):// and www. links, and bare domains ending in a common TLD (.com .cn .net .org .io
  .me .cc .top .xyz .shop .vip .info .hk .tw; "t.cn/abc" included) with their path. The site's own
  hosts (`allowed_hosts`, with their subdomains) stay, but what their path or query carries is still
  checked ("https://reloop.cn/?to=evil.com" keeps its host and loses "evil.com").

A number introduced as QQ or WeChat that is shaped like a phone number is reported as "phone".

What is deliberately left alone:

- prices, years, dates, times, sizes and model numbers ("¥1,299", "3500.00", "2026-12-06", "14:30",
  "iPhone 13 Pro 256GB", "A2634", "size 42"), order numbers and codes ("R123456", "RLX9BU6UCQ"):
  a number is only a phone when its groups add up exactly to a phone number's shape, so a chain of
  prices ("1399.00 1599.00") is not one either.
- IMEIs and serial numbers: a buyer asking for an item's IMEI is doing the right thing, so 15
  contiguous digits (or any digit string that is not a phone's shape) stay unless a phone word
  introduces them ("手机号 356938035643809" is hidden; "IMEI 356938035643809", "手机串号 ..." stay).
  Grouped 4-4-4-3, the last three groups of an IMEI form a mobile's shape when they begin with 13–19,
  and are then hidden.
- spelled English digits ("one three eight..."), digits split by letters or by "/", spelled dots in
  links ("taobao dot com"), bare IP addresses, "localhost", and handles on other apps (Telegram,
  Line) without a keyword this module knows.
- a TLD in mixed case after a full stop with no space ("it.Me too"), which is a sentence, not a link.

Known misfires: a name in the form of a domain ("Socket.io") is hidden as a link, and a list of small
numbers whose groups happen to make 11 digits beginning 13–19 ("1 3 5 7 9 11 13 15") as a phone.

How: the text is first folded character by character into a "shadow" of the same length: lower
case, NFKC where that gives one character ("１" → "1", "＠" → "@"), Chinese numerals to digits. What is
found in the shadow is thus found at the same positions in the text as typed. The detectors then run
in order (links with a scheme, e-mails, WeChat IDs, numbers, bare domains), each blanking what it
found so that the next never finds a piece of it, and run again until they find nothing more; masking
a masked text changes nothing. No quantifier can backtrack into another (a run followed by something
optional is possessive), a detector whose keywords are absent from the text returns at once, and a
2,000-character message takes about a tenth to half a millisecond.
"""

# Full-width and look-alike characters are what this module is about: its docstrings and comments
# name them.
# ruff: noqa: RUF002, RUF003

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import accumulate

from django.utils.translation import gettext_lazy as _

# Made of the character that stands for a found detail in the shadow (_BLANK), which no pattern matches
# and which ends every word, number and link: a masked text reads to the detectors as the shadow did
# when they had found everything, so masking it again changes nothing. "•••" reads the same in English
# and Chinese, and is how the site already hides account numbers (marketplace.masking).
CONTACT_MASK = "•••"
MASKING_NOTE = _("Contact details are hidden: pay and talk on Reloop to keep your buyer protection.")

PHONE = "phone"
EMAIL = "email"
WECHAT = "wechat"
QQ = "qq"
LINK = "link"


@dataclass(frozen=True)
class MaskedText:
    text: str
    kinds: frozenset[str] = frozenset()  # what was hidden, among PHONE, EMAIL, WECHAT, QQ and LINK

    @property
    def masked(self) -> bool:
        return bool(self.kinds)


@dataclass(frozen=True, slots=True)
class _Found:
    start: int
    end: int
    kind: str | None  # None: found and kept (the site's own host)


@dataclass(slots=True)
class _Scan:
    """What the detectors share."""

    text: str  # as typed
    shadow: str  # folded (see _shadow), with what earlier detectors found blanked
    allowed_hosts: frozenset[str]


# --- The shadow text -------------------------------------------------------------------------------

_CHINESE_DIGITS = {
    numeral: str(value)
    for value, numerals in enumerate(
        ["零〇", "一壹幺", "二贰", "三叁", "四肆", "五伍", "六陆", "七柒", "八捌", "九玖"]
    )
    for numeral in numerals
}
# Folded by NFKC into characters no pattern looks for, and in nearly every Chinese sentence ("，！；").
_UNUSED_FOLDS = ",!;"
# The blocks whose characters NFKC folds into one other character, among them every such character
# that folds into ASCII: Latin-1 and Latin extended letters, modifier and phonetic letters, spaces
# and punctuation, super- and subscripts, letter-like symbols, number forms, circled and parenthesised
# characters, CJK symbols, small, vertical, half- and full-width forms, mathematical letters and digits,
# segmented digits. Folding only these keeps the shadow fast to build: a pattern finds them.
_FOLDED_BLOCKS = [
    (0x00A0, 0x024F), (0x02B0, 0x02FF), (0x1D00, 0x1DBF), (0x2000, 0x218F), (0x2460, 0x24FF),
    (0x2C60, 0x2C7F), (0x3000, 0x303F), (0x3200, 0x33FF), (0xA720, 0xA7FF), (0xFE10, 0xFE6F),
    (0xFF00, 0xFFEF), (0x1D400, 0x1D7FF), (0x1F100, 0x1F1FF), (0x1FBF0, 0x1FBF9),
]  # fmt: skip


def _folds() -> dict[str, str]:
    """Each character that folds, and what it folds to: "１" → "1", "Ａ" → "a", "①" → "1", "＠" → "@",
    "一" and "㊀" → "1", "｡" → "。". Left out: a character that NFKC makes several ("㎏" → "kg"), which
    would shift every later position; and one that folds into a character no pattern looks for
    (anything else outside ASCII, and _UNUSED_FOLDS), which would only slow the folding."""
    folds = dict(_CHINESE_DIGITS)
    for first, last in _FOLDED_BLOCKS:
        for code in range(first, last + 1):
            character = chr(code)
            folded = unicodedata.normalize("NFKC", character)
            if folded == character or len(folded) != 1 or folded in _UNUSED_FOLDS:
                continue
            if folded in _CHINESE_DIGITS:
                folds[character] = _CHINESE_DIGITS[folded]
            elif folded.isascii() or folded == "。":
                folds[character] = folded.lower()
    return folds


_FOLDS = _folds()
_FOLD_TABLE = str.maketrans(_FOLDS)
# The characters of the BMP one by one (Python tests a class of them in one step), and beyond it a
# range: a class that lists characters beyond the BMP is tested member by member.
_FOLDABLE = re.compile(
    "[{}\U00010000-\U0010ffff]+".format(
        "".join(re.escape(character) for character in _FOLDS if character <= "\uffff")
    )
)
# The one character whose lower case is two characters ("İ" → "i̇"): it would shift every position.
_LOWER_CASE_GROWS = "\u0130"
_BLANK = CONTACT_MASK[0]  # what a found detail becomes in the shadow


def _shadow(text: str) -> str:
    """The text in lower case, NFKC-folded and with Chinese numerals as digits, one character for one
    character, so that a position in the shadow is the same position in the text."""
    lowered = text.replace(_LOWER_CASE_GROWS, "i").lower()
    return _FOLDABLE.sub(lambda run: run.group().translate(_FOLD_TABLE), lowered)


def _blank(shadow: str, found: list[_Found]) -> str:
    if not found:
        return shadow
    parts, last = [], 0
    for item in sorted(found, key=lambda item: item.start):
        parts += [shadow[last : item.start], _BLANK * (item.end - item.start)]
        last = item.end
    parts.append(shadow[last:])
    return "".join(parts)


# --- Patterns --------------------------------------------------------------------------------------
# They match the shadow, in lower case, and are compiled ASCII-only (\s is ASCII white space; NFKC has
# folded the others to a space). No pattern ignores case: Python searches a case-insensitive
# alternation of words ten times slower.

_LABEL = r"[a-z0-9][a-z0-9-]{0,62}+"
# Characters that end a link: white space, quotes and angle brackets, CJK punctuation and ideographs
# (a link typed inside a Chinese sentence ends where the sentence resumes), and the blank.
_LINK_CHAR = (
    rf"[^\s\u0085\u1680\u2028\u2029<>\"'`{_BLANK}\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]"
)
_LINK_TRAILING_PUNCTUATION = ".,;:!?)]}>'\""
_TLDS = ("com", "cn", "net", "org", "io", "me", "cc", "top", "xyz", "shop", "vip", "info", "hk", "tw")

_URL = re.compile(rf"(?<![a-z0-9@._%+-])(?:https?://|www\.){_LINK_CHAR}+", re.ASCII)
_ANY_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.ASCII | re.IGNORECASE)
# A link's scheme, user ("user@", which is not the host, however it looks), host and port.
_LINK_HOST = re.compile(
    r"(?:https?://)?(?:[^/?#\\@]*+@)?(?P<host>\[[0-9a-f:.]*+\]|[a-z0-9.-]*+)(?::[0-9]{1,5})?"
)
_BARE_DOMAIN = re.compile(
    rf"(?<![a-z0-9@._])(?:{_LABEL}\.){{1,8}}(?P<tld>{'|'.join(_TLDS)})(?![a-z0-9-])", re.ASCII
)
_BARE_DOMAIN_PATH = re.compile(rf"[/?#]{_LINK_CHAR}*", re.ASCII)

_OPEN = r"[\[({<]"
_CLOSE = r"[\])}>]"
_BRACKETED_AT = re.compile(rf"{_OPEN}\s*+at\s*+{_CLOSE}", re.ASCII)
_SPACED_AT = re.compile(r"\sat\s", re.ASCII)
_AT_SYMBOL = rf"(?:\s*+@\s*+|\s*+{_OPEN}\s*+at\s*+{_CLOSE}\s*+|\s*+艾特\s*+)"
_SPELLED_DOT = rf"(?:\s*+{_OPEN}\s*+dot\s*+{_CLOSE}\s*+|\s++dot\s++|\s*+点\s*+)"
_DOT = rf"(?:{_SPELLED_DOT}|[.。])"
_MAIL_ONLY_DOMAIN = r"(?:(?:qq|foxmail|163|126|139|sina|sohu|aliyun|gmail|outlook|hotmail|yahoo|icloud)\.(?:com|cn)|yeah\.net)"
_EMAIL_LOCAL = r"(?<![a-z0-9._%+-])[a-z0-9._%+-]{1,64}+"
_EMAIL = re.compile(
    rf"{_EMAIL_LOCAL}{_AT_SYMBOL}(?:{_LABEL}{_DOT}){{1,8}}[a-z]{{2,24}}+(?![a-z0-9-])", re.ASCII
)
# "name at qq dot com": an "at" between words is a sentence ("bought it at home") unless a spelled dot
# or a domain that only serves mail follows.
_EMAIL_SPELLED = re.compile(
    rf"{_EMAIL_LOCAL}\s++at\s++"
    rf"(?:{_MAIL_ONLY_DOMAIN}|(?:{_LABEL}{_DOT}){{0,7}}{_LABEL}{_SPELLED_DOT}[a-z]{{2,24}}+)(?![a-z0-9-])",
    re.ASCII,
)

# What may stand between a keyword and what it introduces: "微信号是：", "wechat id:", "qq群 ",
# "phone number is". A named marker or a colon makes the introduction explicit.
_MARKER = (
    r"\s*+(?:(?P<named>号码|账号|号|群|id(?![a-z])|no\.?(?![a-z])|number)\s*+)?"
    r"(?:(?:是|is(?![a-z]))\s*+)?(?P<colon>[:=#])?\s*+"
)
_WECHAT_KEYWORD = r"we\s?chat|wei\s?xin|(?<![a-z])[wv]x(?![a-z])|v信|[微威薇徽]信|加\s?v(?![a-z])"
_QQ_KEYWORD = r"(?<![a-z])qq(?![a-z])|扣扣|企鹅"
_PHONE_KEYWORD = (
    r"(?<![a-z])(?:tel|telephone|phone|mobile|cell|cellphone|whatsapp)(?![a-z])|电话|手机|联系方式|致电|拨打"
)
# Substrings without which none of the keywords can be there: testing for them first is what keeps
# a message that mentions none fast.
_WECHAT_HINTS = ("chat", "xin", "wx", "vx", "信", "加")
_QQ_HINTS = ("qq", "扣扣", "企鹅")
_PHONE_HINTS = ("tel", "phone", "mobile", "cell", "whatsapp", "电话", "手机", "联系方式", "致电", "拨打")
_KEYWORD_HINTS = _WECHAT_HINTS + _QQ_HINTS + _PHONE_HINTS
_KEYWORD_HINT = re.compile("|".join(map(re.escape, _KEYWORD_HINTS)))

# Each begins with a look-ahead for its first character: Python then skips to where it can match,
# instead of trying the keywords (and their look-behinds) at every position.
_WECHAT_ID = re.compile(
    rf"(?=[wv微威薇徽加])(?P<keyword>{_WECHAT_KEYWORD}){_MARKER}(?P<id>[a-z][a-z0-9_-]{{5,19}}+)(?![a-z0-9_-])",
    re.ASCII,
)
_WECHAT_INTERNAL_ID = re.compile(r"(?=w)(?<![a-z0-9_-])wxid_[a-z0-9_-]{4,30}+(?![a-z0-9_-])", re.ASCII)
# Searched for in the few characters before a number, ending where its first digit begins.
_INTRODUCTION = re.compile(
    rf"(?:(?P<qq>{_QQ_KEYWORD})|(?P<wechat>{_WECHAT_KEYWORD})|(?P<phone>{_PHONE_KEYWORD})){_MARKER}[+(]{{0,2}}+\Z",
    re.ASCII,
)
_INTRODUCTION_WINDOW = 40  # "cellphone number is: (" is 22 characters
# How many digits each keyword introduces.
_INTRODUCED_LENGTHS = {PHONE: range(7, 16), QQ: range(5, 12), WECHAT: range(6, 16)}

_DIGITS = re.compile(r"[0-9]+")
# Groups of digits and what may stand between two groups of one number: up to 3 spaces, dashes, dots,
# underscores, middle dots, parentheses, zero-width characters or soft hyphens. Digits and gaps have
# no character in common and every quantifier is possessive: nothing is ever tried twice.
_GAP = r"[\s\u0085\u1680\u2028\u2029\u00ad\u200b-\u200d\u2060\ufeff\-\u2010-\u2015._·()]"
_DIGIT_CHAIN = re.compile(rf"[0-9]++(?:{_GAP}{{1,3}}+[0-9]++)*+", re.ASCII)
_LONGEST_NUMBER = 15  # 0086 and a mobile; the longest international number
_SHORTEST_NUMBER = 5  # a QQ number
_SHORTEST_PLUS_NUMBER = 8  # an international number, written with "+"
_SHORTEST_PHONE = 11  # a mobile or a landline with its area code
# How a phone number that needs no keyword begins: a mobile, with 86 or 0086 before it, or an area code.
_PHONE_START = re.compile(r"(?=1[3-9]|(?:00)?861[3-9]|0[1-9])")
_MOBILE = re.compile(r"(?:0086|86)?1[3-9][0-9]{9}")
# 010 and 02x have 8 digits after them, the 4-digit area codes 7 or 8; local numbers start at 2.
_LANDLINE = re.compile(r"0(?:[12][0-9][2-9][0-9]{7}|[3-9][0-9]{2}[2-9][0-9]{6,7})")


# --- Detectors -------------------------------------------------------------------------------------
# Each returns what it found in scan.shadow. One whose every pattern needs a word that the text lacks
# returns at once: most messages hold no contact detail, and a substring test costs little.


def _links_with_scheme(scan: _Scan) -> list[_Found]:
    """http(s):// and www. links. Of the site's own only the scheme and host are set aside (kept), so
    that what their path carries is still looked at."""
    if "http" not in scan.shadow and "www." not in scan.shadow:
        return []
    found = []
    for match in _URL.finditer(scan.shadow):
        link = match.group().rstrip(_LINK_TRAILING_PUNCTUATION)
        host = _LINK_HOST.match(link)
        if not (host and host.group("host").strip(".")):
            continue
        if _is_allowed(host.group("host"), scan.allowed_hosts):
            found.append(_Found(match.start(), match.start() + host.end(), None))
        else:
            found.append(_Found(match.start(), match.start() + len(link), LINK))
    return found


def _emails(scan: _Scan) -> list[_Found]:
    """Addresses with an @ (or "＠", "(at)", "艾特"), then those with "at" spelled out."""
    shadow, found = scan.shadow, []
    if "@" in shadow or "艾特" in shadow or _BRACKETED_AT.search(shadow):
        found = [_Found(*match.span(), EMAIL) for match in _EMAIL.finditer(shadow)]
        shadow = _blank(shadow, found)
    if _SPACED_AT.search(shadow):
        found += [_Found(*match.span(), EMAIL) for match in _EMAIL_SPELLED.finditer(shadow)]
    return found


def _wechat_ids(scan: _Scan) -> list[_Found]:
    """The ID after a WeChat keyword (the keyword stays), and internal wxid_ IDs anywhere."""
    if not any(hint in scan.shadow for hint in _WECHAT_HINTS):
        return []
    found = []
    for match in _WECHAT_ID.finditer(scan.shadow):
        explicit = match.group("named") or match.group("colon") or not match.group("keyword").isascii()
        if explicit or not match.group("id").isalpha():
            found.append(_Found(*match.span("id"), WECHAT))
    shadow = _blank(scan.shadow, found)
    return found + [_Found(*match.span(), WECHAT) for match in _WECHAT_INTERNAL_ID.finditer(shadow)]


def _numbers(scan: _Scan) -> list[_Found]:
    """Phone, QQ and WeChat numbers, found among chains of digit groups (see _numbers_in_chain)."""
    shadow = scan.shadow
    keyword_starts: list[int] | None = None  # where a keyword may begin, looked for once needed
    found: list[_Found] = []
    for chain in _DIGIT_CHAIN.finditer(shadow):
        start, end = chain.span()
        # Most chains are a price, a year or a size, too short to be anything (the gaps count too).
        if end - start < _SHORTEST_NUMBER:
            continue
        if keyword_starts is None:
            keyword_starts = [hint.start() for hint in _KEYWORD_HINT.finditer(shadow)]
        keyword = _introduction(shadow, start, keyword_starts)
        plus = "+" in shadow[max(0, start - 2) : end]
        if end - start >= (
            _SHORTEST_NUMBER if keyword else _SHORTEST_PLUS_NUMBER if plus else _SHORTEST_PHONE
        ):
            found += _numbers_in_chain(shadow, _Chain(shadow, start, end), keyword=keyword, plus=plus)
    return found


def _bare_domains(scan: _Scan) -> list[_Found]:
    """ "taobao.com", "t.cn/A6abc": the domain with its path, unless it is the site's own. A TLD in
    mixed case as typed ("it.Me too") is a sentence that lacks a space."""
    shadow = scan.shadow
    if not any(f".{tld}" in shadow for tld in _TLDS):
        return []
    found = []
    position = 0
    while match := _BARE_DOMAIN.search(shadow, position):
        end = match.end()
        typed_tld = unicodedata.normalize("NFKC", scan.text[match.start("tld") : end])
        if typed_tld.islower() or typed_tld.isupper():
            if _is_allowed(match.group(), scan.allowed_hosts):
                found.append(_Found(match.start(), end, None))
            else:
                # The path goes with the link; searching on after it keeps "evil.com/x.cn" one link.
                if path := _BARE_DOMAIN_PATH.match(shadow, end):
                    end += len(path.group().rstrip(_LINK_TRAILING_PUNCTUATION))
                found.append(_Found(match.start(), end, LINK))
        position = end
    return found


_DETECTORS = [_links_with_scheme, _emails, _wechat_ids, _numbers, _bare_domains]


# --- Numbers ---------------------------------------------------------------------------------------


class _Chain:
    """Groups of digits that only short gaps separate (_DIGIT_CHAIN): "138 0013 8000" is one chain of
    three groups; "13 pro 256" is three chains."""

    def __init__(self, shadow: str, start: int, end: int) -> None:
        self.groups = list(_DIGITS.finditer(shadow, start, end))
        self.digits = "".join(group.group() for group in self.groups)
        # Where each group's digits begin in self.digits, and where the last one's end.
        self.offsets = list(accumulate((group.end() - group.start() for group in self.groups), initial=0))
        self.group_starting_at = {offset: index for index, offset in enumerate(self.offsets[:-1])}
        self.group_ending_at = {offset: index for index, offset in enumerate(self.offsets[1:])}


def _numbers_in_chain(shadow: str, chain: _Chain, *, keyword: str | None, plus: bool) -> Iterator[_Found]:
    """A number is whole groups: from each group on, the longest run of groups whose digits have a
    contact number's shape. So "1399.00 1599.00" (groups of 4, 2, 4 and 2 digits) holds no 11-digit
    mobile, and "2021 138 0013 8000" holds one after the year. Only a chain's first group can follow
    a keyword (a keyword is letters, and letters end a chain): `keyword` is what that one announces.
    `plus` says whether there is a "+" in the chain or just before it."""
    groups = chain.groups
    after_plus = set()
    if plus:
        after_plus = {index for index, group in enumerate(groups) if _after_plus(shadow, group.start())}
    # Only these groups can begin a number; testing the others would be slow on "1 2 3 4 ...".
    firsts = after_plus | {0} if keyword else set(after_plus)
    for phone_start in _PHONE_START.finditer(chain.digits):
        if (index := chain.group_starting_at.get(phone_start.start())) is not None:
            firsts.add(index)
    next_first = 0
    for first in sorted(firsts):
        if first < next_first:
            continue
        number = _longest_number(
            chain, first, plus=first in after_plus, keyword=keyword if first == 0 else None
        )
        if number is not None:
            last, kind = number
            end = groups[last].end()
            yield _Found(_number_start(shadow, groups[first].start(), end), end, kind)
            next_first = last + 1


def _longest_number(chain: _Chain, first: int, *, plus: bool, keyword: str | None) -> tuple[int, str] | None:
    """(index of the last group, kind) of the longest number that begins with group `first`."""
    offset = chain.offsets[first]
    first_group_length = chain.offsets[first + 1] - offset
    for length in range(_LONGEST_NUMBER, _SHORTEST_NUMBER - 1, -1):
        last = chain.group_ending_at.get(offset + length)
        if last is None:
            continue
        digits = chain.digits[offset : offset + length]
        if _MOBILE.fullmatch(digits) or (plus and length >= _SHORTEST_PLUS_NUMBER):
            return last, PHONE
        if _is_landline(digits, first_group_length=first_group_length, one_group=last == first):
            return last, PHONE
        if keyword and length in _INTRODUCED_LENGTHS[keyword]:
            return last, keyword
    return None


def _is_landline(digits: str, *, first_group_length: int, one_group: bool) -> bool:
    """An area code and a local number, typed together or with the area code as its own group:
    "021 6123 4567" is one, "02 161 234 567" is not."""
    if not _LANDLINE.fullmatch(digits):
        return False
    return one_group or first_group_length == (3 if digits[1] in "12" else 4)


def _introduction(shadow: str, start: int, keyword_starts: list[int]) -> str | None:
    """The kind of number that a keyword just before `start` announces ("qq号：" → QQ), if any.
    `keyword_starts` (sorted) are where the text may have a keyword."""
    window_start = max(0, start - _INTRODUCTION_WINDOW)
    if bisect_left(keyword_starts, window_start) == bisect_left(keyword_starts, start):
        return None
    match = _INTRODUCTION.search(shadow, window_start, start)
    if match is None:
        return None
    return QQ if match.group("qq") else WECHAT if match.group("wechat") else PHONE


def _after_plus(shadow: str, start: int) -> bool:
    return shadow[start - 1 : start] == "+" or shadow[start - 2 : start] == "+("


def _number_start(shadow: str, start: int, end: int) -> int:
    """Where the number's mask begins: with its "+", and with the "(" of "(021) 6123 4567"."""
    if shadow[start - 1 : start] == "+":
        start -= 1
    if shadow[start - 1 : start] == "(" and ")" in shadow[start:end]:
        start -= 1
    if shadow[start - 1 : start] == "+":
        start -= 1
    return start


# --- Hosts -----------------------------------------------------------------------------------------


def _host(authority: str) -> str:
    """ "user@shop.example.com:8080" → "shop.example.com"; a link's host is what follows the last "@"."""
    host = authority.rsplit("@", 1)[-1]
    host = host[: host.find("]") + 1] if host.startswith("[") else host.split(":", 1)[0]
    return host.lower().rstrip(".")


def _allowed_hosts(hosts: Iterable[str]) -> frozenset[str]:
    """Hosts as settings write them (".reloop.cn", "www.reloop.cn", "https://reloop.cn") to the bare
    host. "*" is dropped: a wildcard would let every link through."""
    normalised = set()
    for entry in hosts:
        host = _host(_ANY_SCHEME.sub("", entry.strip()).split("/", 1)[0])
        host = host.lstrip(".").removeprefix("www.")
        if host and host != "*":
            normalised.add(host)
    return frozenset(normalised)


def _is_allowed(host: str, allowed_hosts: frozenset[str]) -> bool:
    host = host.lower().rstrip(".")
    return any(host == allowed or host.endswith("." + allowed) for allowed in allowed_hosts)


# --- The one entry point ---------------------------------------------------------------------------


def mask_contacts(text: str, *, allowed_hosts: Iterable[str] = ()) -> MaskedText:
    """`text` with every contact detail replaced by CONTACT_MASK, and the kinds found. Links to
    `allowed_hosts` (the site's own, and their subdomains) stay. Masking a masked text changes
    nothing."""
    hosts = _allowed_hosts(allowed_hosts)
    shadow = _shadow(text)  # with what is hidden so far blanked
    hidden: list[_Found] = []
    # A detail found by a later detector can be what kept an earlier one from matching ("01020000000"
    # before "www.x" is a landline, and a digit just before "www." begins no link). So the detectors
    # run again, over the text as masking the masked text would see it (what is hidden blanked, the
    # site's own links there again), until they hide nothing more: masking it again then changes
    # nothing. A text with a contact detail takes a second round, which hides something only in text
    # like that one; a third needs text made for it.
    while True:
        scan = _Scan(text=text, shadow=shadow, allowed_hosts=hosts)
        hidden_in_round: list[_Found] = []
        for detector in _DETECTORS:
            found = detector(scan)
            hidden_in_round += [item for item in found if item.kind]
            scan.shadow = _blank(scan.shadow, found)
        if not hidden_in_round:
            break
        hidden += hidden_in_round
        shadow = _blank(shadow, hidden_in_round)
    hidden.sort(key=lambda item: item.start)
    return MaskedText(text=_replace(text, hidden), kinds=frozenset(item.kind for item in hidden if item.kind))


def _replace(text: str, hidden: list[_Found]) -> str:
    if not hidden:
        return text
    parts, last = [], 0
    for item in hidden:
        parts += [text[last : item.start], CONTACT_MASK]
        last = item.end
    parts.append(text[last:])
    return "".join(parts)
