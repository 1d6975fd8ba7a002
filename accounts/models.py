from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person on Reloop: shopper and seller are the same account; staff belong to groups (roles.py)."""

    display_name = models.CharField(_("display name"), max_length=60, blank=True)
    city = models.CharField(_("city"), max_length=60, blank=True)
    bio = models.CharField(_("about"), max_length=280, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def public_name(self) -> str:
        return self.display_name or self.username
