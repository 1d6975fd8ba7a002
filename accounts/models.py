from decimal import Decimal
from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.text_language import written_language

if TYPE_CHECKING:
    from accounts.addresses import PostalAddress

# What a person writes about themselves, marked with its language on pages in the other one.
PROFILE_TEXT = ("display_name", "city", "bio")


class User(AbstractUser):
    """A person on Reloop: shopper and seller are the same account; staff belong to groups (roles.py)."""

    display_name = models.CharField(_("display name"), max_length=60, blank=True)
    city = models.CharField(_("city"), max_length=60, blank=True)
    bio = models.CharField(_("about"), max_length=280, blank=True)
    # The language the profile text above is written in (marketplace.text_language), set on save.
    profile_language = models.CharField(_("profile language"), max_length=8, default="en", editable=False)
    # The seller's rating, kept by orders.services.ratings with F() as each rating arrives, so that a
    # storefront or listing shows it without reading the ratings: points are the sum of every score
    # given (three per rating), count is the number of ratings.
    rating_count = models.PositiveIntegerField(_("ratings"), default=0)
    rating_points = models.PositiveIntegerField(_("rating points"), default=0)
    # When the person opened the link sent to `email` (accounts.email_confirmation). Until then the
    # account may sign in, browse and keep favourites and addresses, but not buy or sell.
    # The language the user last chose or signed in with: e-mails and notifications sent to them are
    # written in it (blank: the site's default).
    language = models.CharField(_("language"), max_length=8, blank=True, default="")
    email_confirmed_at = models.DateTimeField(_("e-mail confirmed"), null=True, blank=True)
    # Works for a partner provider (kept by providers.services.member_add): their staff roles open
    # only their provider's queues, never a desk of the whole marketplace (roles.require_platform_role).
    partner_staff = models.BooleanField(_("partner's staff"), default=False, editable=False)

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")  # type: ignore[assignment]  # the stubs type Meta's names as str, not lazy
        verbose_name_plural = _("users")  # type: ignore[assignment]

    def save(self, *args, **kwargs) -> None:
        self.profile_language = written_language(*(getattr(self, name) for name in PROFILE_TEXT))
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(PROFILE_TEXT) & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "profile_language"}
        super().save(*args, **kwargs)

    @property
    def rating_score(self) -> Decimal | None:
        """The average score out of 5, to one decimal; None before the first rating."""
        if not self.rating_count:
            return None
        return (Decimal(self.rating_points) / (3 * self.rating_count)).quantize(Decimal("0.1"))

    @property
    def email_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    @property
    def public_name(self) -> str:
        return self.display_name or self.username


class Address(models.Model):
    """A place where a user's parcels go or are collected: an entry of their address book.

    At most one address per user is the default (the constraint below); checkout and courier pickup
    offer it first. What the fields may hold is checked in accounts.addresses, and every write goes
    through its services, which keep "one default while the book has any address".
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="addresses", verbose_name=_("user"))
    name = models.CharField(_("recipient"), max_length=60)
    phone = models.CharField(_("phone"), max_length=20)
    region = models.CharField(_("province or state"), max_length=60)
    city = models.CharField(_("city"), max_length=60)
    street = models.CharField(_("street address"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=10)
    is_default = models.BooleanField(_("default address"), default=False)
    # The language the address is written in (marketplace.text_language), set on save.
    language = models.CharField(_("language"), max_length=8, default="en", editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        # The default first, then the newest: the order of the address book and of checkout's choices.
        ordering = ("-is_default", "-created_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(is_default=True),
                name="address_one_default_per_user",
                violation_error_message=_("A user can have only one default address."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.city}"

    def save(self, *args, **kwargs) -> None:
        self.language = written_language(self.name, self.region, self.city, self.street)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"name", "region", "city", "street"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "language"}
        super().save(*args, **kwargs)

    @property
    def postal(self) -> "PostalAddress":
        """The address as accounts.addresses.PostalAddress: what a label or a checkout copies."""
        # Imported here: accounts.addresses reads this model for its services.
        from accounts.addresses import PostalAddress

        return PostalAddress(
            name=self.name,
            phone=self.phone,
            region=self.region,
            city=self.city,
            street=self.street,
            postcode=self.postcode,
        )
