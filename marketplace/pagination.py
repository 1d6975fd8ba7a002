"""Keyset pages (marketplace.keyset) as API responses.

A response is `{"next": <absolute url or null>, "previous": ..., "results": [...]}`; the links are the
request's own URL with only `cursor` replaced, so every filter and the ordering carry over. There is
no total count on purpose: counting a large channel costs more than the page itself.
"""

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.utils.urls import replace_query_param

from marketplace.keyset import InvalidCursor, Page

CURSOR_PARAMETER = "cursor"


def page_link(request: Request, cursor: str | None) -> str | None:
    if cursor is None:
        return None
    return replace_query_param(request.build_absolute_uri(), CURSOR_PARAMETER, cursor)


def page_data(
    page: Page,
    *,
    request: Request,
    serializer_class: type[serializers.Serializer],
    context: dict | None = None,
) -> dict:
    context = {**(context or {}), "request": request}
    results = serializer_class(page.items, many=True, context=context).data
    return {
        "next": page_link(request, page.next_cursor),
        "previous": page_link(request, page.previous_cursor),
        "results": results,
    }


def page_serializer(item_serializer: type[serializers.Serializer], *, name: str) -> type:
    """The schema of a page of `item_serializer` rows, as its own named OpenAPI component."""
    return type(
        name,
        (serializers.Serializer,),
        {
            "next": serializers.URLField(allow_null=True, help_text="The next page, or null on the last."),
            "previous": serializers.URLField(
                allow_null=True, help_text="The previous page, or null on the first."
            ),
            "results": item_serializer(many=True),
            "__module__": __name__,
        },
    )


def cursor_page(request: HttpRequest, load: Callable[..., Page]) -> Page:
    """A page's list, from `load(cursor=...)` with the request's cursor; a cursor that cannot be read
    (an old or edited link) shows the first page with a message instead of an error."""
    try:
        return load(cursor=request.GET.get(CURSOR_PARAMETER) or None)
    except InvalidCursor as error:
        messages.info(request, error.message)
        return load(cursor=None)


def page_links(page: Page) -> dict[str, str]:
    """`next_url` and `previous_url` for a page's pager (templates/listings/_pager.html)."""
    return {
        "next_url": f"?{CURSOR_PARAMETER}={page.next_cursor}" if page.next_cursor else "",
        "previous_url": f"?{CURSOR_PARAMETER}={page.previous_cursor}" if page.previous_cursor else "",
    }
