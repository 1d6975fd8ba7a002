"""The Simplified Chinese catalog: complete, free of fuzzy entries, placeholders intact, the compiled
.mo in step with the .po, and the site actually served in Chinese under /zh-hans/."""

import gettext
import re
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

LC_MESSAGES = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES"
PO_FILE = LC_MESSAGES / "django.po"
MO_FILE = LC_MESSAGES / "django.mo"

_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$')
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _unquote(literal: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES[m.group(1)], literal.strip()[1:-1])


def parse_po(text: str) -> list[dict]:
    """Each entry of a .po file (the header included, obsolete `#~` entries left out) as a dict:
    ctx, id, plural, str (form number → text), flags."""
    entries = []
    for block in re.split(r"\n[ \t]*\n", text.strip("\n")):
        entry = {"ctx": None, "id": None, "plural": None, "str": {}, "flags": set()}
        field = None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#"):
                continue
            elif match := _KEYWORD.match(line):
                keyword, form, literal = match.groups()
                if keyword.startswith("msgstr"):
                    field = ("str", int(form or 0))
                    entry["str"][field[1]] = _unquote(literal)
                else:
                    field = ({"msgctxt": "ctx", "msgid": "id", "msgid_plural": "plural"}[keyword],)
                    entry[field[0]] = _unquote(literal)
            elif line.startswith('"') and field:
                if field[0] == "str":
                    entry["str"][field[1]] += _unquote(line)
                else:
                    entry[field[0]] += _unquote(line)
        if entry["id"] is not None:
            entries.append(entry)
    return entries


@pytest.fixture(scope="module")
def po_entries() -> list[dict]:
    return parse_po(PO_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def messages(po_entries) -> list[dict]:
    """The translatable entries: everything but the header."""
    return [entry for entry in po_entries if entry["id"] or entry["ctx"]]


def _label(entry: dict) -> str:
    return f"{entry['ctx']}|{entry['id']}" if entry["ctx"] else entry["id"]


def test_header_declares_simplified_chinese(po_entries):
    header = next(entry for entry in po_entries if entry["id"] == "" and entry["ctx"] is None)
    text = header["str"][0]
    assert "Language: zh_Hans\n" in text
    assert "Plural-Forms: nplurals=1; plural=0;\n" in text
    assert "charset=UTF-8" in text
    assert "fuzzy" not in header["flags"]


def test_catalog_is_not_empty(messages):
    assert len(messages) > 100


def test_every_message_is_translated_and_none_is_fuzzy(messages):
    fuzzy = [_label(entry) for entry in messages if "fuzzy" in entry["flags"]]
    untranslated = [_label(entry) for entry in messages if not entry["str"] or not all(entry["str"].values())]
    assert fuzzy == []
    assert untranslated == []


def test_plural_entries_have_exactly_one_form(messages):
    """Chinese has one plural form (nplurals=1): a second msgstr would make msgfmt refuse the file."""
    wrong = [_label(entry) for entry in messages if entry["plural"] is not None and set(entry["str"]) != {0}]
    assert wrong == []


_NAMED = re.compile(r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[sdifrx]|\{\w*\}|</?[a-zA-Z][^>]*>")
_POSITIONAL = re.compile(r"%[-#0 +]*\d*(?:\.\d+)?[sdifrx%]")


def placeholders(text: str, python_format: bool) -> Counter:
    found = Counter(_NAMED.findall(text))
    if python_format:
        found.update(_POSITIONAL.findall(_NAMED.sub("", text)))
    return found


def test_placeholders_and_tags_survive_translation(messages):
    broken = []
    for entry in messages:
        python_format = "python-format" in entry["flags"]
        sources = [entry["id"]] + ([entry["plural"]] if entry["plural"] is not None else [])
        expected = [placeholders(source, python_format) for source in sources]
        for translation in entry["str"].values():
            if placeholders(translation, python_format) not in expected:
                broken.append((_label(entry), translation))
    assert broken == []


def test_compiled_catalog_matches_the_po(messages):
    """The committed .mo holds exactly the .po's translations: recompile after editing the .po
    (`manage.py compilemessages -l zh_Hans`)."""
    with MO_FILE.open("rb") as mo:
        catalog = gettext.GNUTranslations(mo)._catalog
    compiled = {key: value for key, value in catalog.items() if key != ""}

    expected = {}
    for entry in messages:
        msgid = f"{entry['ctx']}\x04{entry['id']}" if entry["ctx"] else entry["id"]
        if entry["plural"] is None:
            expected[msgid] = entry["str"][0]
        else:
            for form, text in entry["str"].items():
                expected[(msgid, form)] = text

    assert len(compiled) == len(expected)
    assert compiled == expected


@pytest.mark.django_db
def test_home_page_is_served_in_chinese(client):
    response = client.get("/zh-hans/")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in html
    for chinese in ("登录", "注册", "搜索", "卖闲置", "二手好物"):
        assert chinese in html
    for english in (">Sign in<", ">Sign up<", ">Sell<", "Second-hand goods"):
        assert english not in html
