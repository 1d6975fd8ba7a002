"""The "Sell with us" steps: category → model → attributes → condition → photos → review and submit.

What the seller has entered so far lives in their session under FLOW_KEY, one small dict per step:

    {"token": "<uuid>", "category": 12,
     "item": {"catalog_model": 34 | None, "brand": 5 | None, "title": ""},
     "attributes": {...}, "condition": {...},
     "photos": {"front": {"key": "…", "width": 1200, "height": 900}, ...}}

"attributes" holds only what the seller answered: what the chosen catalog model fixes (the storage of
an "iPhone 13 128GB", recycling.questionnaire.fixed_by_model) is not asked, and is added wherever the
answers are used (`_attributes`), as intake adds it to the submission. When another model leaves an
answer missing, the answers move to "attributes_draft" (the form's starting values) until the
details step is answered again.

Photos are checked on the photo step (listings.photos.check_photo) and the checked JPEG is held in
private storage (recycling.pending_photos), so that a step with an error never loses what was already
entered: every valid photo of a page is kept even when another one on it is refused. The last step
hands everything to recycling.services.intake.submission_create, which checks it all again and is
the only place a submission is made; the held files are then removed.

The review page carries a one-time token (also kept in the session): a second submit of it, from
another tab or a double tap, leads to the submission the first one made.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.email_confirmation import email_confirmed_required
from accounts.http import AuthenticatedHttpRequest
from listings.errors import PhotoRejected
from listings.models import Brand, CatalogModel, Category
from listings.photos import CheckedPhoto, private_storage
from listings.selectors import category_tree
from marketplace.rate_limits import EstimateLimit, PhotoUploadLimit, page_rate_limit
from recycling import pending_photos
from recycling import questionnaire as questions
from recycling.errors import SubmissionError
from recycling.forms import (
    AttributesForm,
    CategoryForm,
    ConditionForm,
    ItemForm,
    PhotosForm,
    SubmitForm,
    photo_limits_text,
)
from recycling.models import Submission
from recycling.services.intake import submission_create
from recycling.views.dashboard import downsized_jpeg_response

FLOW_KEY = "recycling_flow"
MODEL_RESULTS = 30

# In order; each step's page is the URL named recycling:flow_<step>.
STEPS = ("category", "item", "attributes", "condition", "photos", "review")

# Which step a service error belongs to, by the field it names.
FIELD_STEPS = {
    "category": "category",
    "brand": "item",
    "catalog_model": "item",
    "title": "item",
    "attributes": "attributes",
    "condition_answers": "condition",
    "photos": "photos",
}


def _step_titles() -> dict[str, str]:
    return {
        "category": _("Category"),
        "item": _("Model"),
        "attributes": _("Details"),
        "condition": _("Condition"),
        "photos": _("Photos"),
        "review": _("Review"),
    }


# --- Session state -------------------------------------------------------------------------------------


def _state(request: HttpRequest) -> dict:
    state = request.session.get(FLOW_KEY)
    if not isinstance(state, dict):
        state = {}
    return state


def _save(request: HttpRequest, state: dict) -> None:
    request.session[FLOW_KEY] = state
    request.session.modified = True


def _forget_photos(state: dict) -> None:
    for held in (state.get("photos") or {}).values():
        pending_photos.discard(held["key"])
    state["photos"] = {}


def _category(state: dict) -> Category | None:
    category_id = state.get("category")
    if not category_id:
        return None
    category = Category.objects.filter(pk=category_id, children__isnull=True).first()
    return category


def _fixed(state: dict, questionnaire: questions.Questionnaire) -> dict[str, str]:
    """The attribute answers the chosen catalog model fixes (one query when there is a model)."""
    model_id = (state.get("item") or {}).get("catalog_model")
    if not model_id:
        return {}
    name = CatalogModel.objects.filter(pk=model_id).values_list("name", flat=True).first()
    return questions.fixed_by_model(questionnaire, name or "")


def _attributes(state: dict, questionnaire: questions.Questionnaire) -> dict[str, str]:
    """The seller's answers with what the chosen model fixes, which wins (it was not asked)."""
    return {**(state.get("attributes") or {}), **_fixed(state, questionnaire)}


def _first_missing(state: dict) -> str:
    """The first step that still needs an answer ("review" when all are there)."""
    if not state.get("category"):
        return "category"
    if not state.get("item"):
        return "item"
    if "attributes" not in state:
        return "attributes"
    if not state.get("condition"):
        return "condition"
    if "photos_done" not in state:
        return "photos"
    return "review"


def _reachable(state: dict, step: str) -> bool:
    return STEPS.index(step) <= STEPS.index(_first_missing(state))


def _data(request: HttpRequest) -> QueryDict | None:
    """The form's data on a POST (even an empty one, which must show "required"), none on a GET."""
    return request.POST if request.method == "POST" else None


def _files(request: HttpRequest) -> MultiValueDict[str, UploadedFile] | None:
    return request.FILES if request.method == "POST" else None


def _go(step: str) -> HttpResponse:
    return redirect(f"recycling:flow_{step}")


def _next(step: str) -> HttpResponse:
    return _go(STEPS[STEPS.index(step) + 1])


def _render(request: HttpRequest, step: str, template: str, context: dict) -> HttpResponse:
    state = _state(request)
    titles = _step_titles()
    progress = [
        {
            "step": name,
            "title": titles[name],
            "url": reverse(f"recycling:flow_{name}"),
            "current": name == step,
            "reachable": _reachable(state, name),
        }
        for name in STEPS
    ]
    return render(
        request,
        template,
        {
            "step": step,
            "step_number": STEPS.index(step) + 1,
            "step_count": len(STEPS),
            "step_title": titles[step],
            "progress": progress,
            "previous_url": reverse(f"recycling:flow_{STEPS[STEPS.index(step) - 1]}")
            if step != STEPS[0]
            else "",
            **context,
        },
    )


def _guard(request: HttpRequest, step: str) -> tuple[dict, Category] | HttpResponse:
    """The state and category for a step after the first, or a redirect to the first step that needs
    an answer."""
    state = _state(request)
    category = _category(state)
    if category is None:
        return _go("category")
    if not _reachable(state, step):
        return _go(_first_missing(state))
    return state, category


# --- Steps ---------------------------------------------------------------------------------------------


@email_confirmed_required
@require_http_methods(["GET", "POST"])
def flow_category(request: HttpRequest) -> HttpResponse:
    state = _state(request)
    form = CategoryForm(_data(request), initial={"category": state.get("category")})
    if request.method == "POST" and form.is_valid():
        category = form.cleaned_data["category"]
        if state.get("category") != category.pk:
            # Another category asks other questions: what was answered for the old one no longer fits.
            _forget_photos(state)
            state = {"token": state.get("token") or str(uuid.uuid4()), "category": category.pk}
        _save(request, state)
        return _next("category")
    tree = category_tree()
    groups = []
    for root in tree.roots:
        leaves = tree.children(root) or [root]
        groups.append({"parent": root, "leaves": leaves})
    selected = str(form["category"].value() or "")
    return _render(
        request,
        "category",
        "recycling/flow/category.html",
        {"form": form, "groups": groups, "selected": selected},
    )


def _models_matching(category: Category, q: str) -> list[CatalogModel]:
    models = CatalogModel.objects.filter(category=category).select_related("brand")
    # No name has a NUL character, and PostgreSQL refuses one in a query: drop it with the spaces.
    for word in q.replace("\x00", " ").split()[:6]:
        models = models.filter(
            Q(name__icontains=word) | Q(brand__name__icontains=word) | Q(brand__name_zh__icontains=word)
        )
    return list(models.order_by("brand__name", "name", "id")[:MODEL_RESULTS])


@login_required
@require_http_methods(["GET", "POST"])
def flow_item(request: HttpRequest) -> HttpResponse:
    guarded = _guard(request, "item")
    if isinstance(guarded, HttpResponse):
        return guarded
    state, category = guarded
    held = state.get("item") or {}
    form = ItemForm(_data(request), category=category, initial=held)
    if request.method == "POST" and form.is_valid():
        item = {
            "catalog_model": form.cleaned_data["catalog_model"].pk
            if form.cleaned_data["catalog_model"]
            else None,
            "brand": form.cleaned_data["brand"].pk if form.cleaned_data["brand"] else None,
            "title": form.cleaned_data["title"],
        }
        changed = item.get("catalog_model") != held.get("catalog_model")
        state["item"] = item
        if changed and "attributes" in state:
            # Another model may fix other details: one it no longer fixes must now be asked.
            questionnaire = questions.questionnaire_for(category)
            if questions.attribute_errors(questionnaire, _attributes(state, questionnaire)):
                state["attributes_draft"] = state.pop("attributes")
                state.pop("photos_done", None)
        _save(request, state)
        return _next("item")
    q = request.GET.get("q", "").strip()[:60]
    selected = str(form["catalog_model"].value() or "")
    models = _models_matching(category, q)
    # A posted value that is not an id (a hand-made request) selects nothing: the form says why.
    if selected.isdigit() and not any(str(model.pk) == selected for model in models):
        chosen = CatalogModel.objects.filter(pk=selected, category=category).select_related("brand").first()
        if chosen is not None:
            models.insert(0, chosen)
    other_open = bool(form["brand"].value() or form["title"].value() or form.errors.get("brand"))
    return _render(
        request,
        "item",
        "recycling/flow/item.html",
        {
            "form": form,
            "category": category,
            "q": q,
            "models": models,
            "selected": selected,
            "other_open": other_open,
        },
    )


@login_required
@require_GET
def model_search(request: HttpRequest) -> HttpResponse:
    """The model list filtered by what the seller types (htmx swaps it into the model step)."""
    category = _category(_state(request))
    if category is None:
        raise Http404
    q = request.GET.get("q", "").strip()[:60]
    selected = str((_state(request).get("item") or {}).get("catalog_model") or "")
    return render(
        request,
        "recycling/flow/_model_list.html",
        {"models": _models_matching(category, q), "selected": selected, "q": q},
    )


@login_required
@require_http_methods(["GET", "POST"])
def flow_attributes(request: HttpRequest) -> HttpResponse:
    guarded = _guard(request, "attributes")
    if isinstance(guarded, HttpResponse):
        return guarded
    state, category = guarded
    questionnaire = questions.questionnaire_for(category)
    fixed = _fixed(state, questionnaire)
    form = AttributesForm(
        _data(request),
        questionnaire=questionnaire,
        fixed=fixed,
        initial=state.get("attributes") or state.get("attributes_draft") or {},
    )
    if request.method == "POST" and form.is_valid():
        state["attributes"] = form.answers()
        state.pop("attributes_draft", None)
        # A changed answer may change which photos are needed (a watch's papers): ask again.
        state.pop("photos_done", None)
        _save(request, state)
        return _next("attributes")
    fixed_rows = [
        {"label": attribute.label, "value": attribute.display(fixed[attribute.name])}
        for attribute in questionnaire.attributes
        if attribute.name in fixed
    ]
    return _render(
        request,
        "attributes",
        "recycling/flow/questions.html",
        {"form": form, "category": category, "fixed_rows": fixed_rows},
    )


@login_required
@require_http_methods(["GET", "POST"])
def flow_condition(request: HttpRequest) -> HttpResponse:
    guarded = _guard(request, "condition")
    if isinstance(guarded, HttpResponse):
        return guarded
    state, category = guarded
    questionnaire = questions.questionnaire_for(category)
    form = ConditionForm(_data(request), questionnaire=questionnaire, initial=state.get("condition") or {})
    if request.method == "POST" and form.is_valid():
        state["condition"] = form.answers()
        _save(request, state)
        return _next("condition")
    return _render(
        request, "condition", "recycling/flow/questions.html", {"form": form, "category": category}
    )


def _hold_photos(state: dict, checked: dict[str, CheckedPhoto]) -> None:
    """Keep checked photos in private storage under fresh keys, replacing any held for the same view."""
    held = state.setdefault("photos", {})
    for view, photo in checked.items():
        key = pending_photos.hold(photo.data)
        previous = held.get(view)
        if previous:
            pending_photos.discard(previous["key"])
        held[view] = {"key": key, "width": photo.width, "height": photo.height}


@login_required
@require_http_methods(["GET", "POST"])
@page_rate_limit(PhotoUploadLimit)
def flow_photos(request: HttpRequest) -> HttpResponse:
    guarded = _guard(request, "photos")
    if isinstance(guarded, HttpResponse):
        return guarded
    state, category = guarded
    questionnaire = questions.questionnaire_for(category)
    views = questionnaire.required_views(_attributes(state, questionnaire))
    held = {view.name for view in views if view.name in (state.get("photos") or {})}
    form = PhotosForm(_data(request), _files(request), views=views, held=held)
    if request.method == "POST":
        valid = form.is_valid()
        if form.checked:
            _hold_photos(state, form.checked)
            state.pop("photos_done", None)
        if valid:
            state["photos_done"] = True
            _save(request, state)
            return _next("photos")
        _save(request, state)
        held = {view.name for view in views if view.name in state.get("photos", {})}
    rows = [
        {
            "view": view,
            "field": form[view.name],
            "held": view.name in held,
            "preview_url": reverse("recycling:flow_photo", args=[view.name]) if view.name in held else "",
        }
        for view in views
    ]
    return _render(
        request,
        "photos",
        "recycling/flow/photos.html",
        {"form": form, "rows": rows, "limits": photo_limits_text()},
    )


@login_required
@require_GET
def flow_photo(request: HttpRequest, view: str) -> HttpResponse:
    """A held photo of the seller's own flow, downsized for the preview."""
    held = (_state(request).get("photos") or {}).get(view)
    if not held:
        raise Http404
    try:
        with private_storage().open(pending_photos.pending_name(held["key"]), "rb") as source:
            return downsized_jpeg_response(source, width=320)
    except FileNotFoundError as error:
        raise Http404 from error


def _review_rows(state: dict, category: Category) -> dict:
    questionnaire = questions.questionnaire_for(category)
    item = state.get("item") or {}
    catalog_model = (
        CatalogModel.objects.select_related("brand").filter(pk=item["catalog_model"]).first()
        if item.get("catalog_model")
        else None
    )
    brand = Brand.objects.filter(pk=item["brand"]).first() if item.get("brand") else None
    fixed = questions.fixed_by_model(questionnaire, catalog_model.name) if catalog_model else {}
    attributes = {**(state.get("attributes") or {}), **fixed}
    answers = state.get("condition") or {}
    attribute_rows = [
        {"label": attribute.label, "value": attribute.display(attributes[attribute.name])}
        for attribute in questionnaire.attributes
        if attributes.get(attribute.name)
    ]
    condition_rows = []
    for question in questionnaire.questions:
        answer = question.answer(answers.get(question.name))
        condition_rows.append({"label": question.label, "value": answer.label if answer else ""})
    grade = None
    if not questions.condition_errors(questionnaire, answers):
        grade = questions.declared_grade(questionnaire, answers)
    views = questionnaire.required_views(attributes)
    held = state.get("photos") or {}
    photo_rows = [
        {"view": view, "preview_url": reverse("recycling:flow_photo", args=[view.name])}
        for view in views
        if view.name in held
    ]
    return {
        "category": category,
        "catalog_model": catalog_model,
        "brand": brand,
        "title": item.get("title", ""),
        "attribute_rows": attribute_rows,
        "condition_rows": condition_rows,
        "grade": grade,
        "photo_rows": photo_rows,
    }


def _held_photos(state: dict) -> dict[str, CheckedPhoto]:
    storage = private_storage()
    photos = {}
    for view, held in (state.get("photos") or {}).items():
        try:
            with storage.open(pending_photos.pending_name(held["key"]), "rb") as source:
                data = source.read()
        except FileNotFoundError:
            continue  # submission_create then names the view that is missing
        photos[view] = CheckedPhoto(data=data, width=held["width"], height=held["height"], name=f"{view}.jpg")
    return photos


@login_required
@require_GET
def flow_review(request: HttpRequest) -> HttpResponse:
    guarded = _guard(request, "review")
    if isinstance(guarded, HttpResponse):
        return guarded
    state, category = guarded
    if not state.get("token"):
        state["token"] = str(uuid.uuid4())
        _save(request, state)
    form = SubmitForm(initial={"token": state["token"]})
    return _render(
        request, "review", "recycling/flow/review.html", {"form": form, **_review_rows(state, category)}
    )


@email_confirmed_required
@require_POST
@page_rate_limit(EstimateLimit)
def flow_submit(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = SubmitForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This page has expired; please check your answers and submit again."))
        return _go("review")
    token = form.cleaned_data["token"]
    already = Submission.objects.filter(client_token=token, seller=request.user).first()
    if already is not None:
        messages.info(request, _("You already sent this item; here it is."))
        return redirect("recycling:detail", pk=already.pk)

    guarded = _guard(request, "review")
    if isinstance(guarded, HttpResponse):
        return guarded
    state, category = guarded
    if state.get("token") != str(token):
        messages.error(request, _("This page has expired; please check your answers and submit again."))
        return _go("review")
    item = state.get("item") or {}
    catalog_model = (
        CatalogModel.objects.select_related("brand").filter(pk=item["catalog_model"]).first()
        if item.get("catalog_model")
        else None
    )
    # What the model fixes was not asked; an answer kept from an earlier model must not contradict it.
    fixed = (
        questions.fixed_by_model(questions.questionnaire_for(category), catalog_model.name)
        if catalog_model
        else {}
    )
    try:
        submission = submission_create(
            seller=request.user,
            category=category,
            brand=Brand.objects.filter(pk=item["brand"]).first() if item.get("brand") else None,
            catalog_model=catalog_model,
            title=item.get("title", ""),
            attributes={
                name: value for name, value in (state.get("attributes") or {}).items() if name not in fixed
            },
            condition_answers=state.get("condition") or {},
            photos=_held_photos(state),
            client_token=token,
        )
    except (SubmissionError, PhotoRejected) as error:
        messages.error(request, error.message)
        step = FIELD_STEPS.get(getattr(error, "field", None) or "", "review")
        if step == "photos":
            state.pop("photos_done", None)
            _save(request, state)
        return _go(step)
    _forget_photos(state)
    request.session.pop(FLOW_KEY, None)
    messages.success(request, _("Thank you! We are estimating your item now."))
    return redirect("recycling:detail", pk=submission.pk)


@login_required
@require_POST
def flow_restart(request: HttpRequest) -> HttpResponse:
    """Forget the answers in progress (and the photos held for them) and start again."""
    state = _state(request)
    _forget_photos(state)
    request.session.pop(FLOW_KEY, None)
    return _go("category")
