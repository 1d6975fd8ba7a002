"""Serializers for the listings API. They read and validate; writes go through listings.services.

Photo URLs are thumbnails only (one per width in LISTING_THUMBNAIL_WIDTHS), made absolute so that
a client can load them as they are. Uploaded originals are private and never have a URL.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from listings.models import (
    Brand,
    CatalogModel,
    Category,
    Grade,
    Listing,
    ListingPhoto,
    ListingStatus,
    ListingVideo,
    PhotoStatus,
    VideoStatus,
    thumbnail_url,
)
from listings.templatetags.channel import grade_label
from marketplace.api import MONEY


def _thumbnails(key: str, request) -> list[dict]:
    urls = []
    for width in settings.LISTING_THUMBNAIL_WIDTHS:
        url = thumbnail_url(key, width)
        urls.append({"width": width, "url": request.build_absolute_uri(url) if request else url})
    return urls


class ThumbnailSerializer(serializers.Serializer):
    width = serializers.IntegerField(help_text="Width in pixels; the height keeps the photo's proportions.")
    url = serializers.URLField()


class LabelField(serializers.CharField):
    """A catalog name in the request's language (Category.label, Brand.label)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "label")
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)


class CategorySerializer(serializers.ModelSerializer):
    name = LabelField()

    class Meta:
        model = Category
        fields = ["id", "slug", "name", "is_luxury"]


class CategoryNodeSerializer(serializers.Serializer):
    """A category with its subcategories, to any depth (reads a CategoryNode)."""

    id = serializers.IntegerField()
    slug = serializers.SlugField()
    name = serializers.CharField(help_text="In the request's language.")
    is_luxury = serializers.BooleanField()

    def get_fields(self) -> dict:
        # Declared here rather than on the class, which cannot name itself while being defined.
        fields = super().get_fields()
        fields["children"] = CategoryNodeSerializer(many=True, read_only=True)
        return fields


class BrandSerializer(serializers.ModelSerializer):
    name = LabelField()

    class Meta:
        model = Brand
        fields = ["id", "slug", "name"]


class SellerSerializer(serializers.Serializer):
    """What a shopper may know about a seller: never the e-mail address."""

    username = serializers.CharField()
    name = serializers.CharField(source="public_name")
    city = serializers.CharField()
    member_since = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.DATE)
    def get_member_since(self, seller) -> str:
        return timezone.localdate(seller.date_joined).isoformat()


class PhotoSerializer(serializers.ModelSerializer):
    thumbnails = serializers.SerializerMethodField()

    class Meta:
        model = ListingPhoto
        fields = ["id", "position", "width", "height", "thumbnails"]

    @extend_schema_field(ThumbnailSerializer(many=True))
    def get_thumbnails(self, photo: ListingPhoto) -> list[dict]:
        return _thumbnails(photo.key, self.context.get("request"))


@extend_schema_field(
    {
        "type": "string",
        "description": "One of: processing (thumbnails are being made), ready (shown to shoppers), "
        "failed (the photo could not be processed; upload it again).",
        "example": PhotoStatus.READY.value,
    }
)
class OwnPhotoSerializer(PhotoSerializer):
    """A photo as its seller sees it: with its processing status; thumbnails once they exist."""

    status = serializers.ChoiceField(choices=PhotoStatus.choices, read_only=True)

    class Meta(PhotoSerializer.Meta):
        fields = [*PhotoSerializer.Meta.fields, "status"]

    @extend_schema_field(ThumbnailSerializer(many=True))
    def get_thumbnails(self, photo: ListingPhoto) -> list[dict]:
        if photo.status != PhotoStatus.READY:
            return []
        return _thumbnails(photo.key, self.context.get("request"))


def _model_field_text(name: str) -> dict:
    """The label and help text of a listing's column, as the API's schema shows them."""
    field = Listing._meta.get_field(name)
    assert isinstance(field, models.Field)
    return {"label": capfirst(field.verbose_name), "help_text": field.help_text or None}


class ListingCardSerializer(serializers.ModelSerializer):
    """A listing in a list: what the channel's cards show, from the listing row and its joins."""

    # The listing's own columns are declared rather than left to ModelSerializer, which builds them
    # from the model for every list it serializes: on the listings endpoint that cost more than the
    # 24 rows themselves. (`source` is left to it: the name is taken on a serializer class.)
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    price = serializers.DecimalField(**MONEY, read_only=True)
    reference_price = serializers.DecimalField(
        **MONEY, read_only=True, allow_null=True, **_model_field_text("reference_price")
    )
    grade = serializers.ChoiceField(choices=Grade.choices, read_only=True)
    status = serializers.ChoiceField(choices=ListingStatus.choices, read_only=True)
    authenticated = serializers.BooleanField(read_only=True)
    published_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text=Listing._meta.get_field("published_at").help_text
    )
    currency = serializers.SerializerMethodField()
    grade_label = serializers.SerializerMethodField()
    category = serializers.SerializerMethodField()
    brand = BrandSerializer(read_only=True, allow_null=True)
    inspected = serializers.BooleanField(source="is_inspected", read_only=True)
    cover = serializers.SerializerMethodField(help_text="Thumbnails of the first photo; empty without one.")

    class Meta:
        model = Listing
        fields = [
            "id",
            "title",
            "price",
            "reference_price",
            "currency",
            "grade",
            "grade_label",
            "status",
            "source",
            "category",
            "brand",
            "inspected",
            "authenticated",
            "cover",
            "published_at",
        ]
        read_only_fields = fields

    def get_currency(self, listing: Listing) -> str:
        return settings.CURRENCY

    @extend_schema_field(OpenApiTypes.STR)
    def get_grade_label(self, listing: Listing) -> str:
        # From a table built once: get_grade_display() rebuilds a dict of every translated choice.
        return grade_label(listing.grade)

    @extend_schema_field(CategorySerializer)
    def get_category(self, listing: Listing) -> dict:
        # Lists pass the cached category tree as `categories` (id → Category) rather than joining the
        # category into every row; a category newer than the cached tree is read from the listing.
        category = self.context.get("categories", {}).get(listing.category_id) or listing.category
        # A page's listings share a few categories: each is represented once, by one serializer (a
        # serializer builds its fields when made, which cost more than the rest of a row).
        shown = self.__dict__.setdefault("_categories_shown", {})
        if category.pk not in shown:
            serializer = self.__dict__.setdefault("_category_serializer", CategorySerializer())
            shown[category.pk] = serializer.to_representation(category)
        return shown[category.pk]

    @extend_schema_field(ThumbnailSerializer(many=True))
    def get_cover(self, listing: Listing) -> list[dict]:
        if not listing.cover_key:
            return []
        return _thumbnails(listing.cover_key, self.context.get("request"))


class ListingVideoSerializer(serializers.Serializer):
    """A listing's video as shoppers get it: H.264/AAC MP4, at most 720 lines, and its poster."""

    url = serializers.CharField(help_text="The MP4.")
    poster_url = serializers.CharField(help_text="A JPEG of one of its pictures.")
    width = serializers.IntegerField(allow_null=True)
    height = serializers.IntegerField(allow_null=True)


def _absolute(url: str, request) -> str:
    return request.build_absolute_uri(url) if request else url


class ListingDetailSerializer(ListingCardSerializer):
    """One listing with everything a shopper needs to decide: photos, grade meaning, trust fields."""

    description = serializers.CharField(
        source="description_text",
        read_only=True,
        help_text="In the request's language where Reloop wrote it (an inspected item), as typed otherwise.",
    )
    grade_meaning = serializers.CharField(read_only=True)
    seller = SellerSerializer(read_only=True)
    photos = serializers.SerializerMethodField()
    catalog_model = serializers.SerializerMethodField()
    is_favourite = serializers.SerializerMethodField(help_text="Whether you saved it; false when signed out.")
    video = serializers.SerializerMethodField(help_text="Its video, once ready; null without one.")

    class Meta(ListingCardSerializer.Meta):
        fields = [
            *ListingCardSerializer.Meta.fields,
            "description",
            "grade_meaning",
            "inspected_at",
            "report_code",
            "catalog_model",
            "seller",
            "photos",
            "video",
            "is_favourite",
        ]
        read_only_fields = fields

    @extend_schema_field(ListingVideoSerializer(allow_null=True))
    def get_video(self, listing: Listing) -> dict | None:
        # From the listing's own columns (Listing.video_key…): no query of its own.
        if not listing.video_key:
            return None
        request = self.context.get("request")
        return {
            "url": _absolute(listing.video_url, request),
            "poster_url": _absolute(listing.video_poster_url, request),
            "width": listing.video_width,
            "height": listing.video_height,
        }

    @extend_schema_field(PhotoSerializer(many=True))
    def get_photos(self, listing: Listing) -> list[dict]:
        # Shoppers see only photos whose thumbnails exist (listing_for_detail's `ready_photos`).
        return PhotoSerializer(listing.ready_photos, many=True, context=self.context).data  # type: ignore[return-value]  # many=True gives a ListSerializer, whose data is a list

    def get_is_favourite(self, listing: Listing) -> bool:
        return bool(getattr(listing, "is_favourite", False))

    @extend_schema_field(OpenApiTypes.STR)
    def get_catalog_model(self, listing: Listing) -> str | None:
        return listing.catalog_model.name if listing.catalog_model is not None else None


class OwnListingSerializer(ListingDetailSerializer):
    """A listing as its seller sees it, in any status, with every photo and its processing status."""

    class Meta(ListingDetailSerializer.Meta):
        fields = [
            *ListingDetailSerializer.Meta.fields,
            "offer_floor",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OwnPhotoSerializer(many=True))
    def get_photos(self, listing: Listing) -> list[dict]:
        return OwnPhotoSerializer(listing.photos.all(), many=True, context=self.context).data  # type: ignore[return-value]  # many=True gives a ListSerializer, whose data is a list


class OwnListingCardSerializer(ListingCardSerializer):
    class Meta(ListingCardSerializer.Meta):
        fields = [*ListingCardSerializer.Meta.fields, "created_at", "updated_at"]
        read_only_fields = fields


class ListingUpdateSerializer(serializers.Serializer):
    """The fields a seller may change. Validated here; listings.services applies them."""

    title = serializers.CharField(max_length=120)
    description = serializers.CharField(max_length=5000, allow_blank=True)
    category = serializers.SlugRelatedField(slug_field="slug", queryset=Category.objects.all())
    brand = serializers.SlugRelatedField(slug_field="slug", queryset=Brand.objects.all(), allow_null=True)
    catalog_model = serializers.PrimaryKeyRelatedField(queryset=CatalogModel.objects.all(), allow_null=True)
    price = serializers.DecimalField(**MONEY, min_value=Decimal("0.01"))
    reference_price = serializers.DecimalField(**MONEY, min_value=Decimal("0.01"), allow_null=True)
    offer_floor = serializers.DecimalField(
        **MONEY,
        min_value=Decimal("0.01"),
        allow_null=True,
        help_text="Offers below this are declined at once; shoppers never see it. Null for no floor.",
    )
    grade = serializers.ChoiceField(choices=Grade.choices)


class ListingCreateSerializer(ListingUpdateSerializer):
    description = serializers.CharField(max_length=5000, allow_blank=True, default="")
    brand = serializers.SlugRelatedField(
        slug_field="slug", queryset=Brand.objects.all(), allow_null=True, default=None
    )
    catalog_model = serializers.PrimaryKeyRelatedField(
        queryset=CatalogModel.objects.all(), allow_null=True, default=None
    )
    reference_price = serializers.DecimalField(
        **MONEY, min_value=Decimal("0.01"), allow_null=True, default=None
    )
    offer_floor = serializers.DecimalField(**MONEY, min_value=Decimal("0.01"), allow_null=True, default=None)
    publish = serializers.BooleanField(
        default=True, help_text="Put it on sale now; false keeps it as a draft only you can see."
    )


class PhotoUploadSerializer(serializers.Serializer):
    # A plain file field: the photo checks (content, size, resolution) belong to
    # listings.services.listing_photo_add, which explains a rejection with its own code.
    image = serializers.FileField(help_text="A JPEG, PNG or WebP photo.")


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()
    field = serializers.CharField(
        required=False, help_text="The input at fault, when there is one; the message is also under its name."
    )


class VideoUploadSerializer(serializers.Serializer):
    # A plain file field: whether it is a video is for the video job to find out, from its content.
    video = serializers.FileField(
        help_text="A video (MP4, MOV, WebM…) of at most LISTING_VIDEO_MAX_SECONDS seconds and "
        "LISTING_VIDEO_MAX_BYTES bytes."
    )


class VideoJobSerializer(serializers.Serializer):
    """The newest upload while the video job works on it, or once it refused it."""

    id = serializers.IntegerField()
    status = serializers.ChoiceField(
        choices=[choice for choice in VideoStatus.choices if choice[0] != VideoStatus.READY],
        help_text="uploaded (waiting for the job), checking, transcoding (see progress), failed (see error).",
    )
    progress = serializers.IntegerField(help_text="Percent of the re-encoding done.")
    error = serializers.SerializerMethodField(
        help_text="Why it failed, in the request's language; null otherwise."
    )
    error_code = serializers.CharField(
        source="error", help_text="not_a_video, damaged, too_long, too_many_pixels or gave_up."
    )

    @extend_schema_field(OpenApiTypes.STR)
    def get_error(self, video: ListingVideo) -> str | None:
        return video.error_text or None


class ReadyVideoSerializer(serializers.Serializer):
    """The video on the listing's page."""

    id = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    poster_url = serializers.SerializerMethodField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    duration = serializers.DecimalField(max_digits=6, decimal_places=2, help_text="Seconds.")

    def get_url(self, video: ListingVideo) -> str:
        return _absolute(video.url, self.context.get("request"))

    def get_poster_url(self, video: ListingVideo) -> str:
        return _absolute(video.poster_url, self.context.get("request"))


class VideoStateSerializer(serializers.Serializer):
    """A listing's video as its seller sees it. Ask again while `upload` is there and not failed."""

    ready = ReadyVideoSerializer(allow_null=True, help_text="On the listing's page; null without one.")
    upload = VideoJobSerializer(
        source="latest", allow_null=True, help_text="A newer upload on its way or refused; null without one."
    )
