"""Creators, their videos and links, and shoppers' clicks, for tests that are not about how they got
there. Rows are written as the services would leave them; links are shared through
`creator_link_add`, so that they carry the rate of the day as a real one does."""

from datetime import timedelta

from django.contrib.auth.models import Group
from django.db.models import F
from django.utils import timezone

from accounts.roles import OPERATIONS
from feed.models import Creator, CreatorLink, CreatorStatus, CreatorVideo, LinkClick
from feed.services.creators import creator_link_add, link_click
from listings.photos import new_key
from orders.models import Order
from orders.signals import order_paid
from tests.factories import UserFactory
from tests.orders.helpers import delivered_order, paid_order


def operations_staff(**fields):
    user = UserFactory(**fields)
    user.groups.add(Group.objects.get_or_create(name=OPERATIONS)[0])
    return user


def approved_creator(user=None, *, handle: str = "") -> Creator:
    """A creator staff approved."""
    user = user or UserFactory()
    return Creator.objects.create(
        user=user,
        handle=handle or f"maker{user.pk}",
        pitch="Film cameras, tried out before I post them.",
        status=CreatorStatus.APPROVED,
        decided_at=timezone.now(),
    )


def video_of(creator: Creator) -> CreatorVideo:
    """A video the creator posted, waiting for its job (which no test here runs)."""
    return CreatorVideo.objects.create(
        creator=creator,
        key=new_key(),
        size=1024,
        uploaded_by=creator.user,
        caption="Three cameras under ¥1,000",
    )


def shared_link(creator: Creator, listing, *, days_ago: float = 0) -> CreatorLink:
    """The creator's link to `listing` in a new video of theirs, shared at the rate of today and then
    moved `days_ago` days into the past (its rate lock with it)."""
    link = creator_link_add(by=creator.user, video_id=video_of(creator).pk, listing_id=listing.pk)
    if days_ago:
        shift = timedelta(days=days_ago)
        CreatorLink.objects.filter(pk=link.pk).update(
            created_at=F("created_at") - shift, rate_locked_until=F("rate_locked_until") - shift
        )
        link.refresh_from_db()
    return link


def clicked(link: CreatorLink, user, *, days_ago: float = 0) -> LinkClick:
    """`user` opened the link, `days_ago` days ago."""
    _link, click = link_click(code=link.code, user=user, session_key="")
    if days_ago:
        LinkClick.objects.filter(pk=click.pk).update(at=timezone.now() - timedelta(days=days_ago))
        click.refresh_from_db()
    return click


def bought(listing, buyer, *, delivered: bool = False, **fields) -> Order:
    """`buyer` paid for `listing` now, and the orders app announced it (`order_paid`, as the payment
    service does once the payment commits); `delivered`, and the parcel has reached them since."""
    order = (delivered_order if delivered else paid_order)(buyer=buyer, listing=listing, **fields)
    order_paid.send(sender=Order, order=order)
    return order
