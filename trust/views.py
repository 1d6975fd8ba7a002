"""The stores' pages: opening a store, its owner's page (details, deposit, timeline, closing), the
public store page, and the staff desk (verification, deposit requirements, a store's deposit and
its decided cases). Writes go through trust.services."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedHttpRequest
from accounts.roles import OPERATIONS
from listings.errors import PhotoRejected
from listings.models import Category
from listings.selectors import listings_for_storefront
from marketplace.errors import DomainError
from marketplace.pagination import cursor_page, page_links
from providers.scope import require_platform_role
from trust import selectors
from trust.forms import DecideForm, DeductForm, DepositForm, RequirementForm, StoreForm
from trust.models import Level, Store, StoreStatus
from trust.services import deposits, stores
from wallet.forms import new_request_key
from wallet.selectors import wallet_summary


def _form_error(form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@login_required
def apply(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Open a store (again after a rejection); an owner whose store is waiting, verified or closed
    goes to its page."""
    store = selectors.store_of(user=request.user)
    if store is not None and store.status != StoreStatus.REJECTED:
        return redirect("trust:manage")
    initial = {name: getattr(store, name) for name in StoreForm.DETAILS} if store else {}
    form = StoreForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            stores.store_apply(owner=request.user, logo=form.cleaned_data["logo"], **form.details())
        except PhotoRejected as error:
            form.add_error("logo", error.message)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(
                request, _("Thank you: Reloop checks the trader details within two working days.")
            )
            return redirect("trust:manage")
    return render(
        request, "trust/apply.html", {"form": form, "store": store}, status=400 if form.errors else 200
    )


def _own_store(request: AuthenticatedHttpRequest) -> Store:
    store = selectors.store_of(user=request.user)
    if store is None:
        raise Http404(_("You have no store yet."))
    return store


def _manage_context(
    request: AuthenticatedHttpRequest, store: Store, deposit_form: DepositForm | None = None
) -> dict:
    held = selectors.deposit_held(user_id=store.owner_id)
    return {
        "store": store,
        "events": store.events.select_related("by").order_by("at", "id"),
        "held": held,
        "requirements": selectors.requirements_for(store=store, held=held),
        "deductions": selectors.deductions_of(store=store),
        "wallet": wallet_summary(request.user),
        "deposit_form": deposit_form or DepositForm(initial={"request_key": new_request_key()}),
        "tail_days": settings.STORE_DEPOSIT_TAIL_DAYS,
    }


@login_required
@require_GET
def manage(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The owner's page: the store's state and timeline, its deposit against what each category asks,
    paying in, decided cases, and closing."""
    store = selectors.store_of(user=request.user)
    if store is None:
        return redirect("trust:apply")
    return render(request, "trust/manage.html", _manage_context(request, store))


@login_required
def edit(request: AuthenticatedHttpRequest) -> HttpResponse:
    store = _own_store(request)
    if store.status == StoreStatus.CLOSED:
        return redirect("trust:manage")
    form = StoreForm(
        request.POST or None,
        request.FILES or None,
        initial={name: getattr(store, name) for name in StoreForm.DETAILS},
    )
    if request.method == "POST" and form.is_valid():
        try:
            store = stores.store_update(owner=request.user, logo=form.cleaned_data["logo"], **form.details())
        except PhotoRejected as error:
            form.add_error("logo", error.message)
        except DomainError as error:
            _form_error(form, error)
        else:
            if store.status == StoreStatus.APPLIED:
                messages.success(request, _("Saved. The new trader details go to Reloop for verification."))
            else:
                messages.success(request, _("Your store is saved."))
            return redirect("trust:manage")
    return render(
        request, "trust/edit.html", {"form": form, "store": store}, status=400 if form.errors else 200
    )


@login_required
@require_POST
def deposit_pay(request: AuthenticatedHttpRequest) -> HttpResponse:
    store = _own_store(request)
    form = DepositForm(request.POST)
    if form.is_valid():
        try:
            deposits.deposit_pay(
                owner=request.user,
                amount=form.cleaned_data["amount"],
                request_key=form.cleaned_data["request_key"],
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The money is in your store's deposit."))
            return redirect("trust:manage")
    # The form comes back with its errors and a fresh key: what was refused moved nothing, so the
    # next try is a new payment.
    form.data = request.POST.copy()
    form.data["request_key"] = new_request_key()
    return render(request, "trust/manage.html", _manage_context(request, store, form), status=400)


@login_required
@require_POST
def close(request: AuthenticatedHttpRequest) -> HttpResponse:
    try:
        stores.store_close(owner=request.user)
    except Store.DoesNotExist:
        raise Http404(_("You have no store yet.")) from None
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your store is closed."))
    return redirect("trust:manage")


@require_GET
def store_page(request: HttpRequest, slug: str) -> HttpResponse:
    """A store as shoppers see it: its name, logo, badges, about, policies, the trader's details and
    its items."""
    try:
        store = selectors.store_for_page(slug=slug)
    except Store.DoesNotExist:
        raise Http404(_("No such store.")) from None
    page = cursor_page(request, lambda cursor: listings_for_storefront(seller=store.owner, cursor=cursor))
    return render(request, "trust/store.html", {"store": store, "page": page, **page_links(page)})


@login_required
@require_GET
def staff_desk(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_platform_role(request.user, OPERATIONS)
    levels = list(Level.objects.order_by("rank"))
    return render(
        request,
        "trust/staff.html",
        {
            "waiting": selectors.stores_waiting(),
            "recent": selectors.stores_decided_lately(),
            "levels": levels,
            "rows": selectors.requirement_table(levels=levels),
        },
    )


@login_required
@require_POST
def staff_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_platform_role(request.user, OPERATIONS)
    form = DecideForm(request.POST)
    form.is_valid()
    try:
        store = stores.store_decide(
            store_id=pk,
            by=request.user,
            verify=request.POST.get("decision") == "verify",
            reason=form.cleaned_data.get("reason", ""),
        )
    except Store.DoesNotExist:
        raise Http404(_("No such store.")) from None
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(store)s is verified.") % {"store": store.name}
            if store.is_verified
            else _("%(store)s is not verified; its owner is told why.") % {"store": store.name},
        )
    return redirect("trust:staff")


@login_required
@require_POST
def staff_requirement(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_platform_role(request.user, OPERATIONS)
    form = RequirementForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a category and a level."))
        return redirect("trust:staff")
    try:
        deposits.deposit_requirement_set(
            category_id=form.cleaned_data["category"],
            level_id=form.cleaned_data["level"],
            amount=form.cleaned_data["amount"],
            by=request.user,
        )
    except (Level.DoesNotExist, Category.DoesNotExist):
        messages.error(request, _("Choose a category and a level."))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("The deposit requirement is saved; stores at that level are held or freed at once.")
        )
    return redirect("trust:staff")


@login_required
def staff_store(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One store for operations: its trader details, deposit, timeline, and the disputes decided
    against it, from which a deduction for the buyer is made."""
    require_platform_role(request.user, OPERATIONS)
    try:
        store = selectors.store_for_staff(store_id=pk)
    except Store.DoesNotExist:
        raise Http404(_("No such store.")) from None
    form = DeductForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            deposits.deposit_deduct(
                store_id=store.pk,
                dispute_id=form.cleaned_data["dispute"],
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The deduction is paid to the buyer; the store is told why."))
            return redirect("trust:staff_store", pk=store.pk)
    return render(
        request,
        "trust/staff_store.html",
        {
            "store": store,
            "held": selectors.deposit_held(user_id=store.owner_id),
            "cases": selectors.decided_cases(store=store),
            "events": store.events.select_related("by").order_by("at", "id"),
            "form": form,
        },
        status=400 if form.errors else 200,
    )
