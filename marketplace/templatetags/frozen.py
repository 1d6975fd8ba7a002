"""`{% frozen %}…{% endfrozen %}`: a part of a template that is the same for every request in a
language (links, labels, static file URLs), rendered once per language by each process and reused.

Every page repeats the site's header and footer: dozens of `{% translate %}`, `{% url %}` and
`{% static %}` tags whose output depends on nothing but the language and the code. The part is
rendered with no variables, so it cannot show anything about the request or the viewer: a
variable inside it renders as nothing, in every language, and a test of the page would show it."""

from django import template
from django.template.base import Parser, Token
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


class FrozenNode(template.Node):
    def __init__(self, nodelist: template.NodeList) -> None:
        self.nodelist = nodelist
        # One rendering per language, kept with the compiled template (a process keeps its templates
        # until it stops; with DEBUG on they are compiled again when they change).
        self.rendered: dict[str | None, SafeString] = {}

    def render(self, context: template.Context) -> SafeString:
        language = translation.get_language()
        html = self.rendered.get(language)
        if html is None:
            # A context with no variables (not even the context processors' request and user).
            html = mark_safe(self.nodelist.render(context.new()))  # noqa: S308 - our template's own output
            self.rendered[language] = html
        return html


@register.tag
def frozen(parser: Parser, token: Token) -> FrozenNode:
    nodelist = parser.parse(("endfrozen",))
    parser.delete_first_token()
    return FrozenNode(nodelist)
