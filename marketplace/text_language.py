"""The language a person wrote a text in, detected once when it is saved, so that pages can mark it
with `lang` where it differs from the page's language (screen readers then read it with the right
voice, and browsers pick the right fonts and line breaking).

The site speaks English and Simplified Chinese, and the two are told apart by script: a text with
any Han character was written by someone writing Chinese (brand and model names in Latin letters are
common in Chinese titles: "iPhone 13 Pro 国行"), and one without is English. A statistical detector
guesses poorly on titles a few words long, and has no third answer this site could use.
"""

import re

ENGLISH = "en"
CHINESE = "zh-hans"

# CJK Unified Ideographs with extension A, and the compatibility block.
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def written_language(*texts: str) -> str:
    """`written_language(title, description)` → "zh-hans" or "en"."""
    return CHINESE if any(HAN.search(text or "") for text in texts) else ENGLISH
