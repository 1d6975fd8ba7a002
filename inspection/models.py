"""Inspections: staff check a received item against its category's checklist, grade it, authenticate
luxury items with two people, and publish a report anyone can verify.

`inspection` sits below `recycling` in the layering, so an inspection never refers to a submission:
it keeps its own copy of what is being inspected (category, model, title, declared grade) and the
submission's code as `subject_code`. It announces what happened through the signals in
inspection/signals.py, which recycling connects to.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from listings.models import CatalogModel, Category, Grade, Listing
from marketplace.status_events import Catalog, StatusEvent
from providers.models import Provider

REPORT_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_report_code() -> str:
    return "".join(secrets.choice(REPORT_CODE_ALPHABET) for _i in range(8))


class Severity(models.TextChoices):
    CRITICAL = "critical", _("Critical")  # a defect here fails the item or sets the lowest grade
    MAJOR = "major", _("Major")  # a clear fault or wear that lowers the grade a lot
    MINOR = "minor", _("Minor")  # cosmetic or small; lowers the grade a little


class MeasureKind(models.TextChoices):
    NONE = "none", _("Pass or defect only")
    NUMBER = "number", _("A number")  # e.g. battery health %, movement accuracy s/day
    TEXT = "text", _("A text")  # e.g. IMEI, serial or date code


class Checklist(models.Model):
    """One version of a category's checklist. Versions are never edited once an inspection used them;
    a change is a new version, and every report records the version it was made with."""

    category = models.ForeignKey(
        Category, verbose_name=_("category"), related_name="checklists", on_delete=models.PROTECT
    )
    version = models.PositiveIntegerField(_("version"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    notes = models.CharField(_("notes"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("checklist")
        verbose_name_plural = _("checklists")
        ordering = ["category__slug", "-version"]
        constraints = [models.UniqueConstraint(fields=["category", "version"], name="checklist_version_once")]

    def __str__(self) -> str:
        return f"{self.category.slug} v{self.version}"


class Check(models.Model):
    checklist = models.ForeignKey(
        Checklist, verbose_name=_("checklist"), related_name="checks", on_delete=models.CASCADE
    )
    code = models.SlugField(_("code"), max_length=60)
    # appearance, screen, function, repair history, authenticity…
    group = models.CharField(_("group"), max_length=40)
    label = models.CharField(_("label"), max_length=160)
    label_zh = models.CharField(_("label (Chinese)"), max_length=160, blank=True)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices)
    measure = models.CharField(
        _("measure"), max_length=8, choices=MeasureKind.choices, default=MeasureKind.NONE
    )
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    min_value = models.DecimalField(
        _("minimum value"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("maximum value"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("check")
        verbose_name_plural = _("checks")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["checklist", "code"], name="check_code_once_per_checklist")
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def display_label(self) -> str:
        if self.label_zh and (get_language() or "").startswith("zh"):
            return self.label_zh
        return self.label


class InspectionStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")  # received, nobody on it yet
    IN_PROGRESS = "in_progress", _("Being inspected")  # claimed by one inspector
    AWAITING_SECOND_OPINION = "awaiting_second_opinion", _("Second opinion")  # luxury: one verdict in
    COMPLETED = "completed", _("Completed")  # result final, report out


class InspectionResult(models.TextChoices):
    PASSED = "passed", _("Passed")  # graded; goes on to an offer
    # not bought or listed; goes back to the seller
    FAILED = "failed", pgettext_lazy("inspection result", "Failed")


class FailReason(models.TextChoices):
    COUNTERFEIT = "counterfeit", _("Counterfeit")
    NOT_AS_DECLARED = "not_as_declared", _("Not as declared")
    PROHIBITED = "prohibited", _("Prohibited item")


class Inspection(models.Model):
    # the submission's code, on the parcel
    # Whose inspection centre works it (providers.scope): the provider of the submission, Reloop's own
    # centre for an item sold with inspected delivery.
    provider = models.ForeignKey(
        Provider,
        verbose_name=_("service provider"),
        null=True,
        blank=True,
        related_name="inspections",
        on_delete=models.PROTECT,
    )
    subject_code = models.CharField(_("subject code"), max_length=20, unique=True)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), related_name="inspections", on_delete=models.PROTECT
    )
    catalog_model = models.ForeignKey(
        CatalogModel, verbose_name=_("catalog model"), null=True, blank=True, on_delete=models.PROTECT
    )
    title = models.CharField(_("title"), max_length=120)
    declared_grade = models.CharField(_("declared grade"), max_length=1, choices=Grade.choices)
    # Set when the inspected item is (or becomes) a listing, so the channel can show the report.
    listing = models.ForeignKey(
        Listing,
        verbose_name=_("listing"),
        null=True,
        blank=True,
        related_name="inspections",
        on_delete=models.SET_NULL,
    )

    # Inspected delivery (验货宝): a private seller's item sold to a buyer, checked against its listing's
    # description and photos before it goes on to the buyer. The queue marks these.
    inspected_delivery = models.BooleanField(_("inspected delivery"), default=False)
    status = models.CharField(
        _("status"), max_length=24, choices=InspectionStatus.choices, default=InspectionStatus.QUEUED
    )
    checklist = models.ForeignKey(
        Checklist, verbose_name=_("checklist version"), null=True, blank=True, on_delete=models.PROTECT
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inspector"),
        null=True,
        blank=True,
        related_name="inspections",
        on_delete=models.PROTECT,
    )
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)

    computed_grade = models.CharField(_("computed grade"), max_length=1, choices=Grade.choices, blank=True)
    # final: computed or overridden
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices, blank=True)
    grade_override_reason = models.CharField(_("grade override reason"), max_length=300, blank=True)
    result = models.CharField(_("result"), max_length=8, choices=InspectionResult.choices, blank=True)
    fail_reason = models.CharField(_("fail reason"), max_length=20, choices=FailReason.choices, blank=True)
    result_note = models.CharField(_("result note"), max_length=500, blank=True)
    # Luxury only: None until two authenticators agree; an escalated inspection waits for a senior.
    authenticated = models.BooleanField(_("authenticated"), null=True, blank=True)
    escalated = models.BooleanField(_("escalated"), default=False)

    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        indexes = [
            models.Index(fields=["status", "created_at", "id"], name="inspection_queue"),
            models.Index(
                fields=["created_at", "id"],
                name="inspection_escalated",
                condition=Q(escalated=True, status="awaiting_second_opinion"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(result="failed") | ~Q(fail_reason=""), name="inspection_failure_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject_code} {self.title}"


class InspectionEvent(StatusEvent):
    """The audit trail: every status change and every recorded action, with who and when."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), related_name="events", on_delete=models.CASCADE
    )
    old = models.CharField(_("old status"), max_length=24, choices=InspectionStatus.choices)
    new = models.CharField(_("new status"), max_length=24, choices=InspectionStatus.choices)

    class Meta:
        verbose_name = _("inspection event")
        verbose_name_plural = _("inspection events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.inspection_id}: {self.old} → {self.new}"

    @classmethod
    def catalog(cls) -> Catalog:
        from inspection.messages import MESSAGES  # on first use: a catalog may name choices declared here

        return MESSAGES


class CheckOutcome(models.TextChoices):
    PASS = "pass", _("Pass")
    DEFECT = "defect", _("Defect")


class CheckResult(models.Model):
    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), related_name="results", on_delete=models.CASCADE
    )
    check_item = models.ForeignKey(
        Check, verbose_name=_("check"), related_name="results", on_delete=models.PROTECT
    )
    outcome = models.CharField(_("outcome"), max_length=8, choices=CheckOutcome.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    measured_value = models.CharField(_("measured value"), max_length=60, blank=True)
    # a public, metadata-free photo of the defect
    photo_key = models.CharField(_("photo key"), max_length=40, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("check result")
        verbose_name_plural = _("check results")
        ordering = ["check_item__position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "check_item"], name="check_result_once_per_inspection"
            )
        ]

    def __str__(self) -> str:
        return f"{self.inspection_id}:{self.check_item_id} {self.outcome}"


class Verdict(models.TextChoices):
    GENUINE = "genuine", _("Genuine")
    COUNTERFEIT = "counterfeit", _("Counterfeit")


class AuthenticityVerdict(models.Model):
    """One authenticator's verdict. Two different people must agree before the badge shows."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), related_name="verdicts", on_delete=models.CASCADE
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("authenticator"), on_delete=models.PROTECT
    )
    verdict = models.CharField(_("verdict"), max_length=12, choices=Verdict.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("authenticity verdict")
        verbose_name_plural = _("authenticity verdicts")
        ordering = ["at", "id"]
        constraints = [models.UniqueConstraint(fields=["inspection", "by"], name="verdict_once_per_person")]

    def __str__(self) -> str:
        return f"{self.inspection_id} {self.verdict} by {self.by_id}"


class Report(models.Model):
    """The public inspection report: a snapshot of the result, with no personal data of the seller.
    `content` is what the page and the PDF show; `content_hash` (SHA-256 of its canonical JSON) lets
    anyone check that a printed report matches the one online."""

    code = models.CharField(_("code"), max_length=12, unique=True, default=new_report_code, editable=False)
    inspection = models.OneToOneField(
        Inspection, verbose_name=_("inspection"), related_name="report", on_delete=models.PROTECT
    )
    content = models.JSONField(_("content"))
    content_hash = models.CharField(_("content hash"), max_length=64)
    published_at = models.DateTimeField(_("published at"), default=timezone.now)

    class Meta:
        verbose_name = _("inspection report")
        verbose_name_plural = _("inspection reports")

    def __str__(self) -> str:
        return self.code
