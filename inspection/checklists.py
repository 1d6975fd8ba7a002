"""Checklists as versioned data: loading them from inspection/checklist_data.py, finding the one an
inspection should use, and copying one into a new version for editing.

Invariant: a checklist version that an inspection has used never changes (its report names it);
staff change a checklist by copying it into version N+1 and editing the copy.
"""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from inspection import checklist_data
from inspection.checklist_data import CheckData
from inspection.errors import InspectionError
from inspection.models import Check, Checklist, Inspection
from listings.models import Category

CHECK_FIELDS = ("code", "group", "severity", "label", "label_zh", "measure", "unit", "min_value", "max_value")


def checklists_load(*, only_missing: bool = True, apps: Any = None) -> int:
    """Create checklists from checklist_data for every category slug there that exists; return how
    many checklists were created.

    With `only_missing` (the default) a category that already has a checklist is left alone, so
    running it again creates nothing. Without it, a category whose latest version differs from the
    data gets the data as a new version; used versions stay as they are.

    `apps` is the migration state's app registry when called from a data migration; categories that
    do not exist yet (they come from seed_demo or the admin) are skipped, and `load_checklists`
    fills them in later.
    """
    if apps is None:
        category_model, checklist_model, check_model = Category, Checklist, Check
    else:
        category_model = apps.get_model("listings", "Category")
        checklist_model = apps.get_model("inspection", "Checklist")
        check_model = apps.get_model("inspection", "Check")

    created = 0
    with transaction.atomic():
        categories = category_model.objects.select_for_update().filter(slug__in=checklist_data.CHECKLISTS)
        for category in categories.order_by("slug"):
            checks = checklist_data.CHECKLISTS[category.slug]
            latest = checklist_model.objects.filter(category=category).order_by("-version").first()
            if latest is not None:
                if only_missing:
                    continue
                existing = [
                    tuple(getattr(row, name) for name in CHECK_FIELDS)
                    for row in check_model.objects.filter(checklist=latest).order_by("position", "id")
                ]
                if existing == [_check_row(check) for check in checks]:
                    continue
            checklist = checklist_model.objects.create(
                category=category,
                version=1 if latest is None else latest.version + 1,
                notes="Loaded from inspection/checklist_data.py",
            )
            check_model.objects.bulk_create(
                check_model(checklist=checklist, position=position, **_check_fields(check))
                for position, check in enumerate(checks, start=1)
            )
            created += 1
    return created


def _check_fields(check: CheckData) -> dict[str, Any]:
    return {name: getattr(check, name) for name in CHECK_FIELDS}


def _check_row(check: CheckData) -> tuple:
    return tuple(getattr(check, name) for name in CHECK_FIELDS)


def current_checklist(category: Category) -> Checklist:
    """The highest version of the checklist for `category`, or for its nearest ancestor that has one.

    Raises InspectionError (code "no_checklist") when neither the category nor any ancestor has a
    checklist: the item cannot be inspected until staff add one.
    """
    chain: list[int] = []
    node: Category | None = category
    while node is not None and node.pk not in chain:  # the `not in` guards against a cycle
        chain.append(node.pk)
        node = node.parent
    candidates = list(Checklist.objects.filter(category_id__in=chain).order_by("-version"))
    for category_id in chain:
        for checklist in candidates:
            if checklist.category_id == category_id:
                return checklist
    raise InspectionError(
        _("There is no inspection checklist for %(category)s yet.") % {"category": category.name},
        code="no_checklist",
        field="category",
    )


def checklist_is_used(checklist: Checklist) -> bool:
    """True once any inspection has used this version; from then on it is read-only."""
    return Inspection.objects.filter(checklist=checklist).exists()


def checklist_next_version(category: Category) -> int:
    last = Checklist.objects.filter(category=category).order_by("-version").values_list("version", flat=True)
    return (last.first() or 0) + 1


@transaction.atomic
def checklist_new_version(
    *,
    checklist: Checklist,
    notes: str = "",
    update: Mapping[str, Mapping[str, Any]] | None = None,
    add: Sequence[CheckData] = (),
    remove: Iterable[str] = (),
) -> Checklist:
    """Copy `checklist` and its checks into the category's next version and apply the changes there;
    the original stays exactly as it was.

    `update` maps a check code to the fields to change on the copy, `add` appends new checks,
    `remove` drops checks by code. Raises InspectionError for a code that is not on the checklist or
    a new code that already is. Returns the new version.
    """
    # Lock the category so that two staff members copying at once get versions N+1 and N+2.
    category = Category.objects.select_for_update().get(pk=checklist.category_id)
    checks = list(checklist.checks.order_by("position", "id"))
    codes = {check.code for check in checks}
    update = dict(update or {})
    remove = set(remove)
    for code in [*update, *remove]:
        if code not in codes:
            raise InspectionError(
                _("Check %(code)s is not on this checklist.") % {"code": code},
                code="unknown_check",
                field="checks",
            )
    for new in add:
        if new.code in codes - remove:
            raise InspectionError(
                _("Check %(code)s is already on this checklist.") % {"code": new.code},
                code="duplicate_check",
                field="checks",
            )

    copy = Checklist.objects.create(
        category=category,
        version=checklist_next_version(category),
        notes=notes or _("Copied from version %(version)s") % {"version": checklist.version},
    )
    rows: list[Check] = []
    for check in checks:
        if check.code in remove:
            continue
        fields = {name: getattr(check, name) for name in CHECK_FIELDS}
        fields.update(update.get(check.code, {}))
        rows.append(Check(checklist=copy, position=len(rows) + 1, **fields))
    for new in add:
        rows.append(Check(checklist=copy, position=len(rows) + 1, **_check_fields(new)))
    Check.objects.bulk_create(rows)
    return copy


def group_label(group: str) -> str:
    """A check group's name in the active language; unknown groups (added in the admin) show as is."""
    labels = checklist_data.GROUPS.get(group)
    if labels is None:
        return group
    english, chinese = labels
    return chinese if (get_language() or "").startswith("zh") else english
