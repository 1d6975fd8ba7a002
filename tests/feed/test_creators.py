"""Creators: applying and staff's decision, the commission rates staff and private sellers set, the
videos and tracked links that feature items on sale, and the clicks on them. What a sale through a
link earns is tests/feed/test_commissions.py's."""

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import INSPECTORS, RoleRequired
from feed.creators import REFUSALS, current_rate, rate_from_percent
from feed.errors import CreatorError, NotACreator
from feed.models import (
    CategoryCommissionRate,
    Creator,
    CreatorLink,
    CreatorStatus,
    CreatorVideo,
    LinkClick,
    ListingCommissionRate,
)
from feed.services.creators import (
    MAX_ITEMS_PER_VIDEO,
    category_rate_set,
    creator_apply,
    creator_decide,
    creator_link_add,
    creator_video_upload,
    link_click,
    listing_rate_set,
)
from listings import videos
from listings.errors import ListingError
from listings.models import Listing, ListingSource, ListingStatus, VideoStatus
from listings.photos import private_storage
from notifications.models import Notification
from tests.consignment.test_agreement import accepted
from tests.factories import CategoryFactory, ListingFactory, UserFactory
from tests.feed.creator_helpers import approved_creator, operations_staff, video_of

pytestmark = pytest.mark.django_db

PITCH = "Film cameras I try out, and what to look for when buying one."
CLIP = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 1000  # only kept: the video job, not run here, reads it


def clip() -> SimpleUploadedFile:
    return SimpleUploadedFile("clip.mp4", CLIP, content_type="video/mp4")


def kept_files(settings) -> list[Path]:
    """Every file in private storage: where uploads are kept as sent."""
    return [path for path in Path(settings.PRIVATE_MEDIA_ROOT).rglob("*") if path.is_file()]


@pytest.fixture(params=["superuser", "operations"])
def staff(request):
    """Who may decide applications and set category rates: a superuser, or anyone in operations."""
    return UserFactory(is_superuser=True) if request.param == "superuser" else operations_staff()


# --- Applying, and staff's decision ------------------------------------------------------------------


def test_staff_approve_an_application_and_the_applicant_is_told(staff):
    # given
    applicant = UserFactory()
    creator = creator_apply(user=applicant, handle=" @Film_Maker ", pitch=f"  {PITCH}\n")
    assert (creator.handle, creator.pitch, creator.status) == ("film_maker", PITCH, CreatorStatus.APPLIED)

    # when
    creator_decide(creator_id=creator.pk, by=staff, approve=True, reason="ignored")

    # then
    creator.refresh_from_db()
    assert (creator.status, creator.reason, creator.decided_by) == (CreatorStatus.APPROVED, "", staff)
    assert creator.decided_at is not None
    notice = Notification.objects.get(recipient=applicant)
    assert (notice.kind, notice.title, notice.link) == (
        "creator.approved",
        "You are a Reloop creator",
        reverse("feed:creator_dashboard"),
    )


def test_staff_refuse_with_a_reason_the_applicant_reads_and_they_may_apply_again(staff):
    # given
    applicant = UserFactory()
    creator = creator_apply(user=applicant, handle="filmmaker", pitch=PITCH)

    # when
    creator_decide(creator_id=creator.pk, by=staff, approve=False, reason="  Your videos show no items.  ")

    # then
    creator.refresh_from_db()
    assert (creator.status, creator.reason, creator.decided_by) == (
        CreatorStatus.REFUSED,
        "Your videos show no items.",
        staff,
    )
    notice = Notification.objects.get(recipient=applicant)
    assert notice.kind == "creator.refused"
    assert notice.body == (
        "Reloop did not approve your application; you may apply again. The reason: Your videos show no items."
    )

    again = creator_apply(user=applicant, handle="filmmaker2", pitch="Lenses, mostly.")
    assert (again.pk, again.status, again.handle, again.pitch, again.reason, again.decided_by) == (
        creator.pk,
        CreatorStatus.APPLIED,
        "filmmaker2",
        "Lenses, mostly.",
        "",
        None,
    )
    assert Creator.objects.count() == 1


@pytest.mark.parametrize("reason", ["", "   ", None, "x" * 301])
def test_a_refusal_needs_a_reason_that_fits_and_nothing_changes_without_one(staff, reason):
    creator = creator_apply(user=UserFactory(), handle="filmmaker", pitch=PITCH)

    with pytest.raises(CreatorError) as error:
        creator_decide(creator_id=creator.pk, by=staff, approve=False, reason=reason)

    assert (error.value.code, error.value.field) == ("reason", "reason")
    creator.refresh_from_db()
    assert (creator.status, creator.decided_by, creator.decided_at) == (CreatorStatus.APPLIED, None, None)
    assert not Notification.objects.exists()


@pytest.mark.parametrize("who", ["applicant", "shopper", "inspector"])
def test_only_operations_decide_an_application(who):
    applicant = UserFactory()
    creator = creator_apply(user=applicant, handle="filmmaker", pitch=PITCH)
    by = applicant if who == "applicant" else UserFactory()
    if who == "inspector":
        by.groups.add(Group.objects.get_or_create(name=INSPECTORS)[0])

    with pytest.raises(RoleRequired):
        creator_decide(creator_id=creator.pk, by=by, approve=True)

    creator.refresh_from_db()
    assert (creator.status, creator.decided_by) == (CreatorStatus.APPLIED, None)
    assert not Notification.objects.exists()


def test_an_application_is_decided_once():
    staff = operations_staff()
    creator = creator_apply(user=UserFactory(), handle="filmmaker", pitch=PITCH)
    creator_decide(creator_id=creator.pk, by=staff, approve=True)

    with pytest.raises(CreatorError) as error:
        creator_decide(
            creator_id=creator.pk, by=operations_staff(), approve=False, reason="Changed our minds"
        )

    assert error.value.code == "already_decided"
    creator.refresh_from_db()
    assert (creator.status, creator.decided_by) == (CreatorStatus.APPROVED, staff)
    assert Notification.objects.filter(recipient=creator.user).count() == 1


@pytest.mark.parametrize("handle", ["ab", "has space", "-dash", "_under", "x" * 31, "", None, "名字", "a/b"])
def test_a_bad_handle_is_refused_and_nothing_is_written(handle):
    with pytest.raises(CreatorError) as error:
        creator_apply(user=UserFactory(), handle=handle, pitch=PITCH)

    assert (error.value.code, error.value.field) == ("handle", "handle")
    assert not Creator.objects.exists()


@pytest.mark.parametrize("pitch", ["", "  ", None, "x" * 1001])
def test_an_application_says_what_they_will_post_about(pitch):
    with pytest.raises(CreatorError) as error:
        creator_apply(user=UserFactory(), handle="filmmaker", pitch=pitch)

    assert (error.value.code, error.value.field) == ("pitch", "pitch")
    assert not Creator.objects.exists()


def test_a_handle_someone_has_is_taken_whatever_its_case():
    first = creator_apply(user=UserFactory(), handle="filmmaker", pitch=PITCH)
    other = UserFactory()

    with pytest.raises(CreatorError) as error:
        creator_apply(user=other, handle="@FilmMaker", pitch=PITCH)

    assert (error.value.code, error.value.field) == ("handle_taken", "handle")
    assert list(Creator.objects.values_list("pk", "user")) == [(first.pk, first.user_id)]


def test_a_refused_applicant_cannot_take_a_handle_someone_else_has_meanwhile():
    staff = operations_staff()
    refused = creator_apply(user=UserFactory(), handle="filmmaker", pitch=PITCH)
    creator_decide(creator_id=refused.pk, by=staff, approve=False, reason="No items in your videos")
    creator_apply(user=UserFactory(), handle="lensmaker", pitch=PITCH)

    with pytest.raises(CreatorError) as error:
        creator_apply(user=refused.user, handle="lensmaker", pitch=PITCH)

    assert error.value.code == "handle_taken"
    refused.refresh_from_db()
    assert (refused.handle, refused.status) == ("filmmaker", CreatorStatus.REFUSED)


@pytest.mark.parametrize("decided", [None, "approved"])
def test_applying_twice_is_refused_while_waiting_or_once_approved(decided):
    applicant = UserFactory()
    creator = creator_apply(user=applicant, handle="filmmaker", pitch=PITCH)
    if decided:
        creator_decide(creator_id=creator.pk, by=operations_staff(), approve=True)

    with pytest.raises(CreatorError) as error:
        creator_apply(user=applicant, handle="another", pitch="Something else")

    assert error.value.code == "already_applied"
    assert str(error.value) == ("You are a creator already." if decided else "You have applied already.")
    creator.refresh_from_db()
    assert (creator.handle, creator.pitch) == ("filmmaker", PITCH)
    assert Creator.objects.count() == 1


# --- Commission rates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "rate"),
    [("8", "0.08"), ("12.5", "0.125"), (" 7.25% ", "0.0725"), ("0", "0"), ("50", "0.5"), (10, "0.1")],
)
def test_a_rate_is_typed_as_a_percentage(typed, rate):
    assert rate_from_percent(typed) == Decimal(rate)


def test_staff_set_a_category_rate_and_links_shared_then_carry_it(staff):
    # given
    camera = ListingFactory()
    assert current_rate(camera) == Decimal("0.05")  # CREATOR_COMMISSION_RATE: no rate set for the category

    # when
    category_rate_set(category_id=camera.category_id, by=staff, rate="12.5")
    row = category_rate_set(category_id=camera.category_id, by=staff, rate="8")

    # then
    row.refresh_from_db()
    assert (row.category_id, row.rate, row.updated_by) == (camera.category_id, Decimal("0.08"), staff)
    assert CategoryCommissionRate.objects.count() == 1
    assert current_rate(camera) == Decimal("0.08")
    creator = approved_creator()
    link = creator_link_add(by=creator.user, video_id=video_of(creator).pk, listing_id=camera.pk)
    assert (link.rate, link.percent) == (Decimal("0.08"), "8")


BAD_RATES = [
    ("-1", "rate_range"),
    ("51", "rate_range"),
    ("50.01", "rate_range"),
    ("1e30", "rate_range"),
    ("abc", "rate"),
    ("12.345", "rate"),
    ("", "rate"),
    (None, "rate"),
    ("NaN", "rate"),
    ("Infinity", "rate"),
    ("8,5", "rate"),
]


@pytest.mark.parametrize(("rate", "code"), BAD_RATES)
def test_a_bad_category_rate_is_refused_and_nothing_changes(rate, code):
    staff = operations_staff()
    category, unset = CategoryFactory(), CategoryFactory()
    category_rate_set(category_id=category.pk, by=staff, rate="8")

    for category_id in (category.pk, unset.pk):
        with pytest.raises(CreatorError) as error:
            category_rate_set(category_id=category_id, by=staff, rate=rate)
        assert (error.value.code, error.value.field) == (code, "rate")

    assert list(CategoryCommissionRate.objects.values_list("category_id", "rate")) == [
        (category.pk, Decimal("0.08"))
    ]


def test_only_operations_set_a_category_rate():
    category = CategoryFactory()

    with pytest.raises(RoleRequired):
        category_rate_set(category_id=category.pk, by=UserFactory(), rate="8")

    assert not CategoryCommissionRate.objects.exists()


def test_a_private_seller_offers_creators_more_on_their_item_never_less_than_the_category():
    # given
    seller = UserFactory()
    camera = ListingFactory(seller=seller)
    category_rate_set(category_id=camera.category_id, by=operations_staff(), rate="8")

    # when
    listing_rate_set(listing_id=camera.pk, by=seller, rate="12")

    # then
    assert current_rate(camera) == Decimal("0.12")
    with pytest.raises(CreatorError) as error:
        listing_rate_set(listing_id=camera.pk, by=seller, rate="5")
    assert (error.value.code, error.value.field) == ("rate_below_category", "rate")
    assert "8%" in str(error.value)
    assert list(ListingCommissionRate.objects.values_list("listing_id", "rate")) == [
        (camera.pk, Decimal("0.12"))
    ]
    assert current_rate(camera) == Decimal("0.12")


def test_a_seller_who_offers_the_categorys_rate_takes_their_own_away_and_staff_may_raise_past_it():
    seller, staff = UserFactory(), operations_staff()
    camera = ListingFactory(seller=seller)
    listing_rate_set(listing_id=camera.pk, by=seller, rate="12")

    listing_rate_set(listing_id=camera.pk, by=seller, rate="5")  # CREATOR_COMMISSION_RATE

    assert not ListingCommissionRate.objects.exists()
    listing_rate_set(listing_id=camera.pk, by=seller, rate="12")
    category_rate_set(category_id=camera.category_id, by=staff, rate="20")
    assert current_rate(camera) == Decimal("0.2")  # the higher of the two


@pytest.mark.parametrize(("rate", "code"), BAD_RATES)
def test_a_bad_item_rate_is_refused_and_nothing_changes(rate, code):
    seller = UserFactory()
    camera = ListingFactory(seller=seller)
    listing_rate_set(listing_id=camera.pk, by=seller, rate="12")

    with pytest.raises(CreatorError) as error:
        listing_rate_set(listing_id=camera.pk, by=seller, rate=rate)

    assert (error.value.code, error.value.field) == (code, "rate")
    assert list(ListingCommissionRate.objects.values_list("listing_id", "rate")) == [
        (camera.pk, Decimal("0.12"))
    ]


@pytest.mark.parametrize("whose", ["someone else's", "Reloop's stock", "consigned"])
def test_a_seller_sets_a_rate_only_on_their_own_private_items(whose):
    seller = UserFactory()
    if whose == "someone else's":
        item = ListingFactory()
    else:
        source = ListingSource.PLATFORM if whose == "Reloop's stock" else ListingSource.CONSIGNED
        item = ListingFactory(seller=seller, source=source)

    with pytest.raises(Listing.DoesNotExist):
        listing_rate_set(listing_id=item.pk, by=seller, rate="20")

    assert not ListingCommissionRate.objects.exists()


# --- Videos and their links ---------------------------------------------------------------------------


def test_a_creator_posts_a_video_with_a_link_to_each_item_carrying_todays_rate(settings):
    # given
    creator = approved_creator()
    camera, lens = ListingFactory(), ListingFactory()
    listing_rate_set(listing_id=lens.pk, by=lens.seller, rate="15")

    # when
    video = creator_video_upload(
        by=creator.user,
        upload=clip(),
        caption="  Two for the weekend ",
        listing_ids=[str(camera.pk), lens.pk, camera.pk],
    )

    # then
    video.refresh_from_db()
    assert (video.creator, video.caption, video.size, video.status, video.uploaded_by) == (
        creator,
        "Two for the weekend",
        len(CLIP),
        VideoStatus.UPLOADED,  # its job runs once the upload commits
        creator.user,
    )
    links = {link.listing_id: link for link in video.links.all()}
    assert {listing_id: link.rate for listing_id, link in links.items()} == {
        camera.pk: Decimal("0.05"),
        lens.pk: Decimal("0.15"),
    }
    for link in links.values():
        assert link.rate_locked_until == link.created_at + timedelta(days=settings.CREATOR_RATE_LOCK_DAYS)
        assert len(link.code) == 10
    assert links[camera.pk].code != links[lens.pk].code
    with private_storage().open(videos.original_name(video.key), "rb") as kept:
        assert kept.read() == CLIP


@pytest.mark.parametrize(
    "status", [ListingStatus.SOLD, ListingStatus.WITHDRAWN, ListingStatus.DRAFT, ListingStatus.RESERVED]
)
def test_a_video_featuring_an_item_not_on_sale_is_refused_and_nothing_is_kept(settings, status):
    creator = approved_creator()
    on_sale, gone = ListingFactory(), ListingFactory(status=status)

    with pytest.raises(CreatorError) as error:
        creator_video_upload(by=creator.user, upload=clip(), caption="Two", listing_ids=[on_sale.pk, gone.pk])

    assert (error.value.code, error.value.field) == ("not_on_sale", "listings")
    assert not CreatorVideo.objects.exists()
    assert not CreatorLink.objects.exists()
    assert kept_files(settings) == []


@pytest.mark.parametrize(
    ("listing_ids", "code"),
    [
        ([], "listings"),
        (["abc"], "listings"),
        ([10**9], "not_on_sale"),
        ("own", "own_item"),
        ("seven", "listings"),
    ],
)
def test_a_video_needs_up_to_six_items_on_sale_that_are_not_the_creators(settings, listing_ids, code):
    creator = approved_creator()
    if listing_ids == "own":
        listing_ids = [ListingFactory().pk, ListingFactory(seller=creator.user).pk]
    elif listing_ids == "seven":
        listing_ids = [ListingFactory().pk for _ in range(MAX_ITEMS_PER_VIDEO + 1)]

    with pytest.raises(CreatorError) as error:
        creator_video_upload(by=creator.user, upload=clip(), caption="My picks", listing_ids=listing_ids)

    assert error.value.code == code
    assert not CreatorVideo.objects.exists()
    assert not CreatorLink.objects.exists()
    assert kept_files(settings) == []


def test_only_an_approved_creator_posts_a_video(settings):
    waiting = creator_apply(user=UserFactory(), handle="filmmaker", pitch=PITCH)

    for user in (waiting.user, UserFactory()):
        with pytest.raises(NotACreator):
            creator_video_upload(
                by=user, upload=clip(), caption="My picks", listing_ids=[ListingFactory().pk]
            )

    assert not CreatorVideo.objects.exists()
    assert kept_files(settings) == []


@pytest.mark.parametrize("caption", ["", "   ", None, "x" * 201])
def test_a_video_needs_a_caption_that_fits(settings, caption):
    creator = approved_creator()

    with pytest.raises(CreatorError) as error:
        creator_video_upload(
            by=creator.user, upload=clip(), caption=caption, listing_ids=[ListingFactory().pk]
        )

    assert (error.value.code, error.value.field) == ("caption", "caption")
    assert not CreatorVideo.objects.exists()
    assert kept_files(settings) == []


def test_a_video_past_the_size_limit_is_refused_before_anything_is_kept(settings):
    settings.LISTING_VIDEO_MAX_BYTES = len(CLIP) - 1
    creator = approved_creator()

    with pytest.raises(ListingError) as error:
        creator_video_upload(
            by=creator.user, upload=clip(), caption="My picks", listing_ids=[ListingFactory().pk]
        )

    assert (error.value.code, error.value.field) == ("too_large", "video")
    assert not CreatorVideo.objects.exists()
    assert kept_files(settings) == []


def test_a_creator_adds_a_link_to_one_more_item_to_their_video():
    creator = approved_creator()
    video = video_of(creator)
    camera = ListingFactory()

    link = creator_link_add(by=creator.user, video_id=video.pk, listing_id=str(camera.pk))

    assert (link.video, link.listing, link.rate) == (video, camera, Decimal("0.05"))
    with pytest.raises(CreatorError) as error:
        creator_link_add(by=creator.user, video_id=video.pk, listing_id=camera.pk)
    assert error.value.code == "linked_already"
    assert CreatorLink.objects.count() == 1


def test_a_video_links_to_at_most_six_items():
    creator = approved_creator()
    video = video_of(creator)
    for _ in range(MAX_ITEMS_PER_VIDEO):
        creator_link_add(by=creator.user, video_id=video.pk, listing_id=ListingFactory().pk)

    with pytest.raises(CreatorError) as error:
        creator_link_add(by=creator.user, video_id=video.pk, listing_id=ListingFactory().pk)

    assert error.value.code == "listings"
    assert video.links.count() == MAX_ITEMS_PER_VIDEO


@pytest.mark.parametrize("status", [ListingStatus.SOLD, ListingStatus.WITHDRAWN, ListingStatus.DRAFT])
def test_a_link_to_an_item_not_on_sale_is_refused(status):
    creator = approved_creator()
    video = video_of(creator)

    with pytest.raises(CreatorError) as error:
        creator_link_add(by=creator.user, video_id=video.pk, listing_id=ListingFactory(status=status).pk)

    assert (error.value.code, error.value.field) == ("not_on_sale", "listings")
    assert not CreatorLink.objects.exists()


def test_a_link_to_the_creators_own_item_is_refused():
    creator = approved_creator()
    video = video_of(creator)
    own = ListingFactory(seller=creator.user, title="My old Leica")

    with pytest.raises(CreatorError) as error:
        creator_link_add(by=creator.user, video_id=video.pk, listing_id=own.pk)

    assert error.value.code == "own_item"
    assert "My old Leica" in str(error.value)
    assert not CreatorLink.objects.exists()
    assert str(REFUSALS["own_item"]).startswith("The item is your own")


def test_an_item_the_creator_consigned_is_their_own_though_reloop_sells_it(settings):
    # given: Reloop lists the creator's consigned camera under its own account
    creator = approved_creator()
    consigned = accepted(seller=creator.user).listing
    assert (consigned.source, consigned.status) == (ListingSource.CONSIGNED, ListingStatus.ACTIVE)
    assert consigned.seller != creator.user

    # when / then
    with pytest.raises(CreatorError) as error:
        creator_link_add(by=creator.user, video_id=video_of(creator).pk, listing_id=consigned.pk)
    assert error.value.code == "own_item"
    with pytest.raises(CreatorError) as error:
        creator_video_upload(by=creator.user, upload=clip(), caption="My picks", listing_ids=[consigned.pk])
    assert error.value.code == "own_item"
    assert not CreatorLink.objects.exists()
    assert kept_files(settings) == []


def test_a_creator_cannot_add_a_link_to_someone_elses_video():
    creator, other = approved_creator(), approved_creator()
    theirs = video_of(other)

    with pytest.raises(CreatorVideo.DoesNotExist):
        creator_link_add(by=creator.user, video_id=theirs.pk, listing_id=ListingFactory().pk)

    assert not CreatorLink.objects.exists()


def test_a_refused_creator_adds_no_link_to_their_old_video():
    creator = approved_creator()
    video = video_of(creator)
    Creator.objects.filter(pk=creator.pk).update(status=CreatorStatus.REFUSED)

    with pytest.raises(NotACreator):
        creator_link_add(by=creator.user, video_id=video.pk, listing_id=ListingFactory().pk)

    assert not CreatorLink.objects.exists()


# --- Clicks -------------------------------------------------------------------------------------------


def test_a_click_is_the_shoppers_or_their_sessions_and_nobodys_is_not_counted():
    creator, shopper = approved_creator(), UserFactory()
    video = video_of(creator)
    link = creator_link_add(by=creator.user, video_id=video.pk, listing_id=ListingFactory().pk)

    opened, signed_in = link_click(code=link.code, user=shopper, session_key="ignored")
    _opened, signed_out = link_click(code=link.code, user=None, session_key="s" * 32)
    _opened, nobody = link_click(code=link.code, user=None, session_key="")

    assert opened == link
    assert (signed_in.user, signed_in.session_key) == (shopper, "")
    assert (signed_out.user, signed_out.session_key) == (None, "s" * 32)
    assert nobody is None
    assert LinkClick.objects.count() == 2
    with pytest.raises(CreatorLink.DoesNotExist):
        link_click(code="nosuchcode", user=shopper, session_key="")


def test_an_approval_ignores_a_reason_however_long():
    creator = Creator.objects.create(user=UserFactory(), handle="longwinded", pitch="Things.")
    staff = UserFactory(is_superuser=True)

    creator_decide(creator_id=creator.pk, by=staff, approve=True, reason="x" * 400)

    creator.refresh_from_db()
    assert (creator.status, creator.reason) == (CreatorStatus.APPROVED, "")
