"""Writes for listings. One function per use case; views and the API call these and nothing else."""

from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import IO, Any, cast

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from accounts.email_confirmation import require_confirmed_email
from accounts.models import User
from listings import facet_sql, photo_hash, photos, search, seller_count_sql
from listings.errors import ListingError
from listings.filters import ChannelFilterForm, saved_query
from listings.messages import DESCRIPTION, HOLDS
from listings.models import (
    Brand,
    CatalogModel,
    Category,
    Favourite,
    Grade,
    HoldKind,
    Listing,
    ListingEvent,
    ListingPhoto,
    ListingSource,
    ListingStatus,
    PhotoStatus,
    SavedSearch,
    SearchFrequency,
    SearchTerm,
    SearchTermTrigram,
    SellingHold,
)
from listings.notices import watchers_notify_back_on_sale, watchers_notify_price_drop
from listings.page_cache import listing_pages_forget_on_commit
from listings.selectors import STOREFRONT_STATUSES
from listings.signals import listing_withdrawn
from marketplace.errors import InvalidTransition
from marketplace.jobs import enqueue, enqueue_on_commit
from marketplace.money import CENT
from marketplace.status_events import message_params
from marketplace.text_language import written_language
from providers.models import Provider

# Listing: draft → active ⇄ reserved → sold; active → withdrawn (a draft may be discarded too);
# sold → active when a buyer returned an inspected item to the centre and it goes back on sale.
ALLOWED = {
    ListingStatus.DRAFT: {ListingStatus.ACTIVE, ListingStatus.WITHDRAWN},
    ListingStatus.ACTIVE: {ListingStatus.RESERVED, ListingStatus.WITHDRAWN},
    ListingStatus.RESERVED: {ListingStatus.ACTIVE, ListingStatus.SOLD},
    ListingStatus.SOLD: {ListingStatus.ACTIVE},
    ListingStatus.WITHDRAWN: set(),
}


@transaction.atomic
def listing_move(
    *,
    listing_id: int,
    to: ListingStatus,
    by: User | None,
    message: str = "",
    params: dict | None = None,
    note: str = "",
) -> Listing:
    """Lock, check, record, save. `message` is a code of listings.messages with its `params`; `note`
    is what a person typed. Raises InvalidTransition and changes nothing if `to` is not allowed,
    MessageError for a message the catalog does not list."""
    params = ListingEvent.message_params(message, params)
    listing = Listing.objects.select_for_update().get(pk=listing_id)
    if to not in ALLOWED[ListingStatus(listing.status)]:
        raise InvalidTransition(listing.status, to)
    ListingEvent.objects.create(
        listing=listing, old=listing.status, new=to, by=by, message=message, params=params, note=note[:300]
    )
    listing_pages_forget_on_commit(listing.pk)
    back_on_sale = to == ListingStatus.ACTIVE and listing.status in (
        ListingStatus.RESERVED,
        ListingStatus.SOLD,
    )
    listing.status = to
    fields = ["status", "updated_at"]
    if to == ListingStatus.ACTIVE and listing.published_at is None:
        listing.published_at = timezone.now()
        fields.append("published_at")
    listing.save(update_fields=fields)
    if back_on_sale:
        watchers_notify_back_on_sale(listing=listing)
    return listing


@transaction.atomic
def listing_mark_inspected(
    *, listing_id: int, report_code: str, inspected_at: datetime, grade: Grade | str, authenticated: bool
) -> Listing:
    """Record on a listing that the platform inspected its item: the report's code, when, the grade the
    inspection gave (it replaces the declared one) and whether two authenticators agreed. Called by the
    inspection app when it publishes a report; the listing's page shows the badges and the link."""
    listing = Listing.objects.select_for_update().get(pk=listing_id)
    listing.report_code = report_code
    listing.inspected_at = inspected_at
    listing.grade = Grade(grade)
    listing.authenticated = authenticated
    listing.save(update_fields=["report_code", "inspected_at", "grade", "authenticated", "updated_at"])
    listing_pages_forget_on_commit(listing.pk)
    return listing


@transaction.atomic
def listing_reprice(*, listing_id: int, price: Decimal, by: User | None = None) -> Listing:
    """Set a new price on a listing that is on sale or not yet published (a consignment's scheduled
    price drop). Raises ListingError for an invalid price or a listing a buyer is paying for or that
    has left the channel."""
    amount = _as_amount(price, label=_("Price"))
    listing = Listing.objects.select_for_update().get(pk=listing_id)
    _ensure_editable(listing)
    old_price = listing.price
    listing.price = amount
    listing.save(update_fields=["price", "updated_at"])
    listing_pages_forget_on_commit(listing.pk)
    if amount < old_price and listing.status == ListingStatus.ACTIVE:
        watchers_notify_price_drop(listing=listing, old_price=old_price)
    return listing


def favourite_add(*, user: User, listing_id: int) -> Favourite:
    """Save a listing to the user's favourites; saving it twice keeps one row (get_or_create
    recovers from the unique constraint when two tabs save it at the same moment)."""
    listing = Listing.objects.get(pk=listing_id, status__in=STOREFRONT_STATUSES)
    favourite, _created = Favourite.objects.get_or_create(user=user, listing=listing)
    return favourite


def favourite_remove(*, user: User, listing_id: int) -> None:
    """Forget a saved listing; removing one that is not saved is not an error."""
    Favourite.objects.filter(user=user, listing_id=listing_id).delete()


# --- Person-to-person selling ------------------------------------------------------------------------

# Highest price a listing may ask: far above any second-hand good, far below the column's limit, so
# that a slip of the finger (an extra three zeros) is caught rather than published.
PRICE_LIMIT = Decimal("10000000")

EDITABLE_FIELDS = frozenset(
    {
        "title",
        "description",
        "category",
        "brand",
        "catalog_model",
        "price",
        "reference_price",
        "offer_floor",
        "grade",
    }
)
# A listing can be changed while its seller still controls it: not while a buyer pays for it, and
# never once it has left the channel.
EDITABLE_STATUSES = frozenset({ListingStatus.DRAFT, ListingStatus.ACTIVE})

Upload = IO[bytes] | photos.CheckedPhoto
# A line of a generated description: a code of listings.messages.DESCRIPTION and its parameters.
DescriptionPart = tuple[str, dict[str, Any]]


def _as_amount(value: object, *, label: str) -> Decimal:
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError) as error:
        raise ListingError(
            _("%(label)s must be a number.") % {"label": label}, code="invalid_price"
        ) from error
    if not amount.is_finite() or amount <= 0:
        raise ListingError(_("%(label)s must be more than zero.") % {"label": label}, code="invalid_price")
    if amount >= PRICE_LIMIT:
        raise ListingError(
            _("%(label)s must be less than %(limit)s.") % {"label": label, "limit": f"{PRICE_LIMIT:,}"},
            code="invalid_price",
        )
    if amount != amount.quantize(CENT):
        raise ListingError(
            _("%(label)s can have at most two decimal places.") % {"label": label}, code="invalid_price"
        )
    return amount.quantize(CENT)


def _validated(fields: dict) -> dict:
    """Check a listing's editable fields together and return them cleaned. Raises ListingError."""
    cleaned = dict(fields)
    title = (cleaned.get("title") or "").strip()
    if not title:
        raise ListingError(_("Give the listing a title."), code="title_required")
    if len(title) > cast(int, Listing._meta.get_field("title").max_length):
        raise ListingError(_("The title can be at most 120 characters."), code="title_too_long")
    cleaned["title"] = title
    description = (cleaned.get("description") or "").strip()
    if len(description) > cast(int, Listing._meta.get_field("description").max_length):
        raise ListingError(_("The description can be at most 5,000 characters."), code="description_too_long")
    cleaned["description"] = description
    cleaned["language"] = written_language(title, description)

    category = cleaned.get("category")
    if not isinstance(category, Category):
        raise ListingError(_("Choose a category."), code="category_required")
    if category.children.exists():
        raise ListingError(
            _("Choose a more specific category than “%(category)s”.") % {"category": category.label},
            code="category_not_leaf",
        )
    brand = cleaned.get("brand")
    catalog_model = cleaned.get("catalog_model")
    if catalog_model is not None:
        if brand is None:
            brand = catalog_model.brand
        if catalog_model.brand_id != brand.pk:
            raise ListingError(
                _("The model “%(model)s” is not made by %(brand)s.")
                % {"model": catalog_model.name, "brand": brand.label},
                code="catalog_model_brand_mismatch",
            )
        if catalog_model.category_id != category.pk:
            raise ListingError(
                _("The model “%(model)s” does not belong in the category “%(category)s”.")
                % {"model": catalog_model.name, "category": category.label},
                code="catalog_model_category_mismatch",
            )
    cleaned["brand"] = brand
    cleaned["catalog_model"] = catalog_model

    cleaned["price"] = _as_amount(cleaned.get("price"), label=_("The price"))
    reference_price = cleaned.get("reference_price")
    cleaned["reference_price"] = (
        None if reference_price in (None, "") else _as_amount(reference_price, label=_("The price new"))
    )
    offer_floor = cleaned.get("offer_floor")
    cleaned["offer_floor"] = (
        None if offer_floor in (None, "") else _as_amount(offer_floor, label=_("The lowest offer"))
    )
    if cleaned["offer_floor"] is not None and cleaned["offer_floor"] > cleaned["price"]:
        raise ListingError(
            _("The lowest offer you accept cannot be more than the price."),
            code="offer_floor_above_price",
            field="offer_floor",
        )
    if cleaned.get("grade") not in Grade.values:
        raise ListingError(_("Choose the item's condition."), code="grade_required")
    return cleaned


def _owned_for_update(*, listing_id: int, seller: User) -> Listing:
    """The seller's listing, row-locked. Someone else's listing raises Listing.DoesNotExist, so that
    pages answer 404 and do not reveal that it exists. Caller is inside a transaction."""
    return Listing.objects.select_for_update().get(pk=listing_id, seller=seller)


def _ensure_editable(listing: Listing) -> None:
    if listing.status not in EDITABLE_STATUSES:
        raise ListingError(
            _("This listing is %(status)s and can no longer be changed.")
            % {"status": listing.get_status_display().lower()},
            code="listing_not_editable",
        )


def _checked(upload: Upload) -> photos.CheckedPhoto:
    return upload if isinstance(upload, photos.CheckedPhoto) else photos.check_photo(upload)


@contextmanager
def _files_removed_on_failure() -> Iterator[list[str]]:
    """Collects the photo keys a use case writes, and deletes their files if the use case fails.

    Files are written before the transaction commits (so that a committed row always has its file);
    this removes them again when the transaction is rolled back by an exception. Use it outside the
    use case's `transaction.atomic()` block, and call these services outside any other transaction
    that could still roll back after they return.
    """
    written: list[str] = []
    try:
        yield written
    except BaseException:
        for key in written:
            photos.delete_files(key)
        raise


def _photos_add(
    listing: Listing, checked: Sequence[photos.CheckedPhoto], written: list[str]
) -> list[ListingPhoto]:
    """Store and record photos at the end of the listing. Caller holds the listing's row lock."""
    existing = listing.photos.count()
    if existing + len(checked) > settings.LISTING_PHOTO_MAX_COUNT:
        raise ListingError(
            _("A listing can have at most %(limit)s photos; this one would have %(count)s.")
            % {"limit": settings.LISTING_PHOTO_MAX_COUNT, "count": existing + len(checked)},
            code="too_many_photos",
        )
    last = listing.photos.aggregate(last=Max("position"))["last"]
    position = -1 if last is None else last
    added: list[ListingPhoto] = []
    for photo in checked:
        key = photos.new_key()
        written.append(key)
        photos.store_private(key, photo)
        position += 1
        added.append(
            ListingPhoto.objects.create(
                listing=listing, key=key, position=position, width=photo.width, height=photo.height
            )
        )
    from listings.tasks import make_listing_photo_thumbnails

    for new in added:
        enqueue_on_commit(make_listing_photo_thumbnails, new.pk)
    return added


def _refresh_cover(listing: Listing) -> None:
    """Point the listing's cover at its first ready photo. Caller holds the listing's row lock."""
    first = (
        ListingPhoto.objects.filter(listing=listing, status=PhotoStatus.READY)
        .order_by("position", "id")
        .values_list("key", flat=True)
        .first()
    )
    cover_key = first or ""
    if listing.cover_key != cover_key:
        listing.cover_key = cover_key
        listing.save(update_fields=["cover_key", "updated_at"])


def listing_create(
    *,
    seller: User,
    title: str,
    description: str,
    category: Category,
    brand: Brand | None = None,
    catalog_model: CatalogModel | None = None,
    price: Decimal,
    reference_price: Decimal | None = None,
    offer_floor: Decimal | None = None,
    grade: str,
    publish: bool = True,
    uploads: Sequence[Upload] = (),
    source: ListingSource = ListingSource.PERSON,
    description_parts: Sequence[DescriptionPart] = (),
    provider: Provider | None = None,
) -> Listing:
    """A seller lists an item, with its photos, and (by default) puts it on sale at once. `source`
    says whose item it is: a person's own (the default), or the platform's stock or a consigned item,
    which the recycling and consignment apps list under the platform's account, with the `provider`
    whose centre holds it. `description_parts`
    are lines the platform writes about an item it inspected, as (code, params) of
    listings.messages.DESCRIPTION, shown before `description` in each reader's language.

    Raises ListingError for invalid details and PhotoRejected for a photo that fails its checks (or
    photos past the request's pixel budget); in either case nothing is created. A person's own
    listing needs a confirmed e-mail address (EmailNotConfirmed, 403). Thumbnails are made by a task
    after commit.
    """
    fields = _validated(
        {
            "title": title,
            "description": description,
            "category": category,
            "brand": brand,
            "catalog_model": catalog_model,
            "price": price,
            "reference_price": reference_price,
            "offer_floor": offer_floor,
            "grade": grade,
        }
    )
    fields["description_parts"] = [
        {"message": code, "params": message_params(DESCRIPTION, code, params)}
        for code, params in description_parts
    ]
    if source == ListingSource.PERSON:
        require_confirmed_email(seller)
        _ensure_not_held(seller=seller, category=fields["category"])
    # Decoding is the slow part: done before the transaction, so no lock is held meanwhile.
    photos.check_pixel_budget(uploads)
    checked = [_checked(upload) for upload in uploads]
    with _files_removed_on_failure() as written, transaction.atomic():
        listing = Listing.objects.create(
            seller=seller,
            status=ListingStatus.DRAFT,
            source=ListingSource(source),
            provider=provider,
            **fields,
        )
        _photos_add(listing, checked, written)
        if publish:
            listing = listing_move(listing_id=listing.pk, to=ListingStatus.ACTIVE, by=seller)
    return listing


def _ensure_not_held(*, seller: User, category: Category) -> None:
    """Raises ListingError (`selling_held`) with the hold's message when the seller may not list in
    `category` now: a block on it or on every category, or a cap they have reached."""
    holds = list(
        SellingHold.objects.filter(seller=seller, kind__in=(HoldKind.BLOCK, HoldKind.CAP))
        .filter(Q(category=category) | Q(category__isnull=True))
        .order_by("category_id", "id")  # an every-category hold (no category) speaks first
    )
    for hold in holds:
        if hold.kind == HoldKind.CAP:
            on_sale = Listing.objects.filter(
                seller=seller,
                source=ListingSource.PERSON,
                status__in=(ListingStatus.ACTIVE, ListingStatus.RESERVED),
            ).count()
            if on_sale < (hold.cap or 0):
                continue
        raise ListingError(hold.text, code="selling_held", field="category")


@transaction.atomic
def selling_holds_replace(
    *,
    seller: User,
    reason: str,
    holds: Sequence[tuple[Category | None, dict]],
    kind: HoldKind = HoldKind.BLOCK,
    cap: int | None = None,
) -> list[SellingHold]:
    """Make `holds`, (category or None for every category, params) pairs, the seller's only holds
    for `reason`, a code of listings.messages.HOLDS, each of `kind` (with its `cap`). No pairs lifts
    the reason's holds. The seller's row lock keeps two refreshes from interleaving."""
    rows = [
        SellingHold(
            seller=seller,
            category=category,
            kind=kind,
            cap=cap,
            reason=reason,
            params=message_params(HOLDS, reason, params),
        )
        for category, params in holds
    ]
    User.objects.select_for_update().filter(pk=seller.pk).first()
    SellingHold.objects.filter(seller=seller, reason=reason).delete()
    return SellingHold.objects.bulk_create(rows)


@transaction.atomic
def listing_update(*, listing_id: int, seller: User, **changes: object) -> Listing:
    """The seller changes a listing's details (any of EDITABLE_FIELDS).

    Only its seller may: anyone else gets Listing.DoesNotExist. Raises ListingError for invalid
    details or a listing that is reserved, sold or withdrawn, and changes nothing then.
    """
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"listing_update() cannot change {', '.join(sorted(unknown))}")
    listing = _owned_for_update(listing_id=listing_id, seller=seller)
    _ensure_editable(listing)
    current = {name: getattr(listing, name) for name in EDITABLE_FIELDS}
    if "brand" in changes and "catalog_model" not in changes and changes["brand"] != listing.brand:
        current["catalog_model"] = None  # a new brand cannot keep the old brand's model
    fields = _validated(current | changes)
    changed = [name for name, value in fields.items() if getattr(listing, name) != value]
    if "category" in changed and listing.source == ListingSource.PERSON:
        _ensure_not_held(seller=seller, category=fields["category"])
    old_price = listing.price
    for name in changed:
        setattr(listing, name, fields[name])
    if changed:
        listing.save(update_fields=[*changed, "updated_at"])
        listing_pages_forget_on_commit(listing.pk)
    if listing.price < old_price and listing.status == ListingStatus.ACTIVE:
        watchers_notify_price_drop(listing=listing, old_price=old_price)
    return listing


@transaction.atomic
def listing_withdraw(*, listing_id: int, seller: User) -> Listing:
    """The seller takes a listing off sale. Only its seller may (others get Listing.DoesNotExist);
    raises InvalidTransition if it is reserved, sold or already withdrawn. Sends `listing_withdrawn`
    after commit."""
    _owned_for_update(listing_id=listing_id, seller=seller)
    listing = listing_move(
        listing_id=listing_id, to=ListingStatus.WITHDRAWN, by=seller, message="seller.withdrew"
    )
    transaction.on_commit(lambda: listing_withdrawn.send(sender=Listing, listing_id=listing_id), robust=True)
    return listing


def listing_photos_add(*, listing_id: int, seller: User, uploads: Sequence[Upload]) -> list[ListingPhoto]:
    """Add several photos to a listing in one go: all of them or, if any is refused, none.

    Raises PhotoRejected (a photo failed its checks), ListingError (too many photos, or the listing
    can no longer be changed) or Listing.DoesNotExist (not the seller's listing).
    """
    photos.check_pixel_budget(uploads)
    checked = [_checked(upload) for upload in uploads]
    with _files_removed_on_failure() as written, transaction.atomic():
        listing = _owned_for_update(listing_id=listing_id, seller=seller)
        _ensure_editable(listing)
        return _photos_add(listing, checked, written)


def listing_photo_add(*, listing_id: int, seller: User, upload: Upload) -> ListingPhoto:
    """Add one photo to the end of a listing's photos; see listing_photos_add for what it raises."""
    (photo,) = listing_photos_add(listing_id=listing_id, seller=seller, uploads=[upload])
    return photo


@transaction.atomic
def listing_photo_remove(*, photo_id: int, seller: User) -> None:
    """Remove a photo from the seller's listing; its files go once the removal has committed.

    Someone else's photo raises ListingPhoto.DoesNotExist. Raises ListingError if the listing can no
    longer be changed.
    """
    listing_id = ListingPhoto.objects.values_list("listing_id", flat=True).get(
        pk=photo_id, listing__seller=seller
    )
    listing = _owned_for_update(listing_id=listing_id, seller=seller)
    _ensure_editable(listing)
    photo = ListingPhoto.objects.get(pk=photo_id, listing=listing)  # may have gone while we waited
    key = photo.key
    photo.delete()
    _refresh_cover(listing)
    listing_pages_forget_on_commit(listing.pk)
    transaction.on_commit(partial(photos.delete_files, key))


def listing_photo_process(*, photo_id: int) -> ListingPhoto | None:
    """Make a photo's thumbnails, mark it ready and update the listing's cover. Safe to run twice.

    Returns the photo, or None if it was removed meanwhile (its thumbnails are then removed too). A
    photo whose stored copy cannot be read is marked failed. Storage errors propagate, for a retry.
    """
    photo = ListingPhoto.objects.filter(pk=photo_id).first()
    if photo is None or photo.status == PhotoStatus.READY:
        return photo
    try:
        photos.make_thumbnails(photo.key)
        # For finding this photo re-used in a recycling submission (recycling.photo_checks).
        phash = photo_hash.stored_photo_hash(photo.key)
    except (FileNotFoundError, UnidentifiedImageError, Image.DecompressionBombError, SyntaxError, ValueError):
        ListingPhoto.objects.filter(pk=photo_id).update(status=PhotoStatus.FAILED)
        photo.status = PhotoStatus.FAILED
        return photo
    with transaction.atomic():
        listing = Listing.objects.select_for_update().get(pk=photo.listing_id)
        if not ListingPhoto.objects.filter(pk=photo_id).update(status=PhotoStatus.READY, phash=phash):
            # Removed while the thumbnails were being made: the removal could not see these files.
            transaction.on_commit(partial(photos.delete_files, photo.key))
            return None
        _refresh_cover(listing)
        listing_pages_forget_on_commit(listing.pk)
    photo.status = PhotoStatus.READY
    photo.phash = phash
    return photo


# A photo still processing this long after upload lost its job (the broker was down, or the worker
# died): the sweep queues it again. Making thumbnails takes seconds.
PHOTO_REQUEUE_AFTER = timedelta(minutes=5)
PHOTO_REQUEUE_BATCH = 200


def listing_photos_requeue_waiting(*, now: datetime | None = None, limit: int = PHOTO_REQUEUE_BATCH) -> int:
    """The periodic sweep for `make_listing_photo_thumbnails`: queue the job again for up to `limit`
    photos, oldest first, still processing PHOTO_REQUEUE_AFTER after upload. The job does nothing for
    a photo that is ready or gone, so a photo queued twice is processed once. Returns how many were
    queued."""
    from listings.tasks import make_listing_photo_thumbnails

    cutoff = (now or timezone.now()) - PHOTO_REQUEUE_AFTER
    waiting = (
        ListingPhoto.objects.filter(status=PhotoStatus.PROCESSING, created_at__lte=cutoff)
        .order_by("created_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(enqueue(make_listing_photo_thumbnails, photo_id) for photo_id in waiting)


# --- Saved searches ------------------------------------------------------------------------------------

MAX_SAVED_SEARCHES = 20


def _frequency(value: object) -> SearchFrequency:
    try:
        return SearchFrequency(str(value))
    except ValueError:
        raise ListingError(_("Choose how often to hear of new items."), code="invalid_frequency") from None


@transaction.atomic
def saved_search_add(*, user: User, query: str, category: Category | None, frequency: object) -> SavedSearch:
    """Keep a search (its words and filters, as the channel's query string, and its category) and tell
    the user of new items that match it, as often as `frequency` says. The same search saved again
    changes only how often. Raises ListingError for a search with nothing in it, an unknown frequency,
    or more than MAX_SAVED_SEARCHES."""
    how_often = _frequency(frequency)
    canonical = saved_query(ChannelFilterForm(QueryDict(query)))
    if not canonical and category is None:
        raise ListingError(
            _("Search for some words, or choose a category or a filter, before saving the search."),
            code="empty_search",
        )
    User.objects.select_for_update().get(pk=user.pk)  # one saved search at a time per user, for the limit
    existing = SavedSearch.objects.filter(user=user, category=category, query=canonical).first()
    if existing is not None:
        existing.frequency = how_often
        existing.save(update_fields=["frequency"])
        return existing
    if SavedSearch.objects.filter(user=user).count() >= MAX_SAVED_SEARCHES:
        raise ListingError(
            _("You can keep up to %(count)d saved searches; remove one first.")
            % {"count": MAX_SAVED_SEARCHES},
            code="too_many_searches",
        )
    return SavedSearch.objects.create(user=user, query=canonical, category=category, frequency=how_often)


def saved_search_update(*, user: User, search_id: int, frequency: object) -> SavedSearch:
    """Change how often. Someone else's search raises SavedSearch.DoesNotExist."""
    how_often = _frequency(frequency)
    search = SavedSearch.objects.get(pk=search_id, user=user)
    search.frequency = how_often
    search.save(update_fields=["frequency"])
    return search


def saved_search_remove(*, user: User, search_id: int) -> None:
    """Someone else's search raises SavedSearch.DoesNotExist."""
    SavedSearch.objects.get(pk=search_id, user=user).delete()


# --- Search terms -------------------------------------------------------------------------------------

# A title word becomes a word typos are corrected to once this many listings on sale use it.
SEARCH_TERM_MIN_LISTINGS = 3
SEARCH_TERMS_MAX = 20_000
SEARCH_TERM_BATCH = 5_000


def search_terms_refresh(*, min_listings: int = SEARCH_TERM_MIN_LISTINGS) -> int:
    """Rebuilds the words a mistyped query may be corrected to (SearchTerm) from the titles of the
    listings on sale: every Latin word that at least `min_listings` of them use, the most used first
    up to SEARCH_TERMS_MAX, and on SQLite their trigrams. Replaces the table in one transaction, so
    running it twice, or readers meanwhile, see one whole vocabulary. Returns the number of words."""
    counts: Counter[str] = Counter()
    titles = Listing.objects.filter(status=ListingStatus.ACTIVE).values_list("title", flat=True)
    for title in titles.iterator(chunk_size=SEARCH_TERM_BATCH):
        counts.update(search.title_words(title))
    max_length = cast(int, SearchTerm._meta.get_field("word").max_length)
    kept = [
        SearchTerm(word=word, listings=used)
        for word, used in counts.most_common(SEARCH_TERMS_MAX)
        if used >= min_listings and len(word) <= max_length
    ]
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # A second run waits for the first instead of failing on its words.
            with connection.cursor() as cursor:
                cursor.execute("LOCK TABLE listings_searchterm IN EXCLUSIVE MODE")
        SearchTerm.objects.all().delete()
        terms = SearchTerm.objects.bulk_create(kept, batch_size=SEARCH_TERM_BATCH)
        if connection.vendor != "postgresql":
            SearchTermTrigram.objects.bulk_create(
                (
                    SearchTermTrigram(term=term, trigram=gram)
                    for term in terms
                    for gram in search.trigrams(term.word)
                ),
                batch_size=SEARCH_TERM_BATCH,
            )
    return len(terms)


def listing_counts_rebuild() -> None:
    """Counts the listings on sale into the facet table and the sellers' count table again, from
    scratch (triggers keep them in step; this is for after a bulk load with them switched off, or to
    repair). One transaction."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Writers' triggers wait for the new counts rather than change rows being replaced.
            cursor.execute("LOCK TABLE listings_facetcount, listings_sellercount IN EXCLUSIVE MODE")
        for statement in facet_sql.statements(facet_sql.REBUILD + seller_count_sql.REBUILD):
            cursor.execute(statement)


# The triggers that count listings (listings.facet_sql, listings.seller_count_sql).
COUNTING_TRIGGERS = (facet_sql.POSTGRESQL_TRIGGER, seller_count_sql.POSTGRESQL_TRIGGER)


@contextmanager
def listing_counts_in_bulk() -> Iterator[None]:
    """For a bulk load of listings (seed_bench, an import): on PostgreSQL the counting triggers are
    off while the listings go in, and the tables are counted once after. A million updates of a few
    hundred rows in one transaction would leave each row a chain of a million versions to walk
    (listings.facet_sql). Inside a caller's transaction (a test's few rows) the triggers stay on:
    PostgreSQL cannot alter a table with writes pending."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        for trigger in COUNTING_TRIGGERS:
            cursor.execute(f"ALTER TABLE listings_listing DISABLE TRIGGER {trigger}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for trigger in COUNTING_TRIGGERS:
                cursor.execute(f"ALTER TABLE listings_listing ENABLE TRIGGER {trigger}")
        listing_counts_rebuild()
