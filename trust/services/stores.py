"""Writes for stores: applying with the trader's details, changing the store, staff's verification,
and closing. The deposit is trust.services.deposits'.

Who may: anyone signed in with a confirmed e-mail address applies, for one store; its owner changes
and closes it; operations staff verify or reject, a rejection with its reason.
"""

import re
from datetime import timedelta
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.email_confirmation import require_confirmed_email
from accounts.models import User
from accounts.roles import OPERATIONS
from marketplace.errors import InvalidTransition
from providers.scope import require_platform_role
from trust.errors import StoreError
from trust.logos import logo_delete, logo_store
from trust.models import Level, Store, StoreEvent, StoreStatus
from trust.notices import store_notify_decided
from trust.published import published_ensure
from trust.services.deposits import deposit_holds_refresh

# Store: applied → verified | rejected; rejected → applied (again); any → closed.
ALLOWED = {
    StoreStatus.APPLIED: {StoreStatus.VERIFIED, StoreStatus.REJECTED, StoreStatus.CLOSED},
    StoreStatus.REJECTED: {StoreStatus.APPLIED, StoreStatus.CLOSED},
    StoreStatus.VERIFIED: {StoreStatus.APPLIED, StoreStatus.CLOSED},
    StoreStatus.CLOSED: set(),
}

# What the owner may change, and which of those are the trader's details: changing one of those
# sends a verified store back to staff.
STORE_FIELDS = ("name", "description", "policies")
TRADER_FIELDS = ("legal_name", "registration_number", "address", "contact_email", "contact_phone")
REGISTRATION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ./-]{3,39}$")
# Addresses that are pages of their own (trust.urls).
RESERVED_SLUGS = {"open"}
PHONE = re.compile(r"^\+?[0-9][0-9 -]{5,28}[0-9]$")


def store_move(
    *,
    store: Store,
    to: StoreStatus,
    by: User | None,
    message: str,
    params: dict | None = None,
    note: str = "",
) -> Store:
    """Check, record, save. The caller holds the store's row lock. Raises InvalidTransition."""
    if to not in ALLOWED[StoreStatus(store.status)]:
        raise InvalidTransition(store.status, to)
    StoreEvent.objects.create(
        store=store,
        old=store.status,
        new=to,
        by=by,
        message=message,
        params=StoreEvent.message_params(message, params),
        note=note[:300],
    )
    store.status = to
    store.save()
    return store


# Each detail: its most characters, whether it must be given, and what to say when it is wrong.
DETAILS = {
    "name": (60, True, gettext_lazy("Give the store a name of up to 60 characters.")),
    "description": (2000, False, gettext_lazy("Keep the description under 2,000 characters.")),
    "policies": (2000, False, gettext_lazy("Keep the policies under 2,000 characters.")),
    "legal_name": (
        120,
        True,
        gettext_lazy("Give the trader's legal name, as registered, in up to 120 characters."),
    ),
    "registration_number": (
        40,
        True,
        gettext_lazy("Give the trade register number, 4 to 40 letters and digits."),
    ),
    "address": (300, True, gettext_lazy("Give the registered address, in up to 300 characters.")),
    "contact_email": (254, True, gettext_lazy("Give an e-mail address where shoppers can reach the store.")),
    "contact_phone": (30, True, gettext_lazy("Give a phone number where shoppers can reach the store.")),
}


def _cleaned(values: dict) -> dict:
    """The store's fields checked and stripped. Raises StoreError on the first at fault."""
    cleaned = {}
    for field, (max_length, required, message) in DETAILS.items():
        text = str(values.get(field) or "").strip()
        if (required and not text) or len(text) > max_length:
            raise StoreError(str(message), code=field, field=field)
        cleaned[field] = text
    try:
        validate_email(cleaned["contact_email"])
        email_ok = True
    except ValidationError:
        email_ok = False
    for field, ok in (
        ("name", len(cleaned["name"]) >= 2),
        ("registration_number", bool(REGISTRATION.match(cleaned["registration_number"]))),
        ("contact_email", email_ok),
        ("contact_phone", bool(PHONE.match(cleaned["contact_phone"]))),
    ):
        if not ok:
            raise StoreError(str(DETAILS[field][2]), code=field, field=field)
    return cleaned


def starting_level() -> Level:
    """Rank 1, where every store starts (made again in a database emptied since the migrations)."""
    level = Level.objects.order_by("rank").first()
    if level is None:
        published_ensure()
        level = Level.objects.order_by("rank")[0]
    return level


def _slug_for(name: str, owner: User) -> str:
    """The store's address: its name in Latin letters, or `store-<owner>` for a name with none; the
    owner's number makes a taken one unique."""
    slug = slugify(name)[:30].strip("-") or f"store-{owner.pk}"
    if slug in RESERVED_SLUGS or Store.objects.filter(slug=slug).exclude(owner=owner).exists():
        slug = f"{slug}-{owner.pk}"
    return slug


def _name_taken(name: str, owner: User) -> bool:
    return Store.objects.filter(name__iexact=name).exclude(owner=owner).exists()


def _taken() -> StoreError:
    return StoreError(_("Another store has that name; choose another."), code="name_taken", field="name")


@transaction.atomic
def store_apply(*, owner: User, logo: IO[bytes] | None = None, **details: object) -> Store:
    """Open a store: its name, description, policies, logo and the trader's details, sent to staff
    for verification; or apply again with changed details after a rejection. Raises StoreError for
    bad details, a taken name, or a store that is waiting, verified or closed already; PhotoRejected
    for a logo that is no photo we accept. Nothing is kept then."""
    require_confirmed_email(owner)
    cleaned = _cleaned(details)
    store = Store.objects.select_for_update().filter(owner=owner).first()
    if store is not None and store.status != StoreStatus.REJECTED:
        messages = {
            StoreStatus.APPLIED: _("Your store is waiting for verification already."),
            StoreStatus.VERIFIED: _("You have a store already."),
            StoreStatus.CLOSED: _("Your store is closed; a closed store cannot open again."),
        }
        raise StoreError(messages[StoreStatus(store.status)], code="already_applied")
    if _name_taken(cleaned["name"], owner):
        raise _taken()
    logo_key = logo_store(logo) if logo is not None else ""
    try:
        with transaction.atomic():
            if store is None:
                store = Store.objects.create(
                    owner=owner,
                    slug=_slug_for(cleaned["name"], owner),
                    logo_key=logo_key,
                    level=starting_level(),
                    status=StoreStatus.APPLIED,
                    **cleaned,
                )
                StoreEvent.objects.create(
                    store=store, old="", new=StoreStatus.APPLIED, by=owner, message="store.applied"
                )
                return store
            old_logo = store.logo_key
            for name, value in cleaned.items():
                setattr(store, name, value)
            store.slug = _slug_for(cleaned["name"], owner)
            if logo_key:
                store.logo_key = logo_key
            store_move(store=store, to=StoreStatus.APPLIED, by=owner, message="store.applied")
    except IntegrityError:  # the same name taken at the same moment
        if logo_key:
            logo_delete(logo_key)
        raise _taken() from None
    if logo_key and old_logo:
        transaction.on_commit(lambda: logo_delete(old_logo))
    return store


@transaction.atomic
def store_update(*, owner: User, logo: IO[bytes] | None = None, **changes: object) -> Store:
    """The owner changes the store. New trader details send a verified store back to staff (the
    badge goes until they are verified again). Raises StoreError as store_apply does, and for a
    closed store; Store.DoesNotExist for a user with none."""
    unknown = set(changes) - set(STORE_FIELDS) - set(TRADER_FIELDS)
    if unknown:
        raise TypeError(f"store_update() cannot change {', '.join(sorted(unknown))}")
    store = Store.objects.select_for_update().get(owner=owner)
    if store.status == StoreStatus.CLOSED:
        raise StoreError(_("Your store is closed; a closed store cannot open again."), code="store_closed")
    cleaned = _cleaned({name: getattr(store, name) for name in (*STORE_FIELDS, *TRADER_FIELDS)} | changes)
    if cleaned["name"] != store.name and _name_taken(cleaned["name"], owner):
        raise _taken()
    trader_changed = any(cleaned[name] != getattr(store, name) for name in TRADER_FIELDS)
    old_logo = store.logo_key
    logo_key = logo_store(logo) if logo is not None else ""
    try:
        with transaction.atomic():
            for name, value in cleaned.items():
                setattr(store, name, value)
            if logo_key:
                store.logo_key = logo_key
            if trader_changed and store.status == StoreStatus.VERIFIED:
                store.verified_at = None
                store_move(store=store, to=StoreStatus.APPLIED, by=owner, message="store.applied")
                deposit_holds_refresh(store=store)
            else:
                store.save()
    except IntegrityError:
        if logo_key:
            logo_delete(logo_key)
        raise _taken() from None
    if logo_key and old_logo:
        transaction.on_commit(lambda: logo_delete(old_logo))
    return store


@transaction.atomic
def store_decide(*, store_id: int, by: User, verify: bool, reason: object = "") -> Store:
    """Operations verify a store's trader details, or reject them with the reason; the owner is
    told. Raises RoleRequired for anyone else (PermissionDenied for a partner's staff), StoreError for a rejection without a reason or a
    store not waiting, Store.DoesNotExist for none."""
    require_platform_role(by, OPERATIONS)
    store = Store.objects.select_for_update().select_related("owner").get(pk=store_id)
    if store.status != StoreStatus.APPLIED:
        raise StoreError(_("This store is not waiting for verification."), code="already_decided")
    reason_text = "" if verify else str(reason or "").strip()
    if not verify and not reason_text:
        raise StoreError(_("Say why the details cannot be verified."), code="reason", field="reason")
    if len(reason_text) > 300:
        raise StoreError(_("Keep the reason under 300 characters."), code="reason", field="reason")
    if verify:
        store.verified_at = timezone.now()
        store_move(store=store, to=StoreStatus.VERIFIED, by=by, message="store.verified")
    else:
        store_move(store=store, to=StoreStatus.REJECTED, by=by, message="store.rejected", note=reason_text)
    deposit_holds_refresh(store=store)
    transaction.on_commit(
        lambda: store_notify_decided(store=store, reason=reason_text, link=reverse("trust:manage")),
        robust=True,
    )
    return store


@transaction.atomic
def store_close(*, owner: User) -> Store:
    """The owner closes the store: it stops showing, its holds lift (the owner sells as a private
    seller again), and what is left of the deposit goes back to the wallet once the tail has passed
    (trust.services.deposits.deposits_refund_due). Raises StoreError for a store closed already,
    Store.DoesNotExist for none."""
    store = Store.objects.select_for_update().get(owner=owner)
    if store.status == StoreStatus.CLOSED:
        raise StoreError(_("Your store is closed already."), code="store_closed")
    now = timezone.now()
    store.closed_at = now
    store.deposit_refund_due = now + timedelta(days=settings.STORE_DEPOSIT_TAIL_DAYS)
    store_move(
        store=store,
        to=StoreStatus.CLOSED,
        by=owner,
        message="store.closed",
        params={"date": timezone.localdate(store.deposit_refund_due).isoformat()},
    )
    deposit_holds_refresh(store=store)
    return store
