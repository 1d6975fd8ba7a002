"""A listing's video, for its seller (and for staff on Reloop's stock): upload, watch the video job's
progress, remove.

The seller's edit page shows the same part (templates/listings/selling/_video_section.html); this
page is where staff, who sell under Reloop's account, reach it. Listings are looked up through
listings.selectors.listing_for_video, so someone else's listing is a 404, as a missing one is.
Writes go through listings.services.videos.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import AuthenticatedHttpRequest
from listings.errors import ListingError
from listings.forms import VideoUploadForm
from listings.models import Listing, ListingVideo
from listings.selectors import listing_for_video, listing_video_state
from listings.services import EDITABLE_STATUSES
from listings.services.videos import listing_video_remove, listing_video_upload
from listings.videos import video_upload_handlers

# How often a page asks for the video job's progress while it runs.
POLL_EVERY = "2s"


def _listing(request: AuthenticatedHttpRequest, pk: int) -> Listing:
    try:
        return listing_for_video(listing_id=pk, user=request.user)
    except Listing.DoesNotExist:
        raise Http404(_("No such listing among those you may change.")) from None


def video_context(listing: Listing, *, form: VideoUploadForm | None = None) -> dict:
    """What the video part of a page shows (one query: the listing's videos)."""
    return {
        "video": listing_video_state(listing_id=listing.pk),
        "video_form": form or VideoUploadForm(),
        "video_editable": listing.status in EDITABLE_STATUSES,
        "poll_every": POLL_EVERY,
    }


def _page(
    request: AuthenticatedHttpRequest, listing: Listing, *, form: VideoUploadForm | None = None
) -> HttpResponse:
    context = {
        "listing": listing,
        "is_seller": listing.seller_id == request.user.pk,
        **video_context(listing, form=form),
    }
    return render(request, "listings/selling/listing_video.html", context, status=400 if form else 200)


@login_required
@require_GET
def video_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _page(request, _listing(request, pk))


@login_required
@require_GET
def video_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The part that shows the video job's progress, which asks for itself again until it is over."""
    listing = _listing(request, pk)
    return render(
        request,
        "listings/selling/_video_status.html",
        {"listing": listing, "video": listing_video_state(listing_id=listing.pk), "poll_every": POLL_EVERY},
    )


# The CSRF check runs in _upload, once the request carries a video's upload limit rather than a
# photo's: it is the first to read the body.
@csrf_exempt
@login_required
@require_POST
def video_upload(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    listing = _listing(request, pk)  # before the body is read: someone else's listing gets none of it
    request.upload_handlers = video_upload_handlers(request)
    return _upload(request, listing)


@csrf_protect
def _upload(request: AuthenticatedHttpRequest, listing: Listing) -> HttpResponse:
    form = VideoUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            listing_video_upload(listing_id=listing.pk, by=request.user, upload=form.cleaned_data["video"])
        except Listing.DoesNotExist as error:
            raise Http404 from error
        except ListingError as error:
            form.add_error("video" if error.field == "video" else None, error.message)
        else:
            messages.success(
                request, _("Your video is uploaded; it appears on the listing once it is ready.")
            )
            return _back(request, listing)
    return _page(request, listing, form=form)


@login_required
@require_http_methods(["POST"])
def video_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    listing = _listing(request, pk)
    try:
        listing_video_remove(listing_id=listing.pk, by=request.user)
    except Listing.DoesNotExist as error:
        raise Http404 from error
    except ListingVideo.DoesNotExist:
        messages.info(request, _("This listing has no video."))
    except ListingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The video is removed."))
    return _back(request, listing)


def _back(request: AuthenticatedHttpRequest, listing: Listing) -> HttpResponse:
    """The seller goes back to their edit page; staff to this page."""
    if listing.seller_id == request.user.pk:
        return redirect("selling:listing_edit", pk=listing.pk)
    return redirect("selling:listing_video", pk=listing.pk)
