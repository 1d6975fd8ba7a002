"""The messages pages: the inbox, a conversation (its messages, a box to write, a photo, block and
report), asking a seller from the listing's page, and the photos sent in a conversation (only its two
people see them). Anyone else's conversation is a 404, as one that does not exist."""

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedHttpRequest
from listings.errors import PhotoRejected
from listings.models import Listing
from listings.photos import private_file_response, stored_name
from marketplace.contact_masking import MASKING_NOTE
from marketplace.pagination import cursor_page, page_links
from marketplace.rate_limits import PhotoUploadLimit, rate_limited_page
from messaging.errors import MessagingError
from messaging.models import Block, Conversation, Message
from messaging.selectors import inbox, messages_of
from messaging.services import (
    conversation_for,
    conversation_read,
    conversation_start,
    message_send,
    user_block,
    user_report,
    user_unblock,
)
from orders.offer_panel import offer_panel_context


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _mine(request: AuthenticatedHttpRequest, pk: int) -> Conversation:
    try:
        return conversation_for(conversation_id=pk, user=request.user)
    except Conversation.DoesNotExist:
        raise Http404(_("No such conversation.")) from None


@login_required
@require_GET
def inbox_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = cursor_page(request, lambda cursor: inbox(user=request.user, cursor=cursor))
    return render(request, "messaging/inbox.html", {"conversations": page.items, **page_links(page)})


@login_required
@require_POST
def start(request: AuthenticatedHttpRequest, listing_id: int) -> HttpResponse:
    """ "Ask the seller" on a listing: the shopper's conversation about it, new or not."""
    try:
        conversation = conversation_start(buyer=request.user, listing_id=listing_id)
    except Listing.DoesNotExist:
        raise Http404(_("No such listing.")) from None
    except MessagingError as error:
        flash.error(request, error.message)
        return redirect("listings:detail", pk=listing_id)
    return redirect("messaging:conversation", pk=conversation.pk)


def _messages_context(request: AuthenticatedHttpRequest, conversation: Conversation) -> dict:
    return {
        "conversation": conversation,
        "messages_list": messages_of(conversation),
        "me": request.user.pk,
        "masking_note": MASKING_NOTE,
    }


@login_required
@require_GET
def conversation_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    conversation = _mine(request, pk)
    conversation_read(conversation=conversation, user=request.user)
    other = conversation.seller if request.user.pk == conversation.buyer_id else conversation.buyer
    context = {
        **_messages_context(request, conversation),
        "other": other,
        "blocked_by_me": Block.objects.filter(blocker=request.user, blocked=other).exists(),
        # The thread of offers between the same two people on the same item, answered from here too.
        **offer_panel_context(
            user=request.user,
            listing=conversation.listing,
            buyer_id=conversation.buyer_id,
            next_url=reverse("messaging:conversation", args=[conversation.pk]),
        ),
    }
    return render(request, "messaging/conversation.html", context)


@login_required
@require_GET
def messages_fragment(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The conversation's messages, for htmx to swap in when one arrives (or every 10 seconds)."""
    conversation = _mine(request, pk)
    conversation_read(conversation=conversation, user=request.user)
    response = render(request, "messaging/_messages.html", _messages_context(request, conversation))
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def send(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    conversation = _mine(request, pk)
    if request.FILES:  # a photo counts against the same limit as listing and submission photos
        limit = PhotoUploadLimit()
        if not limit.allow_request(request, None):
            return rate_limited_page(request, message=str(limit.message), wait=limit.wait())
    error = ""
    try:
        message_send(
            conversation_id=pk,
            sender=request.user,
            body=request.POST.get("body", ""),
            photo=request.FILES.get("photo"),
        )
    except (MessagingError, PhotoRejected) as refused:
        error = refused.message
    if _is_htmx(request):
        context = {**_messages_context(request, conversation), "error": error}
        return render(request, "messaging/_messages.html", context, status=200)
    if error:
        flash.error(request, error)
    return redirect("messaging:conversation", pk=pk)


@login_required
@require_GET
def photo(request: AuthenticatedHttpRequest, pk: int, message_id: int) -> HttpResponseBase:
    conversation = _mine(request, pk)
    message = Message.objects.filter(pk=message_id, conversation=conversation).exclude(photo_key="").first()
    if message is None:
        raise Http404(_("No such photo."))
    return private_file_response(
        stored_name(message.photo_key), content_type="image/jpeg", cache_control="private, max-age=3600"
    )


@login_required
@require_POST
def block(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    conversation = _mine(request, pk)
    user_block(blocker=request.user, blocked_id=conversation.other(request.user.pk))
    flash.success(request, _("Blocked: neither of you can write to the other any more."))
    return redirect("messaging:conversation", pk=pk)


@login_required
@require_POST
def unblock(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    conversation = _mine(request, pk)
    user_unblock(blocker=request.user, blocked_id=conversation.other(request.user.pk))
    flash.success(request, _("Unblocked: you can write to each other again."))
    return redirect("messaging:conversation", pk=pk)


@login_required
@require_POST
def report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _mine(request, pk)
    try:
        user_report(reporter=request.user, conversation_id=pk, reason=request.POST.get("reason", ""))
    except MessagingError as error:
        flash.error(request, error.message)
    else:
        flash.success(request, _("Thank you. Our staff will read this conversation and act on it."))
    return redirect("messaging:conversation", pk=pk)
