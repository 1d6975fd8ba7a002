"""The messages API: a user's conversations, asking a seller, a conversation's messages, writing (text,
and a photo as multipart), and marking a conversation read.

Every endpoint needs a signed-in user (session or token; 401 otherwise). Anyone else's conversation
answers 404 exactly as a missing one does. Bad input answers 400 with `code` and `detail`.
"""

from collections.abc import Sequence

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.http import api_user
from listings.models import Listing
from marketplace.api import LocalizedAPIView
from marketplace.pagination import page_data, page_serializer
from messaging.models import Conversation, Message
from messaging.selectors import inbox, messages_of
from messaging.services import conversation_for, conversation_read, conversation_start, message_send


class ConversationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    listing = serializers.IntegerField(source="listing_id")
    title = serializers.CharField(source="listing.title")
    buyer = serializers.CharField(source="buyer.public_name")
    seller = serializers.CharField(source="seller.public_name")
    order = serializers.SerializerMethodField()
    unread = serializers.IntegerField(
        required=False, help_text="Messages from the other person not yet read."
    )
    last_message_at = serializers.DateTimeField()

    def get_order(self, conversation: Conversation) -> str | None:
        return conversation.order.number if conversation.order_id and conversation.order else None


class MessageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    mine = serializers.SerializerMethodField()
    body = serializers.CharField(help_text="As written, with contact details hidden.")
    masked = serializers.ListField(child=serializers.CharField(), help_text="What was hidden: phone, email…")
    photo = serializers.SerializerMethodField(
        help_text="The photo's address (only the two people may open it)."
    )
    created_at = serializers.DateTimeField()

    def get_mine(self, message: Message) -> bool:
        return message.sender_id == self.context["user_id"]

    def get_photo(self, message: Message) -> str | None:
        if not message.photo_key:
            return None
        return f"/messages/{message.conversation_id}/photos/{message.pk}/"


class StartSerializer(serializers.Serializer):
    listing = serializers.IntegerField(help_text="The listing to ask its seller about.")


class SendSerializer(serializers.Serializer):
    body = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    photo = serializers.ImageField(required=False, help_text="A JPEG, PNG or WebP photo (multipart).")


ConversationPageSerializer = page_serializer(ConversationSerializer, name="ConversationPage")
NOT_FOUND = OpenApiResponse(description="No such conversation among yours.")


class MessagingAPIView(LocalizedAPIView):
    permission_classes: Sequence[type[BasePermission]] = (IsAuthenticated,)


def _mine(request: Request, conversation_id: int) -> Conversation:
    try:
        return conversation_for(conversation_id=conversation_id, user=api_user(request))
    except Conversation.DoesNotExist:
        raise Http404 from None


class ConversationListView(MessagingAPIView):
    @extend_schema(
        operation_id="conversations_list",
        summary="Your conversations, newest message first",
        responses={200: ConversationPageSerializer},
        tags=["messages"],
    )
    def get(self, request: Request) -> Response:
        page = inbox(user=api_user(request), cursor=request.query_params.get("cursor"))
        return Response(page_data(page, request=request, serializer_class=ConversationSerializer))

    @extend_schema(
        operation_id="conversations_start",
        summary="Ask a listing's seller: your conversation about it (new, or the one you have)",
        request=StartSerializer,
        responses={201: ConversationSerializer, 200: ConversationSerializer, 404: OpenApiResponse()},
        tags=["messages"],
    )
    def post(self, request: Request) -> Response:
        form = StartSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        user = api_user(request)
        existed = Conversation.objects.filter(listing_id=form.validated_data["listing"], buyer=user).exists()
        try:
            conversation = conversation_start(buyer=user, listing_id=form.validated_data["listing"])
        except Listing.DoesNotExist:
            raise Http404 from None
        return Response(
            ConversationSerializer(conversation).data,
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )


class MessageListView(MessagingAPIView):
    parser_classes = (JSONParser, MultiPartParser, FormParser)

    @extend_schema(
        operation_id="conversation_messages",
        summary="A conversation's last 50 messages, oldest first; marks it read",
        responses={200: MessageSerializer(many=True), 404: NOT_FOUND},
        tags=["messages"],
    )
    def get(self, request: Request, conversation_id: int) -> Response:
        conversation = _mine(request, conversation_id)
        conversation_read(conversation=conversation, user=api_user(request))
        context = {"user_id": api_user(request).pk}
        return Response(MessageSerializer(messages_of(conversation), many=True, context=context).data)

    @extend_schema(
        operation_id="conversation_send",
        summary="Write in a conversation: text, a photo (multipart), or both",
        request={"application/json": SendSerializer, "multipart/form-data": SendSerializer},
        responses={201: MessageSerializer, 400: OpenApiResponse(), 404: NOT_FOUND},
        tags=["messages"],
    )
    def post(self, request: Request, conversation_id: int) -> Response:
        _mine(request, conversation_id)
        body = request.data.get("body", "") if not isinstance(request.data, list) else ""
        message = message_send(
            conversation_id=conversation_id,
            sender=api_user(request),
            body=body,
            photo=request.FILES.get("photo"),
        )
        context = {"user_id": api_user(request).pk}
        return Response(MessageSerializer(message, context=context).data, status=status.HTTP_201_CREATED)
