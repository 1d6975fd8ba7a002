"""Keyset pages (marketplace.keyset) as API responses.

A response is `{"next": <absolute url or null>, "previous": ..., "results": [...]}`; the links are the
request's own URL with only `cursor` replaced, so every filter and the ordering carry over. There is
no total count on purpose: counting a large channel costs more than the page itself.
"""

from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.utils.urls import replace_query_param

from marketplace.keyset import Page

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
