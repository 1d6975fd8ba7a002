"""The `{% frozen %}` template tag: a part rendered once per language and reused, which cannot show
anything about the request."""

from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.factories import UserFactory

PART = Template(
    '{% load frozen i18n %}{% frozen %}<a href="{% url "listings:home" %}">{% translate "Sell" %}</a>'
    "[{{ secret }}]{% endfrozen %}<p>{{ secret }}</p>"
)


def test_a_frozen_part_is_rendered_per_language_and_never_sees_the_context():
    with translation.override("en"):
        first = PART.render(Context({"secret": "alice@example.com"}))
        second = PART.render(Context({"secret": "bob@example.com"}))
    with translation.override("zh-hans"):
        chinese = PART.render(Context({"secret": "carol@example.com"}))
    assert first == '<a href="/">Sell</a>[]<p>alice@example.com</p>'
    assert second == '<a href="/">Sell</a>[]<p>bob@example.com</p>'
    assert chinese.startswith('<a href="/zh-hans/">卖闲置</a>[]'), chinese
    assert "carol@example.com" in chinese


def test_the_site_header_still_follows_the_viewer_and_the_query(db):
    client = Client()
    page = client.get(reverse("listings:search"), {"q": "walkman"}).content.decode()
    assert 'name="q" value="walkman"' in page
    assert reverse("accounts:login") in page and reverse("orders:list") not in page
    client.force_login(UserFactory())
    page = client.get(reverse("listings:search"), {"q": "dyson"}).content.decode()
    assert 'name="q" value="dyson"' in page
    assert reverse("orders:list") in page and reverse("accounts:signup") not in page
    chinese = client.get("/zh-hans" + reverse("listings:search"), {"q": "戴森"}).content.decode()
    assert 'value="戴森"' in chinese and "退出" in chinese
