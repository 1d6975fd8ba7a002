"""The base view of the listings API."""

from django.utils import translation
from rest_framework.request import Request
from rest_framework.views import APIView


class LocalizedAPIView(APIView):
    """Answers in the language the client asks for.

    API paths carry no language prefix, and with `prefix_default_language=False` LocaleMiddleware
    reads an unprefixed path as the default language. A client instead says which language it wants
    with Accept-Language (or the site's language cookie); names of categories and brands, grade
    labels and error messages follow it.
    """

    def initial(self, request: Request, *args, **kwargs) -> None:
        translation.activate(translation.get_language_from_request(request._request))
        super().initial(request, *args, **kwargs)
