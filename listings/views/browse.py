"""The shopper's pages: home, category, search, listing detail, storefront and favourites.

Each page costs a fixed, small number of queries (pinned in tests/listings/test_browse_views.py):
the category tree and brand facets come from the cache, a list page reads its listings in one
keyset query, and the rendered results of category and search pages are cached for a short while,
keyed by language and the normalised filters, because the same popular pages are asked for again
and again and a listing's appearance there may lag by a few seconds.
"""

import dataclasses
import hashlib
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import engines
from django.template.backends.jinja2 import Jinja2
from django.template.backends.utils import csrf_input_lazy
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext, ngettext
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from listings.explanations import explanation_clips
from listings.filters import SORT_CHOICES, ChannelFilterForm
from listings.models import Brand, Category, Grade, Listing, ListingSource, ListingStatus, SearchFrequency
from listings.page_cache import DETAIL_TTL, detail_key
from listings.search import FEW_RESULTS
from listings.selectors import (
    ChannelFilters,
    DetailAnnotations,
    brands_for_category,
    brands_in_results,
    category_by_slug,
    category_covers,
    category_tree,
    facet_counts,
    favourite_ids,
    favourites_for_user,
    home_sections,
    listing_for_detail,
    listings_for_channel,
    listings_for_storefront,
    search_correction,
    seller_for_storefront,
    similar_listings,
)
from listings.services import favourite_add, favourite_remove
from listings.templatetags.channel import grade_label
from marketplace.db_router import request_reads_primary
from marketplace.keyset import InvalidCursor, Page
from marketplace.money import CENT
from marketplace.redirects import safe_next_url
from marketplace.templatetags.money import money

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

RESULTS_CACHE_TTL = 30
# How many of the item's explanation clips its page shows, newest first.
DETAIL_CLIPS = 3
FAVOURITE_SLOT = "<!-- favourite -->"
BUY_SLOT = "<!-- buy -->"
# Listings only their seller may see: never cached, so a withdrawn page cannot outlive the change.
HIDDEN_STATUSES = (ListingStatus.DRAFT, ListingStatus.WITHDRAWN)
# The filter parameters, in the order they appear in normalised query strings.
FILTER_PARAMS = ("q", "brand", "grade", "price_min", "price_max", "inspected", "authenticated", "sort")


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _error_messages(form: ChannelFilterForm) -> list[str]:
    messages: list[str] = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = field.label if field is not None and field.label else ""
        messages.extend(f"{label}: {error}" if label else str(error) for error in errors)
    return messages


def _filter_params(form: ChannelFilterForm) -> list[tuple[str, str]]:
    """The valid filters as query parameters, in one fixed order: the same filters give the same
    string, whatever order or spelling the request used."""
    cleaned = form.cleaned_data
    params: list[tuple[str, str]] = []
    for name in FILTER_PARAMS:
        value = cleaned.get(name)
        if value in (None, "", False, []):
            continue
        if isinstance(value, list):
            params.extend((name, item) for item in sorted(value))
        elif value is True:
            params.append((name, "1"))
        else:
            params.append((name, str(value)))
    return params


def _page_links(params: list[tuple[str, str]], page: Page) -> dict[str, str | None]:
    def link(cursor: str | None) -> str | None:
        return "?" + urlencode([*params, ("cursor", cursor)]) if cursor else None

    return {"next_url": link(page.next_cursor), "previous_url": link(page.previous_cursor)}


def _filters_active(params: list[tuple[str, str]]) -> bool:
    """Whether a filter is set. The words searched for and the order are not filters: the filter
    panel stays closed for them (on a phone an open panel pushed the first result off the screen)."""
    return any(name not in ("sort", "q") for name, _value in params)


def _part_key(part: str, scope: str, described: str) -> str:
    """The cache key of a rendered part of a channel page: per language, page and what `described`
    says (the filters, or the query string), hashed."""
    digest = hashlib.blake2b(described.encode(), digest_size=16).hexdigest()
    return f"listings:{part}:{get_language()}:{scope}:{digest}"


def _results_html(*, scope: str, form: ChannelFilterForm, filters: ChannelFilters) -> tuple[str, str | None]:
    """The rendered results grid and pager, from the cache when fresh; and the message for a cursor
    that could not be used (the first page is shown instead)."""
    params = _filter_params(form)
    cursor = form.cursor_value
    cursor_error = None
    for attempt in (cursor, None) if cursor else (None,):
        key = _part_key("results:v2", scope, urlencode([*params, ("cursor", attempt or "")]))
        html = cache.get(key)
        if html is not None:
            return html, cursor_error
        try:
            page = listings_for_channel(filters=filters, sort=form.sort_name, cursor=attempt)
        except InvalidCursor as error:
            cursor_error = str(error)
            continue
        # A query that finds nothing, with a word that looks mistyped: what the corrected one finds.
        corrected, corrected_page = "", None
        if not page.items and attempt is None and (corrected := search_correction(filters)):
            corrected_page = listings_for_channel(
                filters=dataclasses.replace(filters, q=corrected), sort=form.sort_name, cursor=None
            )
        # One that finds little: the correction is offered above what it found (no query: words only).
        elif attempt is None and len(page.items) < FEW_RESULTS and not page.has_next:
            corrected = search_correction(filters)
        html = render_to_string(
            "listings/_results.jinja",
            {
                "page": page,
                **_page_links(params, page),
                # What an empty page says: the filters set, or the words searched for.
                "filters_active": _filters_active(params),
                "q": dict(params).get("q", ""),
                "corrected": corrected,
                "corrected_page": corrected_page,
                "corrected_url": "?"
                + urlencode([(name, corrected if name == "q" else value) for name, value in params]),
            },
            using="jinja2",
        )
        cache.set(key, html, RESULTS_CACHE_TTL)
        return html, cursor_error
    raise AssertionError("the first page never raises InvalidCursor")


def _price_band_label(low: int | None, high: int | None) -> str:
    if low is None:
        return gettext("Under %(high)s") % {"high": money(Decimal(high or 0))}
    if high is None:
        return gettext("%(low)s and up") % {"low": money(Decimal(low))}
    return gettext("%(low)s to %(high)s") % {"low": money(Decimal(low)), "high": money(Decimal(high))}


def _channel_context(
    *, form: ChannelFilterForm, scope: str, filters: ChannelFilters, brands: list[Brand]
) -> dict:
    results, cursor_error = _results_html(scope=scope, form=form, filters=filters)
    facets = facet_counts(filters, brands=brands)
    params = _filter_params(form)
    errors = _error_messages(form)
    if cursor_error:
        errors.append(cursor_error)
    data = form.data
    return {
        "form": form,
        "errors": errors,
        "results": mark_safe(results),  # noqa: S308 - rendered by our own template above
        # Only the brands among the results, with their counts (a brand already chosen stays, to be
        # unticked).
        "brands": brands_in_results(filters, facets=facets, brands=brands),
        # (code, label, how many results that grade gives)
        "grades": [(code, label, facets.grades.get(code, 0)) for code, label in Grade.choices],
        # How many results each choice gives (each group with every other filter but its own).
        "facets": facets,
        "price_bands": [
            {
                "label": _price_band_label(low, high),
                "count": count,
                "url": "?"
                + urlencode(
                    [
                        (name, value)
                        for name, value in params
                        if name not in ("price_min", "price_max", "cursor")
                    ]
                    + ([("price_min", str(low))] if low is not None else [])
                    # a band stops short of its upper figure; the filter's maximum is inclusive
                    + ([("price_max", str(Decimal(high) - CENT))] if high is not None else [])
                ),
            }
            for low, high, count in facets.price_bands
        ],
        "selected_brands": set(data.getlist("brand")) if hasattr(data, "getlist") else set(),
        "selected_grades": set(data.getlist("grade")) if hasattr(data, "getlist") else set(),
        "sort": form.sort_name,
        "save_frequencies": SearchFrequency.choices,
        # The filter panel opens when a filter is set; the words searched for and the order are not
        # filters (on a phone an open panel pushed the first result below the screen).
        "filters_active": _filters_active(params),
    }


def _filter_panel(request: HttpRequest, context: dict, *, scope: str, show_q: bool = False) -> str:
    """The filter panel, rendered once per language, page and query string and kept as long as the
    results (its counts are kept as long): with a count beside every grade, price band and brand it
    costs more to render than the cached results beside it. Not kept when a filter could not be used,
    as the panel then says why."""
    key = None
    if not context["errors"]:
        query = urlencode(sorted(request.GET.lists()), doseq=True)
        key = _part_key("filters:v1", scope, f"{request.path}?{query}")
        html = cache.get(key)
        if html is not None:
            return html
    html = render_to_string(
        "listings/_filters.jinja", {**context, "show_q": show_q}, request=request, using="jinja2"
    )
    if key is not None:
        cache.set(key, html, RESULTS_CACHE_TTL)
    return html


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    # The sections are the same for everyone: render them once per language and keep them briefly.
    key = f"listings:home-sections:v2:{get_language()}"
    sections_html = cache.get(key)
    if sections_html is None:
        roots = category_tree().roots
        covers = category_covers(roots)
        sections_html = render_to_string(
            "listings/_home_sections.html",
            {
                # Each tile shows the newest item on sale in its category.
                "categories": [(category, covers.get(category.pk, "")) for category in roots],
                "sections": home_sections(),
            },
        )
        cache.set(key, sections_html, RESULTS_CACHE_TTL)
    return render(
        request,
        "listings/home.html",
        {"sections_html": mark_safe(sections_html)},  # noqa: S308 - rendered by our own template above
    )


@require_GET
def category(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        current = category_by_slug(slug)
    except Category.DoesNotExist:
        raise Http404(gettext("No such category.")) from None
    tree = category_tree()
    brands = brands_for_category(current)
    form = ChannelFilterForm(request.GET, brands=brands)
    form.is_valid()
    context = _channel_context(
        form=form, scope=f"category:{current.pk}", filters=form.to_filters(category=current), brands=brands
    )
    context.update(
        category=current,
        ancestors=tree.ancestors(current),
        children=tree.children(current),
        sort_choices=[choice for choice in SORT_CHOICES if choice[0] != "relevance"],
    )
    context["filter_panel"] = mark_safe(_filter_panel(request, context, scope=f"category:{current.pk}"))  # noqa: S308 - our template
    return _channel_page(request, context, title=current.label)


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    brands = brands_for_category(None)
    form = ChannelFilterForm(request.GET, brands=brands)
    form.is_valid()
    context = _channel_context(form=form, scope="search", filters=form.to_filters(), brands=brands)
    q = form.cleaned_data.get("q", "")
    context.update(q=q, sort_choices=SORT_CHOICES, category=None)
    context["filter_panel"] = mark_safe(_filter_panel(request, context, scope="search", show_q=True))  # noqa: S308 - our template
    return _channel_page(request, context, title=gettext("“%(q)s”") % {"q": q} if q else gettext("Search"))


def _channel_page(request: HttpRequest, context: dict, *, title: str) -> HttpResponse:
    """A category or search page: its content from templates/listings/_channel.jinja (one Jinja2
    render, where the Django template's nodes cost as much as the filter panel), in the site's page."""
    body = render_to_string("listings/_channel.jinja", context, request=request, using="jinja2")
    return render(request, "listings/channel.html", {"title": title, "body": mark_safe(body)})  # noqa: S308 - our template


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The listing's page. Its body is cached per language for listings anyone may see (see
    listings.page_cache); the favourite and "Buy now" buttons, the parts that depend on the viewer,
    fill slots in it on every request (the body has the buy slot only while the item is on sale)."""
    key = detail_key(pk, get_language())
    # Whoever just changed the listing sees the database, not a body cached from the read replica
    # before the change reached it; the fresh render replaces the cached one (marketplace/db_router.py).
    page = None if request_reads_primary() else cache.get(key)
    if page is None:
        try:
            listing = listing_for_detail(listing_id=pk, viewer=request.user)
        except Listing.DoesNotExist:
            raise Http404(gettext("No such listing.")) from None
        page = {
            "title": listing.title,
            "description": _meta_description(listing),
            "body": _detail_body(listing),
            "seller_id": listing.seller_id,
            "source": listing.source,
        }
        if listing.status not in HIDDEN_STATUSES:
            cache.set(key, page, DETAIL_TTL)
        is_favourite = listing.is_favourite
    else:
        is_favourite = pk in favourite_ids(user=request.user, listing_ids=[pk])
    viewer = _viewer_parts(request)
    is_seller = request.user.is_authenticated and page.get("seller_id") == request.user.pk
    slot = viewer.favourite(pk, is_favourite)
    buy = viewer.buy(pk, is_seller, _buy_note(page.get("source", ListingSource.PERSON))) + viewer.ask(
        pk, is_seller
    )
    body = page["body"].replace(FAVOURITE_SLOT, str(slot)).replace(BUY_SLOT, str(buy))
    body = mark_safe(body)  # noqa: S308 (every part is a rendered template)
    context = {
        "title": page["title"],
        "description": page.get("description", ""),
        "body": body,
        "listing_id": pk,
        # What a visitor does on the page is a signal of interest (static/js/interest.js); a seller's
        # looks at their own item are not.
        "record_interest": not is_seller,
    }
    return render(request, "listings/detail.html", context)


def _viewer_parts(request: HttpRequest) -> Any:
    """The macros of templates/listings/_detail_viewer.jinja (the favourite button, "Buy now" and
    "Ask the seller") for this request's viewer: one Jinja2 template, where three Django ones each
    ran every context processor again."""
    jinja = cast(Jinja2, engines["jinja2"])
    return jinja.env.get_template("listings/_detail_viewer.jinja").make_module(
        {"request": request, "user": request.user, "csrf_input": csrf_input_lazy(request)}
    )


def _buy_note(source: str) -> str:
    """What "Buy now" promises: the shipping (a private seller's parcel is paid by the buyer; Reloop's
    stock ships free) and how long the item is kept while the buyer pays."""
    fee = settings.PERSON_TO_PERSON_SHIPPING_FEE if source == ListingSource.PERSON else None
    shipping = gettext("Shipping %(fee)s.") % {"fee": money(fee)} if fee else gettext("Free shipping.")
    minutes = settings.RESERVATION_MINUTES
    reserved = ngettext(
        "Reserved for you for %(minutes)s minute while you pay. Your money is held until you have the item.",
        "Reserved for you for %(minutes)s minutes while you pay. Your money is held until you have the item.",
        minutes,
    ) % {"minutes": minutes}
    return f"{shipping} {reserved}"


def _meta_description(listing: Listing) -> str:
    """What a search engine shows under the title: the price and grade, then the description."""
    summary = gettext("%(price)s · grade %(grade)s (%(label)s).") % {
        "price": money(listing.price),
        "grade": listing.grade,
        "label": grade_label(listing.grade),  # a table built once; get_grade_display rebuilds it
    }
    return Truncator(f"{summary} {listing.description_text}".strip()).chars(160)


def _detail_body(listing: "WithAnnotations[Listing, DetailAnnotations]") -> str:
    """Everything on the page that is the same for every viewer (no request: nothing per-person)."""
    return render_to_string(
        "listings/_detail_body.jinja",
        {
            "listing": listing,
            "ancestors": category_tree().ancestors(listing.category),
            "similar": similar_listings(listing=listing),
            "phrases": _detail_phrases(listing),
            # The host's explanations from live shows: asked of the app that keeps them, which sits
            # above listings (listings.explanations), and kept in the cached body like the rest; the
            # clip job and the keeping job forget the cached page when they add or delete one.
            "clips": explanation_clips(listing_id=listing.pk, limit=DETAIL_CLIPS),
        },
        using="jinja2",
    )


def _detail_phrases(listing: "WithAnnotations[Listing, DetailAnnotations]") -> dict[str, str]:
    """The listing page's phrases that change with a number (plural forms, which the page's Jinja2
    template leaves to gettext here)."""
    photos = len(listing.ready_photos)
    seller = listing.seller
    on_sale = listing.seller_active_count
    return {
        "photos": ngettext("%(counter)s photo", "%(counter)s photos: swipe to see them all", photos)
        % {"counter": photos},
        "rating": ngettext(
            "%(score)s ★ (%(counter)s rating)", "%(score)s ★ (%(counter)s ratings)", seller.rating_count
        )
        % {"score": seller.rating_score, "counter": seller.rating_count},
        "on_sale": ngettext("%(counter)s item on sale", "%(counter)s items on sale", on_sale)
        % {"counter": on_sale},
    }


def _cursor_page(request: HttpRequest, load) -> tuple[Page, str | None]:
    """A page from `load(cursor=...)`, falling back to the first page when the cursor is unusable."""
    cursor = request.GET.get("cursor") or None
    try:
        return load(cursor=cursor), None
    except InvalidCursor as error:
        return load(cursor=None), str(error)


@require_GET
def storefront(request: HttpRequest, username: str) -> HttpResponse:
    try:
        seller = seller_for_storefront(username)
    except User.DoesNotExist:
        raise Http404(gettext("No such seller.")) from None
    page, cursor_error = _cursor_page(
        request, lambda cursor: listings_for_storefront(seller=seller, cursor=cursor)
    )
    return render(
        request,
        "listings/storefront.html",
        {
            "seller": seller,
            "page": page,
            "errors": [cursor_error] if cursor_error else [],
            **_page_links([], page),
        },
    )


@login_required
@require_GET
def favourites(request: AuthenticatedHttpRequest) -> HttpResponse:
    page, cursor_error = _cursor_page(
        request, lambda cursor: favourites_for_user(user=request.user, cursor=cursor)
    )
    return render(
        request,
        "listings/favourites.html",
        {
            "listings": [favourite.listing for favourite in page.items],
            "page": page,
            "errors": [cursor_error] if cursor_error else [],
            **_page_links([], page),
        },
    )


@require_POST
def favourite_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    """Save or forget a listing for the signed-in user. `action` says which ("add" or "remove"), so a
    double submit cannot undo itself; without it the current state is flipped. With htmx the answer
    is the re-rendered button, otherwise a redirect back to `next`."""
    back = safe_next_url(request, reverse("listings:detail", args=[pk]))
    if not request.user.is_authenticated:
        if _is_htmx(request):
            login = redirect_to_login(back)
            return HttpResponse(status=204, headers={"HX-Redirect": login["Location"]})
        return redirect_to_login(back)
    action = request.POST.get("action")
    if action not in ("add", "remove"):
        action = "remove" if favourite_ids(user=request.user, listing_ids=[pk]) else "add"
    if action == "add":
        try:
            favourite_add(user=request.user, listing_id=pk)
        except Listing.DoesNotExist:
            raise Http404(gettext("No such listing.")) from None
    else:
        favourite_remove(user=request.user, listing_id=pk)
    if _is_htmx(request):
        return HttpResponse(str(_viewer_parts(request).favourite_button(pk, action == "add", back)))
    return redirect(back)
