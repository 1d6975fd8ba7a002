"""Operations reading conversations: only those a report or a dispute on their order opened to staff,
and every opening is logged (messaging.StaffRead) with why. Everyone else gets 403 (the staff group is
checked), and a conversation with neither a report nor a dispute is a 404 to staff too."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.http import AuthenticatedHttpRequest
from accounts.roles import OPERATIONS, require_platform_role
from marketplace.contact_masking import MASKING_NOTE
from messaging.models import Conversation
from messaging.selectors import conversations_for_staff, messages_of
from messaging.services import staff_conversation_open


@login_required
@require_GET
def staff_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_platform_role(request.user, OPERATIONS)
    return render(request, "messaging/staff_list.html", {"conversations": conversations_for_staff()})


@login_required
@require_GET
def staff_conversation(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_platform_role(request.user, OPERATIONS)
    try:
        conversation, because = staff_conversation_open(staff=request.user, conversation_id=pk)
    except Conversation.DoesNotExist:
        raise Http404(_("No such conversation, or none that a report or a dispute opens to staff.")) from None
    return render(
        request,
        "messaging/staff_conversation.html",
        {
            "conversation": conversation,
            "because": (
                _("the dispute on order %(number)s") % {"number": because.partition(":")[2]}
                if because.startswith("dispute:")
                else _("a report")
            ),
            "reports": conversation.reports.select_related("reporter").order_by("created_at"),
            "messages_list": messages_of(conversation),
            "me": None,
            "masking_note": MASKING_NOTE,
        },
    )
