"""Intake: a seller's description and photos become a submission that is being valued; cancelling it.

Submission photos are checked and re-encoded by listings.photos.check_photo and kept in private
storage under `listings.photos.stored_name(key)` (the same layout as listing originals, with keys
that are random and unique across both), so that the pre-valuation job and the photo view read them
the same way. No thumbnail is made: nothing about a submission is public.
"""

import uuid
from collections.abc import Mapping
from typing import IO

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.email_confirmation import require_confirmed_email
from accounts.models import User
from listings.errors import PhotoRejected
from listings.models import Brand, CatalogModel, Category
from listings.photos import (
    CheckedPhoto,
    check_photo,
    check_pixel_budget,
    new_key,
    private_storage,
    store_private,
    stored_name,
)
from marketplace.jobs import enqueue_on_commit
from providers.errors import ProviderError
from providers.models import Provider
from providers.scope import platform_provider
from recycling import questionnaire as questions
from recycling.errors import SubmissionError
from recycling.models import Submission, SubmissionPhoto, SubmissionStatus
from recycling.routing import provider_for, seller_region
from recycling.services.shipping import submission_cancel_labels
from recycling.services.transitions import CANCELLABLE, submission_move
from recycling.tasks import prevalue_submission

TITLE_MAX_LENGTH = 120


def _attribute_error(questionnaire: questions.Questionnaire, errors: dict[str, str]) -> SubmissionError:
    name, problem = next(iter(errors.items()))
    attribute = questionnaire.attribute(name)
    label = attribute.label if attribute is not None else name
    messages = {
        "missing": _("Please answer “%(label)s”."),
        "invalid": _("“%(label)s”: please choose one of the answers offered.")
        if attribute is not None and attribute.is_choice
        else _("“%(label)s”: please keep it under %(max)s characters."),
        "unknown": _("“%(label)s” is not asked for this category."),
    }
    return SubmissionError(
        messages[problem] % {"label": label, "max": questions.TEXT_MAX_LENGTH},
        code=f"attribute_{problem}",
        field="attributes",
    )


def _check_fixed(questionnaire: questions.Questionnaire, fixed: dict[str, str], given: dict) -> None:
    """SubmissionError when an answer contradicts what the chosen model fixes (the same, in any case,
    is no contradiction)."""
    for name, value in fixed.items():
        answer = str(given.get(name) or "").strip()
        if answer and answer.casefold() != value.casefold():
            attribute = questionnaire.attribute(name)
            raise SubmissionError(
                _("“%(label)s”: the model you chose has %(value)s. If yours differs, choose its model.")
                % {
                    "label": attribute.label if attribute else name,
                    "value": attribute.display(value) if attribute else value,
                },
                code="attribute_fixed",
                field="attributes",
            )


def _condition_error(questionnaire: questions.Questionnaire, errors: dict[str, str]) -> SubmissionError:
    name, problem = next(iter(errors.items()))
    question = questionnaire.question(name)
    label = question.label if question is not None else name
    messages = {
        "missing": _("Please answer “%(label)s”."),
        "invalid": _("“%(label)s”: please choose one of the answers offered."),
        "unknown": _("“%(label)s” is not asked for this category."),
    }
    return SubmissionError(
        messages[problem] % {"label": label}, code=f"condition_{problem}", field="condition_answers"
    )


def _check_item(
    *, category: Category, brand: Brand | None, catalog_model: CatalogModel | None, title: str
) -> tuple[Brand, str]:
    """The brand and title to store, or SubmissionError naming what to fix."""
    if category is None:
        raise SubmissionError(_("Please choose a category."), code="category_required", field="category")
    if Category.objects.filter(parent_id=category.pk).exists():
        raise SubmissionError(
            _("Please choose a more precise category than “%(category)s”.") % {"category": category.label},
            code="category_not_leaf",
            field="category",
        )
    title = (title or "").strip()
    if len(title) > TITLE_MAX_LENGTH:
        raise SubmissionError(
            _("Please keep the title under %(max)s characters.") % {"max": TITLE_MAX_LENGTH},
            code="title_too_long",
            field="title",
        )
    if catalog_model is not None:
        if brand is not None and catalog_model.brand_id != brand.pk:
            raise SubmissionError(
                _("This model is not made by the brand you chose."),
                code="catalog_model_brand_mismatch",
                field="catalog_model",
            )
        if catalog_model.category_id != category.pk:
            raise SubmissionError(
                _("This model does not belong to the category you chose."),
                code="catalog_model_category_mismatch",
                field="catalog_model",
            )
        return catalog_model.brand, title or str(catalog_model)
    # "Other": not in the catalog, so the seller's brand and own words describe it.
    if brand is None:
        raise SubmissionError(
            _("Please choose the model, or the brand and describe the item in a few words."),
            code="brand_required",
            field="brand",
        )
    if not title:
        raise SubmissionError(
            _("Please say what the item is, e.g. “iPhone 12 Pro 128GB”."),
            code="title_required",
            field="title",
        )
    return brand, title


def _checked_photos(
    questionnaire: questions.Questionnaire, attributes: dict, photos: Mapping[str, IO[bytes] | CheckedPhoto]
) -> dict[str, CheckedPhoto]:
    for name in photos:
        if questionnaire.view(name) is None:
            raise SubmissionError(
                _("“%(view)s” is not a photo this category asks for.") % {"view": name},
                code="photo_unknown_view",
                field="photos",
            )
    required = questionnaire.required_views(attributes)
    missing = [view for view in required if not photos.get(view.name)]
    if missing:
        raise SubmissionError(
            _("Please add a photo of: %(views)s.")
            % {"views": ", ".join(str(view.label) for view in missing)},
            code="photo_missing",
            field="photos",
        )
    try:
        check_pixel_budget([upload for upload in photos.values() if upload])
    except PhotoRejected as rejected:
        rejected.field = "photos"
        raise
    checked: dict[str, CheckedPhoto] = {}
    for view in questionnaire.photo_views:
        upload = photos.get(view.name)
        if not upload:
            continue
        if isinstance(upload, CheckedPhoto):
            checked[view.name] = upload
            continue
        try:
            checked[view.name] = check_photo(upload)
        except PhotoRejected as rejected:
            error = PhotoRejected(f"{view.label}: {rejected.message}", code=rejected.code)
            error.field = "photos"
            error.view = view.name
            raise error from rejected
    return checked


def _existing_for_token(*, seller: User, client_token: uuid.UUID) -> Submission | None:
    existing = Submission.objects.filter(client_token=client_token).first()
    if existing is not None and existing.seller_id != seller.pk:
        # Tokens are random UUIDs: this is a forged or mixed-up token, not a double submit.
        raise SubmissionError(_("This form was already used; please start again."), code="token_used")
    return existing


def routed_provider(*, category: Category, seller: User) -> Provider:
    """The provider the routing rules give a new submission; Reloop's own centre when the rules lead
    to nobody taking work (a provider paused since its rule was set, with no fallback)."""
    try:
        return provider_for(category=category, region=seller_region(seller))
    except ProviderError:
        return platform_provider()


def submission_create(
    *,
    seller: User,
    category: Category,
    brand: Brand | None = None,
    catalog_model: CatalogModel | None = None,
    title: str = "",
    attributes: dict,
    condition_answers: dict,
    photos: Mapping[str, IO[bytes] | CheckedPhoto],
    client_token: uuid.UUID | None = None,
) -> Submission:
    """Create a submission from everything the seller gave, in one go, and start its valuation.

    Checks the category (a leaf), the item (a catalog model of that category and brand, or "other":
    a brand and the seller's own title), the attributes and condition answers against the
    category's questionnaire, and one photo per required view (uploads, or photos already checked
    by check_photo). Attributes the catalog model's name fixes (recycling.questionnaire.fixed_by_model:
    the storage of an "iPhone 13 128GB") need not be given and are stored from the model; one given
    otherwise is an error. The declared grade is computed from the answers. Stores each photo in private
    storage with a SubmissionPhoto row, records the move from draft to valuing, and dispatches the
    pre-valuation job once the transaction commits.

    With a `client_token` already used by this seller, returns that submission and creates nothing.

    Raises SubmissionError (`code`, and `field`: category, brand, catalog_model, title, attributes,
    condition_answers or photos) or PhotoRejected (with `field` "photos" and `view`; no `view` when
    the photos together pass the request's pixel budget), or EmailNotConfirmed (403) for a seller
    whose e-mail address is not confirmed. On any error nothing is left behind: no row, no file.
    """
    require_confirmed_email(seller)
    if client_token is not None:
        existing = _existing_for_token(seller=seller, client_token=client_token)
        if existing is not None:
            return existing

    brand, title = _check_item(category=category, brand=brand, catalog_model=catalog_model, title=title)
    questionnaire = questions.questionnaire_for(category)
    attributes = dict(attributes or {})
    # Not asked, since the model's name says it ("iPhone 13 128GB"): stored as if answered.
    fixed = questions.fixed_by_model(questionnaire, catalog_model.name) if catalog_model else {}
    condition_answers = dict(condition_answers or {})
    errors = questions.attribute_errors(questionnaire, {**fixed, **attributes})
    if errors:
        raise _attribute_error(questionnaire, errors)
    _check_fixed(questionnaire, fixed, attributes)
    errors = questions.condition_errors(questionnaire, condition_answers)
    if errors:
        raise _condition_error(questionnaire, errors)
    attributes = questions.clean_attributes(questionnaire, {**attributes, **fixed})
    grade = questions.declared_grade(questionnaire, condition_answers)
    checked = _checked_photos(questionnaire, attributes, photos or {})

    written: list[str] = []
    try:
        with transaction.atomic():
            submission = Submission.objects.create(
                seller=seller,
                category=category,
                brand=brand,
                catalog_model=catalog_model,
                title=title,
                attributes=attributes,
                condition_answers={
                    question.name: condition_answers[question.name] for question in questionnaire.questions
                },
                declared_grade=grade,
                client_token=client_token,
                provider=routed_provider(category=category, seller=seller),
            )
            for view, photo in checked.items():
                key = new_key()
                SubmissionPhoto.objects.create(
                    submission=submission, view=view, key=key, width=photo.width, height=photo.height
                )
                written.append(key)
                store_private(key, photo)
            submission = submission_move(submission_id=submission.pk, to=SubmissionStatus.VALUING, by=seller)
            submission_id = submission.pk
            enqueue_on_commit(prevalue_submission, submission_id)
    except IntegrityError:
        _delete_files(written)
        if client_token is not None:
            # Another request with the same token committed first: that one is the submission.
            existing = Submission.objects.filter(client_token=client_token, seller=seller).first()
            if existing is not None:
                return existing
        raise
    except BaseException:
        _delete_files(written)
        raise
    return submission


def _delete_files(keys: list[str]) -> None:
    storage = private_storage()
    for key in keys:
        storage.delete(stored_name(key))


def submission_cancel(*, submission_id: int, seller: User) -> Submission:
    """Cancel the seller's own submission before its parcel reaches the centre.

    Raises Submission.DoesNotExist for someone else's submission (pages answer 404), and
    SubmissionError (code "not_cancellable") once it can no longer be cancelled. The move itself
    re-checks under the row lock (InvalidTransition if the status changed meanwhile).
    """
    submission = Submission.objects.get(pk=submission_id, seller=seller)
    if submission.status not in CANCELLABLE:
        raise SubmissionError(
            _("This submission is %(status)s and can no longer be cancelled.")
            % {"status": submission.get_status_display().lower()},
            code="not_cancellable",
        )
    with transaction.atomic():
        submission = submission_move(submission_id=submission.pk, to=SubmissionStatus.CANCELLED, by=seller)
        # A label booked for the parcel will not be used: void it with the carrier after commit,
        # retried by the task if the carrier is down, so that cancelling never waits on the carrier.
        submission_cancel_labels(submission=submission)
    return submission
