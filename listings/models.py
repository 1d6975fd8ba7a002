"""The channel's catalog: categories, brands, catalog models, listings, their photos and videos.

Catalog models (brand + name + launch price + launch year) are the valuation reference that the
recycling app prices against. Listings are what shoppers browse; their status moves only through
`listings.services.listing_move` and its transition table.
"""

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from marketplace.status_events import Catalog, StatusEvent, message_render

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class LocalizedNameMixin(models.Model):
    """Catalog names in English with an optional Simplified Chinese form, picked by the active language."""

    name = models.CharField(_("name"), max_length=120)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return self.label_in(get_language())

    def label_in(self, language: str | None) -> str:
        """The name shown in `language` (a list of many looks the active language up once)."""
        if self.name_zh and (language or "").startswith("zh"):
            return self.name_zh
        return self.name


class Category(LocalizedNameMixin):
    """A node of the category tree; listings sit on leaves, browsing a parent shows its leaves too."""

    slug = models.SlugField(_("slug"), unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        null=True,
        blank=True,
        related_name="children",
        on_delete=models.PROTECT,
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_luxury = models.BooleanField(
        _("luxury"),
        default=False,
        help_text=_("Luxury categories are authenticated by two people before the badge shows."),
    )

    class Meta:
        verbose_name = _("category")
        ordering = ["position", "name"]
        verbose_name_plural = _("categories")


class Brand(LocalizedNameMixin):
    slug = models.SlugField(_("slug"), unique=True)
    categories = models.ManyToManyField(
        Category, verbose_name=_("categories"), related_name="brands", blank=True
    )

    class Meta:
        verbose_name = _("brand")
        verbose_name_plural = _("brands")
        ordering = ["name"]


class CatalogModel(models.Model):
    """A product as it was sold new: the reference for valuation and for "was ¥X new" on listings."""

    brand = models.ForeignKey(
        Brand, verbose_name=_("brand"), related_name="catalog_models", on_delete=models.PROTECT
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), related_name="catalog_models", on_delete=models.PROTECT
    )
    name = models.CharField(_("name"), max_length=120)
    launch_price = models.DecimalField(_("launch price"), max_digits=12, decimal_places=2)
    launch_year = models.PositiveSmallIntegerField(_("launch year"))

    class Meta:
        verbose_name = _("catalog model")
        verbose_name_plural = _("catalog models")
        ordering = ["brand__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["brand", "name"], name="catalog_model_unique_per_brand")
        ]

    def __str__(self) -> str:
        # "Chanel 22 small handbag" already names its brand: not "Chanel Chanel 22 small handbag".
        if self.name.casefold().startswith(self.brand.name.casefold()):
            return self.name
        return f"{self.brand.name} {self.name}"


class Grade(models.TextChoices):
    NEW = "N", pgettext_lazy("grade", "New with tags")  # unused, in original packaging (全新)
    LIKE_NEW = "S", pgettext_lazy("grade", "Like new")  # no visible wear (99新)
    EXCELLENT = "A", pgettext_lazy("grade", "Excellent")  # faint signs of use (95新)
    VERY_GOOD = "B", pgettext_lazy("grade", "Very good")  # light wear visible up close (9成新)
    GOOD = "C", pgettext_lazy("grade", "Good")  # clear wear, fully working (8成新)
    FAIR = "D", pgettext_lazy("grade", "Fair")  # heavy wear or minor faults, stated (8成新以下)


GRADE_MEANINGS = {
    Grade.NEW: _("Unused, in its original packaging with all tags and accessories."),
    Grade.LIKE_NEW: _("Used briefly; no marks you can see at arm's length or up close."),
    Grade.EXCELLENT: _("Faint signs of use, such as hairline marks, visible only up close."),
    Grade.VERY_GOOD: _("Light wear you can see up close; everything works as it should."),
    Grade.GOOD: _("Clear signs of use such as scratches or scuffs; fully working."),
    Grade.FAIR: _("Heavy wear or minor faults, each described in the listing; priced to match."),
}


class ListingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")  # being prepared, visible only to its seller
    ACTIVE = "active", _("On sale")  # in the channel, can be bought
    RESERVED = "reserved", _("Reserved")  # a buyer is paying; back to active if they do not
    SOLD = "sold", _("Sold")  # paid for; stays visible on the storefront as sold
    WITHDRAWN = "withdrawn", _("Withdrawn")  # taken off sale by its seller


class ListingSource(models.TextChoices):
    PERSON = "person", _("Private seller")  # a person lists and ships it themselves
    CONSIGNED = "consigned", _("Consigned")  # a person's item, inspected, held and sold by the platform
    PLATFORM = "platform", _("Reloop stock")  # bought by the platform through recycling, inspected


class Listing(models.Model):
    seller = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("seller"), related_name="listings", on_delete=models.PROTECT
    )
    # For an item Reloop inspected (its stock, a consigned item): the provider whose centre holds it
    # and ships it, whose staff alone work its orders (providers.scope). Empty for a person's own.
    provider = models.ForeignKey(
        "providers.Provider",
        verbose_name=_("held by"),
        null=True,
        blank=True,
        related_name="listings",
        on_delete=models.PROTECT,
    )
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    # The lines the platform writes about an item it inspected, as message codes from
    # listings.messages.DESCRIPTION with their parameters ([{"message": …, "params": {…}}, …]), so
    # that each reader gets them in their own language; shown before what `description` says.
    description_parts = models.JSONField(_("generated description"), default=list, blank=True)
    # The language the seller wrote the title and description in (marketplace.text_language).
    language = models.CharField(_("language"), max_length=8, default="en", editable=False)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), related_name="listings", on_delete=models.PROTECT
    )
    brand = models.ForeignKey(
        Brand,
        verbose_name=_("brand"),
        null=True,
        blank=True,
        related_name="listings",
        on_delete=models.PROTECT,
    )
    catalog_model = models.ForeignKey(
        CatalogModel,
        verbose_name=_("catalog model"),
        null=True,
        blank=True,
        related_name="listings",
        on_delete=models.PROTECT,
    )
    price = models.DecimalField(_("price"), max_digits=12, decimal_places=2)
    reference_price = models.DecimalField(
        _("price new"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("What the item cost new, shown to shoppers for comparison."),
    )
    # Offers below this are declined at once (orders.services.offers). A private seller sets it; a
    # consigned item carries its consignment floor; empty means no floor (Reloop's stock uses a rule).
    offer_floor = models.DecimalField(
        _("decline offers below"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Offers lower than this are declined for you at once. Buyers do not see it."),
    )
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=ListingStatus.choices, default=ListingStatus.DRAFT
    )
    source = models.CharField(
        _("source"), max_length=12, choices=ListingSource.choices, default=ListingSource.PERSON
    )

    # Trust fields, filled by the inspection app once the platform has inspected the item.
    inspected_at = models.DateTimeField(_("inspected at"), null=True, blank=True)
    report_code = models.CharField(_("report code"), max_length=16, blank=True)
    authenticated = models.BooleanField(_("authenticated"), default=False)

    # Denormalised for the channel's cards: the key of the first ready photo, so that a list page
    # needs no photo query. Kept in step by listings.services.
    cover_key = models.CharField(_("cover photo key"), max_length=40, blank=True)
    # Denormalised for the listing's page, which reads the listing in one statement: the key and size
    # of its ready video (ListingVideo), or null. Kept in step by listings.services.videos. Null, not
    # blank, without a default: SQLite adds such a column in place, where adding any other rebuilds
    # the table and loses the triggers on it (the facet, seller and past-price counts).
    video_key = models.CharField(  # noqa: DJ001 - null on purpose, as said above
        _("video key"), max_length=40, null=True, blank=True, editable=False
    )
    video_width = models.PositiveSmallIntegerField(_("video width"), null=True, blank=True, editable=False)
    video_height = models.PositiveSmallIntegerField(_("video height"), null=True, blank=True, editable=False)

    # The title's and description's Chinese words, cut by jieba (listings.search.document_words), kept
    # in step by `save`. SQLite matches Chinese query words in it; PostgreSQL indexes it too.
    search_words = models.TextField(_("search words"), blank=True, default="", editable=False)
    # Full-text search document, maintained by a PostgreSQL trigger (migrations 0002 and 0012) from the
    # title, description, brand, category and search_words; unused on SQLite.
    search_vector = SearchVectorField(_("search document"), null=True, editable=False)

    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    published_at = models.DateTimeField(
        _("published at"), null=True, blank=True, help_text=_("When it first went on sale.")
    )

    # Not a column: listings.selectors.listing_for_detail sets it.
    ready_photos: list["ListingPhoto"]

    class Meta:
        verbose_name = _("listing")
        verbose_name_plural = _("listings")
        indexes = [
            # The newest listings on sale, for the channel's newest-first pages and every search's
            # walk. On PostgreSQL it also carries the columns the searches filter and count by
            # (INCLUDE, migration 0015), so that the walk reads no table row.
            models.Index(
                fields=["-published_at", "-id"],
                name="listing_channel_cover",
                condition=Q(status="active", published_at__isnull=False),
            ),
            # The same for the price orders (both ways), covering on PostgreSQL (migration 0019).
            models.Index(
                fields=["price", "id"],
                name="listing_price_cover",
                condition=Q(status="active", published_at__isnull=False),
            ),
            models.Index(
                fields=["category", "status", "-published_at", "-id"], name="listing_category_newest"
            ),
            models.Index(fields=["category", "status", "price", "id"], name="listing_category_price"),
            models.Index(fields=["seller", "status", "-published_at", "-id"], name="listing_seller_newest"),
            models.Index(
                fields=["-inspected_at", "-id"],
                name="listing_inspected_newest",
                condition=Q(status="active", inspected_at__isnull=False),
            ),
            # Brand facets ask "does this brand have anything on sale in these categories?" per brand.
            models.Index(
                fields=["brand", "category"],
                name="listing_brand_category_active",
                condition=Q(status="active"),
            ),
            # The newest listings on sale that carry each trust badge, for the badge filters: with
            # words too, a search walks only the badge's listings. Covering on PostgreSQL, as
            # listing_channel_cover is (migration 0017).
            models.Index(
                fields=["-published_at", "-id"],
                name="listing_authenticated_newest",
                condition=Q(status="active", authenticated=True),
            ),
            models.Index(
                fields=["-published_at", "-id"],
                name="listing_inspected_cover",
                condition=Q(status="active", published_at__isnull=False, inspected_at__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(price__gt=0), name="listing_price_positive"),
            models.CheckConstraint(
                condition=Q(reference_price__isnull=True) | Q(reference_price__gt=0),
                name="listing_reference_price_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        """Saves, cutting the title and description into search words again when they may have changed
        (every full save, or one whose update_fields name either)."""
        from listings.search import document_words  # jieba and the vocabulary load on first use

        update_fields = kwargs.get("update_fields")
        if update_fields is None or {"title", "description"} & set(update_fields):
            self.search_words = document_words(self.title, self.description)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "search_words"}
        super().save(*args, **kwargs)

    @property
    def is_inspected(self) -> bool:
        return self.inspected_at is not None

    @property
    def grade_meaning(self) -> "StrOrPromise":
        return GRADE_MEANINGS[Grade(self.grade)]

    @property
    def generated_description(self) -> str:
        """The lines the platform wrote about the item, in the reader's language, one per line."""
        from listings.messages import DESCRIPTION  # on first use: the catalog names choices declared here

        lines = (
            message_render(DESCRIPTION, part["message"], part.get("params", {}))
            for part in self.description_parts
        )
        return "\n".join(line for line in lines if line)

    @property
    def description_text(self) -> str:
        """The whole description in the reader's language: what the platform wrote, then what the
        seller typed."""
        return "\n".join(text for text in (self.generated_description, self.description) if text)

    @property
    def is_on_sale(self) -> bool:
        return self.status == ListingStatus.ACTIVE

    @property
    def video_url(self) -> str:
        return video_url(self.video_key) if self.video_key else ""

    @property
    def video_poster_url(self) -> str:
        return video_poster_url(self.video_key) if self.video_key else ""


class ListingEvent(StatusEvent):
    """One row per status change: who moved the listing, when, from what, to what."""

    listing = models.ForeignKey(
        Listing, verbose_name=_("listing"), related_name="events", on_delete=models.CASCADE
    )
    old = models.CharField(_("old status"), max_length=12, choices=ListingStatus.choices)
    new = models.CharField(_("new status"), max_length=12, choices=ListingStatus.choices)

    class Meta:
        verbose_name = _("listing event")
        verbose_name_plural = _("listing events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.old} → {self.new}"

    @classmethod
    def catalog(cls) -> Catalog:
        from listings.messages import MESSAGES  # on first use: a catalog may name choices declared here

        return MESSAGES


class PhotoStatus(models.TextChoices):
    PROCESSING = "processing", _("Processing")  # accepted; thumbnails are being made
    READY = "ready", _("Ready")  # thumbnails exist and are served
    FAILED = "failed", _("Failed")  # thumbnails could not be made; the seller is told


class ListingPhoto(models.Model):
    """A checked, re-encoded photo. The stored copy lives in private storage and is never served;
    shoppers see only thumbnails at `MEDIA_URL/listings/<key[:2]>/<key>-<width>.webp`."""

    listing = models.ForeignKey(
        Listing, verbose_name=_("listing"), related_name="photos", on_delete=models.CASCADE
    )
    key = models.CharField(_("key"), max_length=40, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    status = models.CharField(
        _("status"), max_length=12, choices=PhotoStatus.choices, default=PhotoStatus.PROCESSING
    )
    # 64-bit perceptual hash as 16 hex digits (listings.photo_hash), set when the photo is processed;
    # the recycling app's photo checks look it up to find photos re-used in a submission.
    phash = models.CharField(_("perceptual hash"), max_length=16, blank=True, db_index=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("listing photo")
        verbose_name_plural = _("listing photos")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.key

    def thumbnail_url(self, width: int) -> str:
        return thumbnail_url(self.key, width)


def thumbnail_url(key: str, width: int) -> str:
    return f"{settings.MEDIA_URL}listings/{key[:2]}/{key}-{width}.webp"


class VideoStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")  # kept privately, waiting for the video job
    CHECKING = "checking", _("Checking")  # the job is checking that it is a video within the limits
    TRANSCODING = "transcoding", _("Preparing")  # being re-encoded for the web; `progress` says how far
    READY = "ready", _("Ready")  # plays on the listing's page
    FAILED = "failed", _("Failed")  # refused or not made; `error` and `error_params` say why


class VideoFile(models.Model):
    """A short video uploaded to Reloop and made fit for the web by a video job: a listing's
    (ListingVideo) or a creator's (feed.CreatorVideo). The upload is kept as sent in private storage
    and never served; people see the re-encoding the job makes of it (listings.videos): an MP4 and its
    poster at `MEDIA_URL/listings/videos/<key[:2]>/<key>.mp4` and `.jpg`."""

    key = models.CharField(_("key"), max_length=40, unique=True)
    status = models.CharField(
        _("status"), max_length=12, choices=VideoStatus.choices, default=VideoStatus.UPLOADED
    )
    # Percent of the re-encoding done, while `status` is transcoding.
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    # Why it failed: a code of listings.messages.VIDEO_ERRORS and its parameters, shown in the
    # reader's language.
    error = models.CharField(_("error"), max_length=40, blank=True)
    error_params = models.JSONField(_("error parameters"), default=dict, blank=True)
    # How many times the job began on it: a file that stops the job every time is given up on.
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    size = models.PositiveBigIntegerField(_("size of the upload"))
    duration = models.DecimalField(_("duration"), max_digits=6, decimal_places=2, null=True, blank=True)
    width = models.PositiveSmallIntegerField(_("width"), null=True, blank=True)
    height = models.PositiveSmallIntegerField(_("height"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.key

    @property
    def is_final(self) -> bool:
        return self.status in (VideoStatus.READY, VideoStatus.FAILED)

    @property
    def error_text(self) -> str:
        """Why it failed, in the reader's language."""
        from listings.messages import VIDEO_ERRORS  # on first use, as the other catalogs

        return message_render(VIDEO_ERRORS, self.error, self.error_params) if self.error else ""

    @property
    def url(self) -> str:
        return video_url(self.key)

    @property
    def poster_url(self) -> str:
        return video_poster_url(self.key)


class ListingVideo(VideoFile):
    """A short video of a listing. The upload is kept as sent in private storage and never served;
    shoppers see the re-encoding the video job makes of it (listings.videos): an MP4 and its poster at
    `MEDIA_URL/listings/videos/<key[:2]>/<key>.mp4` and `.jpg`. A listing shows one video: a new
    upload replaces the ready one once it is ready itself (listings.services.videos)."""

    listing = models.ForeignKey(
        Listing, verbose_name=_("listing"), related_name="videos", on_delete=models.CASCADE
    )

    class Meta:
        verbose_name = _("listing video")
        verbose_name_plural = _("listing videos")
        constraints = [
            models.UniqueConstraint(
                fields=["listing"], condition=Q(status="ready"), name="listing_video_one_ready"
            ),
        ]
        indexes = [
            # The sweep's look for videos whose job was lost.
            models.Index(
                fields=["updated_at"],
                name="listing_video_waiting",
                condition=Q(status__in=["uploaded", "checking", "transcoding"]),
            ),
        ]


def video_url(key: str) -> str:
    return f"{settings.MEDIA_URL}listings/videos/{key[:2]}/{key}.mp4"


def video_poster_url(key: str) -> str:
    return f"{settings.MEDIA_URL}listings/videos/{key[:2]}/{key}.jpg"


class Favourite(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), related_name="favourites", on_delete=models.CASCADE
    )
    listing = models.ForeignKey(
        Listing, verbose_name=_("listing"), related_name="favourited_by", on_delete=models.CASCADE
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("favourite")
        verbose_name_plural = _("favourites")
        constraints = [models.UniqueConstraint(fields=["user", "listing"], name="favourite_once")]
        indexes = [models.Index(fields=["user", "-created_at"], name="favourite_user_newest")]

    def __str__(self) -> str:
        return f"{self.user_id} ♥ {self.listing_id}"


class SearchFrequency(models.TextChoices):
    INSTANT = "instant", _("As soon as they appear")
    DAILY = "daily", _("Once a day")
    WEEKLY = "weekly", _("Once a week")


class SavedSearch(models.Model):
    """A search a shopper keeps: its words and filters (`query`, the channel's query string, in one
    canonical order), and how often to hear of new items that match. `checked_until` is when its new
    items were last looked for; a listing published after it is new."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        related_name="saved_searches",
        on_delete=models.CASCADE,
    )
    query = models.CharField(_("search"), max_length=500)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), null=True, blank=True, on_delete=models.CASCADE
    )
    frequency = models.CharField(
        _("how often"), max_length=10, choices=SearchFrequency.choices, default=SearchFrequency.DAILY
    )
    checked_until = models.DateTimeField(_("checked until"), default=timezone.now)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        constraints = [
            models.UniqueConstraint(fields=["user", "category", "query"], name="saved_search_once"),
            models.UniqueConstraint(
                fields=["user", "query"],
                condition=Q(category__isnull=True),
                name="saved_search_once_anywhere",
            ),
        ]
        indexes = [models.Index(fields=["frequency", "checked_until"], name="saved_search_due")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.query}"


class SearchTerm(models.Model):
    """A word a mistyped query may be corrected to: a word of the titles of listings on sale that
    enough of them use (listings.services.search_terms_refresh rebuilds the table). Brands,
    categories and catalog models are known from data files and need no row (listings.search)."""

    word = models.CharField(_("word"), max_length=40, unique=True)
    listings = models.PositiveIntegerField(_("listings on sale with it"), default=0)

    class Meta:
        verbose_name = _("search term")
        verbose_name_plural = _("search terms")
        # PostgreSQL finds near words with pg_trgm (a GIN index, migration 0013); SQLite through
        # SearchTermTrigram.

    def __str__(self) -> str:
        return self.word


class SearchTermTrigram(models.Model):
    """One trigram of a search term, as pg_trgm cuts it: SQLite's trigram index, so that it finds the
    terms that share the most trigrams with a mistyped word without reading every term. Not kept on
    PostgreSQL, where pg_trgm indexes the words themselves."""

    term = models.ForeignKey(SearchTerm, related_name="trigrams", on_delete=models.CASCADE)
    trigram = models.CharField(_("trigram"), max_length=3)

    class Meta:
        verbose_name = _("search term trigram")
        verbose_name_plural = _("search term trigrams")
        constraints = [models.UniqueConstraint(fields=["term", "trigram"], name="search_term_trigram_once")]
        indexes = [models.Index(fields=["trigram", "term"], name="search_term_trigram")]

    def __str__(self) -> str:
        return self.trigram


class FacetCount(models.Model):
    """How many listings are on sale per leaf of the catalog: category, brand (0 for none), grade,
    price band (listings.selectors.PRICE_BANDS, by index), inspected and authenticated. Database
    triggers (migration 0014) keep it in step with every write to a listing, in the writing
    transaction, so the filter panel reads its counts from a few hundred rows instead of counting
    the listings, at any size of the channel (listings.selectors.facet_counts)."""

    category = models.ForeignKey(Category, related_name="+", on_delete=models.CASCADE, db_constraint=False)
    brand_key = models.BigIntegerField(_("brand"), default=0)
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices)
    band = models.PositiveSmallIntegerField(_("price band"))
    inspected = models.BooleanField(_("inspected"))
    authenticated = models.BooleanField(_("authenticated"))
    listings = models.IntegerField(_("listings on sale"), default=0)

    class Meta:
        verbose_name = _("facet count")
        verbose_name_plural = _("facet counts")
        constraints = [
            models.UniqueConstraint(
                fields=["category", "brand_key", "grade", "band", "inspected", "authenticated"],
                name="facet_count_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.category_id}/{self.brand_key}/{self.grade}/{self.band}: {self.listings}"


class SellerCount(models.Model):
    """How many listings a seller has on sale, in listings.seller_count_sql.SHARDS rows per seller
    (by the listing's id). Database triggers (migration 0018) keep it in step with every write to a
    listing, in the writing transaction, so a listing's page and a storefront read a seller's count
    from a few rows, however much the seller sells (listings.selectors.listing_for_detail)."""

    # The unique constraint's index leads with the seller: no index of its own.
    seller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        related_name="+",
        on_delete=models.CASCADE,
        db_constraint=False,
        db_index=False,
    )
    shard = models.PositiveSmallIntegerField(_("shard"))
    listings = models.IntegerField(_("listings on sale"), default=0)

    class Meta:
        verbose_name = _("seller's count")
        verbose_name_plural = _("sellers' counts")
        constraints = [models.UniqueConstraint(fields=["seller", "shard"], name="seller_count_once")]

    def __str__(self) -> str:
        return f"{self.seller_id}/{self.shard}: {self.listings}"


class PastPrice(models.Model):
    """A price a listing asked while on sale, until `until`: written by a database trigger whenever
    the price of a listing on sale changes (listings.past_price_sql, migration 0020)."""

    # past_price_recent leads with the listing: no index of its own.
    listing = models.ForeignKey(
        Listing,
        verbose_name=_("listing"),
        related_name="past_prices",
        on_delete=models.CASCADE,
        db_constraint=False,
        db_index=False,
    )
    price = models.DecimalField(_("price"), max_digits=12, decimal_places=2)
    until = models.DateTimeField(_("asked until"))

    class Meta:
        verbose_name = _("past price")
        verbose_name_plural = _("past prices")
        indexes = [models.Index(fields=["listing", "-until"], name="past_price_recent")]

    def __str__(self) -> str:
        return f"{self.listing_id}: {self.price} until {self.until:%Y-%m-%d %H:%M}"


class HoldKind(models.TextChoices):
    BLOCK = "block", _("No new listings")  # in the category, or in any without one
    CAP = "cap", _("Listing cap")  # at most `cap` of the seller's own items on sale at once
    NO_FLASH_SALES = "no_flash_sales", _("No flash sales")  # their items are not sold in live flash sales


class SellingHold(models.Model):
    """A limit on what a seller may sell, with its reason: no new listings in one category or in
    any, a cap on the items on sale, or no flash sales. The app that decides it (trust: a store's
    deposit short of what a category needs, violation points past a threshold) writes it through
    listings.services.selling_holds_replace; listing_create and live's flash sales refuse while one
    applies, with the hold's message (listings.messages.HOLDS)."""

    seller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("seller"),
        related_name="selling_holds",
        on_delete=models.CASCADE,
    )
    # Empty: every category.
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.CASCADE,
    )
    kind = models.CharField(_("kind"), max_length=16, choices=HoldKind.choices, default=HoldKind.BLOCK)
    # For a cap: how many of their own items may be on sale at once.
    cap = models.PositiveIntegerField(_("items on sale at most"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=40)
    params = models.JSONField(_("message parameters"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("selling hold")
        verbose_name_plural = _("selling holds")
        indexes = [models.Index(fields=["seller", "category"], name="selling_hold_seller")]

    def __str__(self) -> str:
        return f"{self.seller_id}/{self.category_id or '*'}: {self.reason}"

    @property
    def text(self) -> str:
        from listings.messages import HOLDS

        return message_render(HOLDS, self.reason, self.params)
