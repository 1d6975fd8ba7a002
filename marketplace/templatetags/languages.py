from django import template
from django.utils import translation
from django.utils.html import format_html

register = template.Library()


@register.filter
def lang_attr(language: str | None) -> str:
    """`<h1{{ listing.language|lang_attr }}>`: ` lang="zh-hans"` when text written in that language
    is shown on a page in another one, else nothing (the page's own `lang` already applies)."""
    if not language or translation.get_language() == language:
        return ""
    return format_html(' lang="{}"', language)
