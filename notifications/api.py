"""The notifications API: a user's notifications (text in the language asked for), the unread count,
marking read, and the per-kind choices.

Every endpoint needs a signed-in user (session or token; 401 otherwise), and reads and changes only
that user's rows: anyone else's notification answers 404 exactly as a missing one does.
"""

from collections.abc import Sequence

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.http import api_user
from marketplace.api import LocalizedAPIView
from marketplace.pagination import page_data, page_serializer
from notifications.kinds import GROUPS, KINDS
from notifications.models import Notification
from notifications.selectors import notifications_for, unread_count
from notifications.services import (
    notification_open,
    notifications_mark_all_read,
    preferences_for,
    preferences_set,
)


class NotificationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(help_text="What happened, as a code: order.shipped, sale.completed…")
    title = serializers.CharField(help_text="In the language asked for.")
    body = serializers.CharField(help_text="In the language asked for.")
    link = serializers.CharField(help_text="The page it is about: a path on this site, or empty.")
    params = serializers.DictField(help_text="The values the text was made from (amounts as strings).")
    read = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_read(self, notification: Notification) -> bool:
        return notification.read_at is not None


class CursorQuerySerializer(serializers.Serializer):
    cursor = serializers.CharField(required=False, max_length=500, help_text="A page's cursor, from `next`.")


class UnreadSerializer(serializers.Serializer):
    unread = serializers.IntegerField()


class PreferenceSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[])
    group = serializers.CharField(read_only=True)
    name = serializers.CharField(
        read_only=True, help_text="What the kind is about, in the language asked for."
    )
    in_app = serializers.BooleanField()
    email = serializers.BooleanField()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        kind_field = self.fields["kind"]
        assert isinstance(kind_field, serializers.ChoiceField)
        kind_field.choices = list(KINDS)


NotificationPageSerializer = page_serializer(NotificationSerializer, name="NotificationPage")
NOT_FOUND = OpenApiResponse(description="No such notification among yours.")


class NotificationsAPIView(LocalizedAPIView):
    permission_classes: Sequence[type[BasePermission]] = (IsAuthenticated,)


class NotificationListView(NotificationsAPIView):
    @extend_schema(
        operation_id="notifications_list",
        summary="Your notifications, newest first",
        parameters=[CursorQuerySerializer],
        responses={200: NotificationPageSerializer},
        tags=["notifications"],
    )
    def get(self, request: Request) -> Response:
        query = CursorQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        page = notifications_for(user=api_user(request), cursor=query.validated_data.get("cursor"))
        return Response(page_data(page, request=request, serializer_class=NotificationSerializer))


class UnreadCountView(NotificationsAPIView):
    @extend_schema(
        operation_id="notifications_unread",
        summary="How many of your notifications are unread",
        responses={200: UnreadSerializer},
        tags=["notifications"],
    )
    def get(self, request: Request) -> Response:
        return Response({"unread": unread_count(user=api_user(request))})


class NotificationReadView(NotificationsAPIView):
    @extend_schema(
        operation_id="notifications_read",
        summary="Mark one of your notifications read",
        request=None,
        responses={200: NotificationSerializer, 404: NOT_FOUND},
        tags=["notifications"],
    )
    def post(self, request: Request, notification_id: int) -> Response:
        try:
            notification = notification_open(notification_id=notification_id, user=api_user(request))
        except Notification.DoesNotExist:
            raise Http404 from None
        return Response(NotificationSerializer(notification).data)


class ReadAllView(NotificationsAPIView):
    @extend_schema(
        operation_id="notifications_read_all",
        summary="Mark all your notifications read",
        request=None,
        responses={200: UnreadSerializer},
        tags=["notifications"],
    )
    def post(self, request: Request) -> Response:
        notifications_mark_all_read(user=api_user(request))
        return Response({"unread": 0})


class PreferencesView(NotificationsAPIView):
    def _data(self, request: Request) -> list[dict]:
        chosen = preferences_for(api_user(request))
        return [
            {
                "kind": code,
                "group": str(GROUPS[kind.group]),
                "name": str(kind.label),
                "in_app": chosen[code][0],
                "email": chosen[code][1],
            }
            for code, kind in KINDS.items()
        ]

    @extend_schema(
        operation_id="notifications_preferences",
        summary="What you are told, per kind: in the app, by e-mail",
        responses={200: PreferenceSerializer(many=True)},
        tags=["notifications"],
    )
    def get(self, request: Request) -> Response:
        return Response(PreferenceSerializer(self._data(request), many=True).data)

    @extend_schema(
        operation_id="notifications_preferences_update",
        summary="Change what you are told, for the kinds given",
        request=PreferenceSerializer(many=True),
        responses={200: PreferenceSerializer(many=True)},
        tags=["notifications"],
    )
    def put(self, request: Request) -> Response:
        form = PreferenceSerializer(data=request.data, many=True)
        form.is_valid(raise_exception=True)
        preferences_set(
            user=api_user(request),
            chosen={row["kind"]: (row["in_app"], row["email"]) for row in form.validated_data},
        )
        return Response(PreferenceSerializer(self._data(request), many=True).data)
