"""A seller's pages: their listings, listing something new, editing, photos, withdrawing.

Every page looks listings up among the signed-in user's own, so that someone else's listing is a 404
(the same answer as one that does not exist). Writes go through listings.services.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.email_confirmation import email_confirmed_required
from accounts.http import AuthenticatedHttpRequest
from listings import services
from listings.errors import ListingError, PhotoRejected
from listings.forms import ListingCreateForm, ListingForm, PhotoAddForm
from listings.models import Listing, ListingPhoto, ListingStatus, PhotoStatus, thumbnail_url
from listings.selectors import listing_for_owner, listings_for_owner
from listings.views.videos import video_context
from marketplace.errors import DomainError
from marketplace.keyset import InvalidCursor
from marketplace.rate_limits import PhotoUploadLimit, page_rate_limit

PAGE_SIZE = 20
THUMBNAIL_WIDTH = 240

# Which form field a service error belongs under; anything else is shown above the form.
ERROR_FIELDS = {
    "title_required": "title",
    "title_too_long": "title",
    "description_too_long": "description",
    "category_required": "category",
    "category_not_leaf": "category",
    "catalog_model_brand_mismatch": "catalog_model",
    "catalog_model_category_mismatch": "catalog_model",
    "grade_required": "grade",
    "offer_floor_above_price": "offer_floor",
    "too_many_photos": "photos",
}


def _add_service_error(form, error: DomainError) -> None:
    field = ERROR_FIELDS.get(error.code)
    if isinstance(error, PhotoRejected):
        field = "photos"
    if field not in form.fields:
        field = None
    form.add_error(field, error.message)


def _own_listing(request: AuthenticatedHttpRequest, pk: int) -> Listing:
    try:
        return listing_for_owner(listing_id=pk, seller=request.user)
    except Listing.DoesNotExist:
        raise Http404 from None


def _can_withdraw(listing: Listing) -> bool:
    return ListingStatus.WITHDRAWN in services.ALLOWED[ListingStatus(listing.status)]


@login_required
def listing_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    try:
        page = listings_for_owner(seller=request.user, cursor=request.GET.get("cursor"), size=PAGE_SIZE)
    except InvalidCursor as error:
        messages.info(request, error.message)
        page = listings_for_owner(seller=request.user, cursor=None, size=PAGE_SIZE)
    rows = [
        {
            "listing": listing,
            "cover_url": thumbnail_url(listing.cover_key, THUMBNAIL_WIDTH) if listing.cover_key else "",
            "editable": listing.status in services.EDITABLE_STATUSES,
            "can_withdraw": _can_withdraw(listing),
        }
        for listing in page.items
    ]
    return render(
        request,
        "listings/selling/listing_list.html",
        {
            "rows": rows,
            "next_url": f"?cursor={page.next_cursor}" if page.next_cursor else "",
            "previous_url": f"?cursor={page.previous_cursor}" if page.previous_cursor else "",
        },
    )


@email_confirmed_required
@require_http_methods(["GET", "POST"])
@page_rate_limit(PhotoUploadLimit)
def listing_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ListingCreateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            listing = services.listing_create(
                seller=request.user, **form.details(), uploads=form.cleaned_data["photos"]
            )
        except (ListingError, PhotoRejected) as error:
            _add_service_error(form, error)
        else:
            messages.success(request, _("Your listing “%(title)s” is on sale.") % {"title": listing.title})
            return redirect("selling:listing_edit", pk=listing.pk)
    return render(request, "listings/selling/listing_create.html", {"form": form})


def _edit_page(
    request: HttpRequest,
    listing: Listing,
    *,
    form: ListingForm | None = None,
    photo_form: PhotoAddForm | None = None,
) -> HttpResponse:
    photos = list(listing.photos.all())
    if form is None:
        form = ListingForm(
            initial={name: getattr(listing, name) for name in ListingForm.base_fields},
        )
    if photo_form is None:
        photo_form = PhotoAddForm(existing_photos=len(photos))
    return render(
        request,
        "listings/selling/listing_edit.html",
        {
            "listing": listing,
            "form": form,
            "photo_form": photo_form,
            "photos": [
                {
                    "photo": photo,
                    "url": photo.thumbnail_url(THUMBNAIL_WIDTH) if photo.status == PhotoStatus.READY else "",
                }
                for photo in photos
            ],
            "editable": listing.status in services.EDITABLE_STATUSES,
            "room_for_photos": len(photos) < settings.LISTING_PHOTO_MAX_COUNT,
            "can_withdraw": _can_withdraw(listing),
            **video_context(listing),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def listing_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    listing = _own_listing(request, pk)
    if request.method != "POST":
        return _edit_page(request, listing)
    form = ListingForm(request.POST)
    if form.is_valid():
        try:
            services.listing_update(listing_id=listing.pk, seller=request.user, **form.details())
        except Listing.DoesNotExist as error:
            raise Http404 from error
        except ListingError as error:
            _add_service_error(form, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("selling:listing_edit", pk=listing.pk)
    return _edit_page(request, listing, form=form)


@login_required
@require_POST
@page_rate_limit(PhotoUploadLimit)
def photo_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    listing = _own_listing(request, pk)
    photo_form = PhotoAddForm(request.POST, request.FILES, existing_photos=len(listing.photos.all()))
    if photo_form.is_valid():
        try:
            added = services.listing_photos_add(
                listing_id=listing.pk, seller=request.user, uploads=photo_form.cleaned_data["photos"]
            )
        except Listing.DoesNotExist as error:
            raise Http404 from error
        except (ListingError, PhotoRejected) as error:
            _add_service_error(photo_form, error)
        else:
            messages.success(
                request,
                _("%(count)s photo(s) added; they appear once they are ready.") % {"count": len(added)},
            )
            return redirect("selling:listing_edit", pk=listing.pk)
    return _edit_page(request, listing, photo_form=photo_form)


@login_required
@require_POST
def photo_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    try:
        listing_id = ListingPhoto.objects.values_list("listing_id", flat=True).get(
            pk=pk, listing__seller=request.user
        )
        services.listing_photo_remove(photo_id=pk, seller=request.user)
    except ListingPhoto.DoesNotExist as error:
        raise Http404 from error
    except ListingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The photo is removed."))
    return redirect("selling:listing_edit", pk=listing_id)


@login_required
@require_http_methods(["GET", "POST"])
def listing_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    listing = _own_listing(request, pk)
    if request.method == "POST":
        try:
            services.listing_withdraw(listing_id=listing.pk, seller=request.user)
        except Listing.DoesNotExist as error:
            raise Http404 from error
        except DomainError:  # InvalidTransition: reserved, sold or already withdrawn
            messages.error(
                request,
                _("“%(title)s” is %(status)s and cannot be withdrawn.")
                % {"title": listing.title, "status": listing.get_status_display().lower()},
            )
        else:
            messages.success(request, _("“%(title)s” is no longer on sale.") % {"title": listing.title})
        return redirect("selling:listing_list")
    return render(
        request,
        "listings/selling/listing_withdraw.html",
        {"listing": listing, "can_withdraw": _can_withdraw(listing)},
    )
