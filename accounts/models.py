from decimal import Decimal

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.text_language import written_language

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

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")

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
    def public_name(self) -> str:
        return self.display_name or self.username
