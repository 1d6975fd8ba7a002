"""Live shows through the API: the shows coming and live, a show with its line-up, pin and flash
sale; scheduling and driving a show (its host), RSVPs, grabbing a flash sale and its wait-list, the
chat and its moderation, and the explanation clips cut after a show. A refusal answers with its
`code` (400, or 403/404/409/429 as the error says); an unknown show, flash sale or message is a
404."""

from django.conf import settings
from django.http import Http404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import BasePermission, IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.http import api_user
from listings.api.serializers import ErrorSerializer
from live import selectors
from live.models import ChatMessage, FlashSale, Show
from live.services import chat, flash, room, shows
from marketplace.api import MONEY, LocalizedAPIView

NOT_FOUND = {"description": "No such show."}
REFUSED = {400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer, 409: ErrorSerializer}


def _cover(show: Show) -> str | None:
    return show.cover_url(COVER_WIDTH) or None


# The cover's thumbnail the API gives (one of LISTING_THUMBNAIL_WIDTHS).
COVER_WIDTH = 480


class ShowCardSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    cover = serializers.SerializerMethodField(help_text="The cover photo's URL; null without one.")
    host = serializers.CharField(source="host.public_name")
    status = serializers.CharField()
    starts_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    platform = serializers.BooleanField(help_text="Reloop's own show, selling its stock.")
    lineup_size = serializers.IntegerField()

    def get_cover(self, show: Show) -> str | None:
        return _cover(show)


class LineupItemSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    listing = serializers.IntegerField(source="listing_id")
    title = serializers.CharField(source="listing.title")
    price = serializers.DecimalField(source="listing.price", **MONEY)
    grade = serializers.CharField(source="listing.grade")
    status = serializers.CharField(source="listing.status")
    report_code = serializers.CharField(source="listing.report_code")


class PinSerializer(serializers.Serializer):
    listing = serializers.IntegerField(source="listing_id")
    pinned_at = serializers.DateTimeField()


class FlashSaleSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    listing = serializers.IntegerField(source="listing_id")
    price = serializers.DecimalField(**MONEY)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    status = serializers.CharField()


class ShowSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="show.id")
    title = serializers.CharField(source="show.title")
    cover = serializers.SerializerMethodField(help_text="The cover photo's URL; null without one.")
    host = serializers.CharField(source="show.host.public_name")
    status = serializers.CharField(source="show.status")
    starts_at = serializers.DateTimeField(source="show.starts_at")
    started_at = serializers.DateTimeField(source="show.started_at", allow_null=True)
    ended_at = serializers.DateTimeField(source="show.ended_at", allow_null=True)
    platform = serializers.BooleanField(source="show.platform")
    playback_url = serializers.CharField(source="show.playback_url")
    currency = serializers.SerializerMethodField()
    lineup = LineupItemSerializer(source="items", many=True)
    pinned = PinSerializer(source="pin", allow_null=True)
    flash_sale = FlashSaleSerializer(allow_null=True)
    rsvped = serializers.BooleanField(help_text="Whether you asked to be told when it starts.")
    rtmp_url = serializers.SerializerMethodField(help_text="Where the host's encoder sends the stream.")
    stream_key = serializers.SerializerMethodField(
        help_text="The encoder's stream key, with the secret ingest key: given to the host alone, null for anyone else."
    )

    def get_cover(self, page: selectors.ShowPage) -> str | None:
        return _cover(page.show)

    def get_currency(self, page: selectors.ShowPage) -> str:
        return settings.CURRENCY

    def get_rtmp_url(self, page: selectors.ShowPage) -> str:
        return settings.LIVE_RTMP_URL

    def get_stream_key(self, page: selectors.ShowPage) -> str | None:
        return page.show.stream_key if page.is_host else None


class ScheduleSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=500, allow_blank=True)
    starts_at = serializers.DateTimeField()
    listings = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), max_length=500
    )


class LineupSerializer(serializers.Serializer):
    listings = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), max_length=500
    )


class PinRequestSerializer(serializers.Serializer):
    listing = serializers.IntegerField(min_value=1, max_value=2**63 - 1)


class FlashStartSerializer(serializers.Serializer):
    seconds = serializers.IntegerField(min_value=-(2**31), max_value=2**31)
    price = serializers.CharField(max_length=40)


class GrabSerializer(serializers.Serializer):
    order = serializers.CharField(source="number", help_text="The order to pay, as with buy now.")
    price = serializers.DecimalField(**MONEY)
    reserved_until = serializers.DateTimeField()


class ChatMessageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    author = serializers.CharField(source="author.public_name")
    text = serializers.CharField()
    at = serializers.DateTimeField()


class ChatPostSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=10_000, allow_blank=True, trim_whitespace=False)


class UserRequestSerializer(serializers.Serializer):
    user = serializers.IntegerField(min_value=1, max_value=2**63 - 1)


class ShowAPIView(LocalizedAPIView):
    permission_classes: tuple[type[BasePermission], ...] = (IsAuthenticated,)
    error_fields = {"listing_ids": "listings", "listing_id": "listing"}

    def render_show(self, request: Request, show_id: int, *, code: int = status.HTTP_200_OK) -> Response:
        try:
            page = selectors.show_for_page(show_id=show_id, viewer=request.user)
        except Show.DoesNotExist as error:
            raise Http404 from error
        return Response(ShowSerializer(page).data, status=code)


def _show_or_404(show_id: int) -> None:
    if not Show.objects.filter(pk=show_id).exists():
        raise Http404


class ShowsView(ShowAPIView):
    permission_classes = (IsAuthenticatedOrReadOnly,)

    @extend_schema(
        operation_id="shows_list",
        summary="Shows live now and coming",
        description="Live shows first, then scheduled ones, soonest first; at most 50.",
        responses={200: ShowCardSerializer(many=True)},
        tags=["live"],
    )
    def get(self, request: Request) -> Response:
        return Response(ShowCardSerializer(selectors.shows_upcoming(), many=True).data)

    @extend_schema(
        operation_id="shows_schedule",
        summary="Schedule a show (hosts)",
        description="Staff host Reloop's stock; sellers the platform allows host their own listings on sale.",
        request=ScheduleSerializer,
        responses={201: ShowSerializer, **REFUSED},
        tags=["live"],
    )
    def post(self, request: Request) -> Response:
        form = ScheduleSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        show = shows.show_schedule(
            host=api_user(request),
            title=form.validated_data["title"],
            starts_at=form.validated_data["starts_at"],
            listing_ids=form.validated_data["listings"],
        )
        return self.render_show(request, show.pk, code=status.HTTP_201_CREATED)


class ShowView(ShowAPIView):
    permission_classes = (IsAuthenticatedOrReadOnly,)

    @extend_schema(
        operation_id="shows_detail",
        summary="A show: its line-up, the pinned item and the flash sale",
        responses={200: ShowSerializer, 404: NOT_FOUND},
        tags=["live"],
    )
    def get(self, request: Request, show_id: int) -> Response:
        return self.render_show(request, show_id)


class LineupView(ShowAPIView):
    @extend_schema(
        operation_id="shows_lineup",
        summary="Replace the line-up (the host)",
        request=LineupSerializer,
        responses={200: ShowSerializer, **REFUSED},
        tags=["live"],
    )
    def put(self, request: Request, show_id: int) -> Response:
        form = LineupSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        _show_or_404(show_id)
        shows.show_lineup_set(
            show_id=show_id, by=api_user(request), listing_ids=form.validated_data["listings"]
        )
        return self.render_show(request, show_id)


def _host_action(name: str, summary: str, service):
    class HostActionView(ShowAPIView):
        @extend_schema(
            operation_id=f"shows_{name}",
            summary=summary,
            request=None,
            responses={200: ShowSerializer, **REFUSED},
            tags=["live"],
        )
        def post(self, request: Request, show_id: int) -> Response:
            _show_or_404(show_id)
            service(show_id=show_id, by=api_user(request))
            return self.render_show(request, show_id)

    HostActionView.__name__ = f"Show{name.title()}View"
    return HostActionView


StartView = _host_action("start", "Go live (the host): shoppers who asked are told", shows.show_start)
EndView = _host_action("end", "End the show (the host)", shows.show_end)
CancelView = _host_action("cancel", "Call off a show that has not started (the host)", shows.show_cancel)


class RsvpView(ShowAPIView):
    @extend_schema(
        operation_id="shows_rsvp",
        summary="Ask to be told when the show starts",
        request=None,
        responses={200: ShowSerializer, **REFUSED},
        tags=["live"],
    )
    def post(self, request: Request, show_id: int) -> Response:
        shows.show_rsvp(show_id=show_id, user=api_user(request))
        return self.render_show(request, show_id)

    @extend_schema(
        operation_id="shows_rsvp_cancel",
        summary="No longer be told",
        request=None,
        responses={200: ShowSerializer, **REFUSED},
        tags=["live"],
    )
    def delete(self, request: Request, show_id: int) -> Response:
        shows.show_rsvp_cancel(show_id=show_id, user=api_user(request))
        return self.render_show(request, show_id)


class PinView(ShowAPIView):
    @extend_schema(
        operation_id="shows_pin",
        summary="Pin an item of the line-up (the host)",
        request=PinRequestSerializer,
        responses={200: ShowSerializer, **REFUSED},
        tags=["live"],
    )
    def post(self, request: Request, show_id: int) -> Response:
        form = PinRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        _show_or_404(show_id)
        room.show_pin(show_id=show_id, by=api_user(request), listing_id=form.validated_data["listing"])
        return self.render_show(request, show_id)

    @extend_schema(
        operation_id="shows_unpin",
        summary="Take the pinned item down (the host)",
        request=None,
        responses={200: ShowSerializer, **REFUSED},
        tags=["live"],
    )
    def delete(self, request: Request, show_id: int) -> Response:
        _show_or_404(show_id)
        room.show_unpin(show_id=show_id, by=api_user(request))
        return self.render_show(request, show_id)


class FlashSalesView(ShowAPIView):
    @extend_schema(
        operation_id="shows_flash_sale_start",
        summary="Start a flash sale on the pinned item (the host)",
        description="A countdown of 10 to 300 seconds, at a price no higher than the item's lowest in the last 30 days.",
        request=FlashStartSerializer,
        responses={201: ShowSerializer, **REFUSED},
        tags=["live"],
    )
    def post(self, request: Request, show_id: int) -> Response:
        form = FlashStartSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        _show_or_404(show_id)
        flash.flash_sale_start(
            show_id=show_id,
            by=api_user(request),
            seconds=form.validated_data["seconds"],
            price=form.validated_data["price"],
        )
        return self.render_show(request, show_id, code=status.HTTP_201_CREATED)


class GrabView(LocalizedAPIView):
    permission_classes = (IsAuthenticated,)

    @extend_schema(
        operation_id="flash_sales_grab",
        summary="Grab the flash sale's item",
        description="The first grab reserves the item at the flash price: pay the order as with buy now. "
        "Later grabs answer 409 `gone`, and may join the wait-list.",
        request=None,
        responses={201: GrabSerializer, 429: ErrorSerializer, **REFUSED},
        tags=["live"],
    )
    def post(self, request: Request, flash_sale_id: int) -> Response:
        order = flash.flash_grab(flash_sale_id=flash_sale_id, buyer=api_user(request))
        return Response(GrabSerializer(order).data, status=status.HTTP_201_CREATED)


class WaitlistView(LocalizedAPIView):
    permission_classes = (IsAuthenticated,)

    @extend_schema(
        operation_id="flash_sales_waitlist_join",
        summary="Wait in line for a flash sale's item",
        description="If whoever holds it does not pay, it is reserved for the next in line at the flash price.",
        request=None,
        responses={201: inline_serializer("WaitlistPlace", {"place": serializers.IntegerField()}), **REFUSED},
        tags=["live"],
    )
    def post(self, request: Request, flash_sale_id: int) -> Response:
        entry = flash.flash_waitlist_join(flash_sale_id=flash_sale_id, user=api_user(request))
        place = (
            FlashSale.objects.get(pk=flash_sale_id)
            .waitlist.filter(offered_at__isnull=True, skipped="", id__lte=entry.pk)
            .count()
        )
        return Response({"place": place}, status=status.HTTP_201_CREATED)


class ChatView(ShowAPIView):
    permission_classes = (IsAuthenticatedOrReadOnly,)

    @extend_schema(
        operation_id="shows_chat",
        summary="The chat's latest messages, oldest first",
        responses={200: ChatMessageSerializer(many=True), 404: NOT_FOUND},
        tags=["live"],
    )
    def get(self, request: Request, show_id: int) -> Response:
        _show_or_404(show_id)
        return Response(ChatMessageSerializer(chat.chat_history(show_id=show_id), many=True).data)

    @extend_schema(
        operation_id="shows_chat_post",
        summary="Write in the chat",
        description="Contact details are hidden. At most LIVE_CHAT_BURST messages in LIVE_CHAT_BURST_SECONDS (429).",
        request=ChatPostSerializer,
        responses={201: ChatMessageSerializer, 429: ErrorSerializer, **REFUSED},
        tags=["live"],
    )
    def post(self, request: Request, show_id: int) -> Response:
        form = ChatPostSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        message = chat.chat_post(show_id=show_id, author=api_user(request), text=form.validated_data["text"])
        return Response(ChatMessageSerializer(message).data, status=status.HTTP_201_CREATED)


class ChatMessageView(LocalizedAPIView):
    permission_classes = (IsAuthenticated,)

    @extend_schema(
        operation_id="chat_remove",
        summary="Remove a message (the host or a moderator)",
        request=None,
        responses={204: None, **REFUSED},
        tags=["live"],
    )
    def delete(self, request: Request, message_id: int) -> Response:
        if not ChatMessage.objects.filter(pk=message_id).exists():
            raise Http404
        chat.chat_remove(message_id=message_id, by=api_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


def _people_view(name: str, add, remove):
    class PeopleView(LocalizedAPIView):
        permission_classes = (IsAuthenticated,)

        @extend_schema(
            operation_id=f"shows_{name}_add",
            summary=f"Add to the show's {name}",
            request=UserRequestSerializer,
            responses={204: None, **REFUSED},
            tags=["live"],
        )
        def post(self, request: Request, show_id: int) -> Response:
            form = UserRequestSerializer(data=request.data)
            form.is_valid(raise_exception=True)
            _show_or_404(show_id)
            add(show_id=show_id, user_id=form.validated_data["user"], by=api_user(request))
            return Response(status=status.HTTP_204_NO_CONTENT)

    class PersonView(LocalizedAPIView):
        permission_classes = (IsAuthenticated,)

        @extend_schema(
            operation_id=f"shows_{name}_remove",
            summary=f"Remove from the show's {name}",
            request=None,
            responses={204: None, **REFUSED},
            tags=["live"],
        )
        def delete(self, request: Request, show_id: int, user_id: int) -> Response:
            _show_or_404(show_id)
            remove(show_id=show_id, user_id=user_id, by=api_user(request))
            return Response(status=status.HTTP_204_NO_CONTENT)

    PeopleView.__name__, PersonView.__name__ = f"{name.title()}View", f"{name.title()}OneView"
    return PeopleView, PersonView


MutesView, MuteView = _people_view("mutes", chat.viewer_mute, chat.viewer_unmute)
ModeratorsView, ModeratorView = _people_view("moderators", chat.moderator_appoint, chat.moderator_remove)


class ClipSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    show = serializers.IntegerField(source="show_id")
    show_title = serializers.CharField(source="show.title")
    listing = serializers.IntegerField(source="listing_id")
    title = serializers.CharField(source="listing.title")
    video_url = serializers.CharField()
    poster_url = serializers.CharField()
    offset = serializers.DecimalField(
        max_digits=8, decimal_places=2, help_text="Seconds into the show when the host pinned the item."
    )
    duration = serializers.DecimalField(max_digits=8, decimal_places=2, help_text="Seconds.")
    pinned_at = serializers.DateTimeField(source="pin.pinned_at")
    width = serializers.IntegerField()
    height = serializers.IntegerField()


class ClipQuerySerializer(serializers.Serializer):
    show = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False)
    listing = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False)

    def validate(self, attrs: dict) -> dict:
        if ("show" in attrs) == ("listing" in attrs):
            raise serializers.ValidationError("Give either show or listing.", code="show_or_listing")
        return attrs


class ClipsView(LocalizedAPIView):
    permission_classes = ()

    @extend_schema(
        operation_id="clips_list",
        summary="Explanation clips (讲解回放): a show's, in its order, or an item's, newest first",
        parameters=[ClipQuerySerializer],
        responses={200: ClipSerializer(many=True), 400: ErrorSerializer},
        tags=["live"],
    )
    def get(self, request: Request) -> Response:
        query = ClipQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        clips = selectors.clips_of(
            show_id=query.validated_data.get("show"), listing_id=query.validated_data.get("listing")
        )
        return Response(ClipSerializer(clips, many=True).data)
