"""The for-you feed through the API: the next items with why, the personalisation switch, and the
shopper's own history, which they can read and clear. Every endpoint needs a signed-in user."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.http import api_user
from feed import selectors
from feed.ranking import feed_next
from feed.recording import history_clear, personalisation_set
from listings.models import thumbnail_url
from marketplace.api import MONEY, LocalizedAPIView

COVER_WIDTH = 480


class FeedItemSerializer(serializers.Serializer):
    listing = serializers.IntegerField(source="listing.pk")
    title = serializers.CharField(source="listing.title")
    price = serializers.DecimalField(source="listing.price", **MONEY)
    grade = serializers.CharField(source="listing.grade")
    photo = serializers.SerializerMethodField()
    video = serializers.SerializerMethodField(help_text="The item's video (MP4), null without one.")
    why = serializers.CharField(help_text="Why it is shown, in the reader's language.")
    reason = serializers.CharField(
        help_text="The reason's code: because.<kind>, brand, category, new_in, price_dropped or popular."
    )
    reason_params = serializers.DictField(source="params", child=serializers.CharField())

    def get_photo(self, item) -> str | None:
        key = item.listing.cover_key
        return thumbnail_url(key, COVER_WIDTH) if key else None

    def get_video(self, item) -> str | None:
        return item.listing.video_url or None


class FeedSerializer(serializers.Serializer):
    personalised = serializers.BooleanField()
    items = FeedItemSerializer(many=True)


class SettingsSerializer(serializers.Serializer):
    personalised = serializers.BooleanField()


class SignalSerializer(serializers.Serializer):
    listing = serializers.IntegerField(source="listing_id")
    title = serializers.CharField(source="listing.title")
    kind = serializers.CharField()
    at = serializers.DateTimeField()


class FeedView(LocalizedAPIView):
    permission_classes = (IsAuthenticated,)

    @extend_schema(
        operation_id="feed_next",
        summary="The next items of your feed, each with why",
        description="Never an item already given, until `again=1` starts over; never a sold, reserved or own item.",
        responses={200: FeedSerializer},
        tags=["feed"],
    )
    def get(self, request: Request) -> Response:
        user = api_user(request)
        personalised = selectors.is_personalised(user=user)
        items = feed_next(
            shown_key=f"feed:shown:user:{user.pk}",
            again=bool(request.query_params.get("again")),
            user_id=user.pk,
            personalised=personalised,
        )
        return Response(FeedSerializer({"personalised": personalised, "items": items}).data)


class FeedSettingsView(LocalizedAPIView):
    permission_classes = (IsAuthenticated,)

    @extend_schema(
        operation_id="feed_settings",
        summary="Whether your feed is personalised",
        responses={200: SettingsSerializer},
        tags=["feed"],
    )
    def get(self, request: Request) -> Response:
        return Response({"personalised": selectors.is_personalised(user=api_user(request))})

    @extend_schema(
        operation_id="feed_settings_set",
        summary="Turn personalisation on or off (kept with your account)",
        request=SettingsSerializer,
        responses={200: SettingsSerializer},
        tags=["feed"],
    )
    def put(self, request: Request) -> Response:
        form = SettingsSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        personalisation_set(user=api_user(request), on=form.validated_data["personalised"])
        return Response(form.validated_data)


class HistoryView(LocalizedAPIView):
    permission_classes = (IsAuthenticated,)

    @extend_schema(
        operation_id="feed_history",
        summary="Your signals of interest, newest first (the latest 100)",
        responses={200: SignalSerializer(many=True)},
        tags=["feed"],
    )
    def get(self, request: Request) -> Response:
        return Response(SignalSerializer(selectors.history_of(user=api_user(request)), many=True).data)

    @extend_schema(
        operation_id="feed_history_clear",
        summary="Clear your history: the feed starts afresh",
        request=None,
        responses={204: None},
        tags=["feed"],
    )
    def delete(self, request: Request) -> Response:
        history_clear(user=api_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)
