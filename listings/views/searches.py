"""Saved searches: keeping the search on screen (its words, filters and category) and choosing how
often to hear of new items for it; the list of one's saved searches, where each can be opened,
changed or removed. Another user's saved search is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedHttpRequest
from listings.errors import ListingError
from listings.filters import ChannelFilterForm
from listings.models import Category, SavedSearch, SearchFrequency
from listings.selectors import saved_searches_for
from listings.services import saved_search_add, saved_search_remove, saved_search_update
from marketplace.redirects import safe_next_url
from marketplace.templatetags.money import money


@login_required
@require_POST
def search_save(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Save the search the page shows: the form carries its query string, category and frequency."""
    back = safe_next_url(request, reverse("listings:search"))
    category = None
    if request.POST.get("category"):
        category = Category.objects.filter(slug=request.POST["category"]).first()
        if category is None:
            raise Http404(gettext("No such category."))
    try:
        saved_search_add(
            user=request.user,
            query=request.POST.get("query", "")[:1000],
            category=category,
            frequency=request.POST.get("frequency"),
        )
    except ListingError as error:
        messages.error(request, error.message)
        return redirect(back)
    messages.success(request, gettext("Search saved. We will tell you of new items that match it."))
    return redirect(back)


def _describe(search: SavedSearch) -> dict:
    form = ChannelFilterForm(QueryDict(search.query))
    form.is_valid()
    data = form.cleaned_data
    filters = []
    if data.get("brand"):
        filters.append(", ".join(data["brand"]))
    if data.get("grade"):
        filters.append(gettext("grade %(grades)s") % {"grades": ", ".join(data["grade"])})
    low, high = data.get("price_min"), data.get("price_max")
    if low is not None and high is not None:
        filters.append(gettext("%(low)s to %(high)s") % {"low": money(low), "high": money(high)})
    elif low is not None:
        filters.append(gettext("from %(low)s") % {"low": money(low)})
    elif high is not None:
        filters.append(gettext("up to %(high)s") % {"high": money(high)})
    if data.get("inspected"):
        filters.append(gettext("Platform inspected"))
    if data.get("authenticated"):
        filters.append(gettext("Authenticated"))
    path = (
        reverse("listings:category", args=[search.category.slug])
        if search.category is not None
        else reverse("listings:search")
    )
    return {
        "search": search,
        "words": data.get("q", ""),
        "filters": filters,
        "url": f"{path}?{search.query}" if search.query else path,
    }


@login_required
@require_GET
def saved_searches(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows = [_describe(search) for search in saved_searches_for(request.user)]
    return render(
        request, "listings/saved_searches.html", {"rows": rows, "frequencies": SearchFrequency.choices}
    )


@login_required
@require_POST
def saved_search_change(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    try:
        if request.POST.get("action") == "remove":
            saved_search_remove(user=request.user, search_id=pk)
            messages.success(request, gettext("Saved search removed."))
        else:
            saved_search_update(user=request.user, search_id=pk, frequency=request.POST.get("frequency"))
            messages.success(request, gettext("Saved."))
    except SavedSearch.DoesNotExist:
        raise Http404(gettext("No such saved search.")) from None
    except ListingError as error:
        messages.error(request, error.message)
    return redirect("listings:saved_searches")
