"""Serializers for the workbench API. They read and validate; writes go through inspection.services.

The workbench shows staff what they work on: the item as received (its copy of category, model, title
and declared grade, and the submission's code), never the seller's personal data.
"""

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import User
from inspection.models import (
    Check,
    CheckOutcome,
    CheckResult,
    FailReason,
    Inspection,
    InspectionResult,
    InspectionStatus,
    MeasureKind,
    Severity,
    Verdict,
)
from inspection.services.workbench import check_photo_url
from listings.api.serializers import CategorySerializer
from listings.models import CatalogModel, Grade

# --- Input --------------------------------------------------------------------------------------------


class CheckRecordSerializer(serializers.Serializer):
    """One check's result, as the inspector records it (multipart when a photo comes with it)."""

    check = serializers.SlugField(
        max_length=60, help_text="The check's `code` in this inspection's checklist, e.g. `battery_health`."
    )
    outcome = serializers.ChoiceField(choices=CheckOutcome.choices)
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=300, default="", help_text="What was found."
    )
    measured_value = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=60,
        default="",
        help_text="For checks with a `measure`: a number within the check's range, or the text read "
        "(an IMEI, a date code).",
    )
    photo = serializers.FileField(
        required=False, allow_null=True, help_text="A photo of the defect (JPEG, PNG or WebP)."
    )


class CompleteSerializer(serializers.Serializer):
    passed = serializers.BooleanField(help_text="True to pass with a grade, false to fail with a reason.")
    grade_override = serializers.ChoiceField(
        choices=Grade.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="A grade other than the one computed from the defects; needs `override_reason`.",
    )
    override_reason = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")
    fail_reason = serializers.ChoiceField(
        choices=FailReason.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required when `passed` is false.",
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class VerdictSerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


# --- Output -------------------------------------------------------------------------------------------


class StaffMemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["username", "display_name"]
        read_only_fields = fields


class InspectedModelSerializer(serializers.ModelSerializer):
    class Meta:
        model = CatalogModel
        fields = ["id", "name"]
        read_only_fields = fields


class ReportLinkSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="The report's public code.")
    url = serializers.URLField(help_text="The public report page, `/r/<code>/`.")
    pdf_url = serializers.URLField(help_text="The same report as a PDF, `/r/<code>.pdf`.")


def report_link(inspection: Inspection, request) -> dict | None:
    """The public report's code and absolute URL, once the inspection is completed and published."""
    if inspection.status != InspectionStatus.COMPLETED:
        return None
    try:
        report = inspection.report
    except Inspection.report.RelatedObjectDoesNotExist:
        return None
    url = reverse("reports:detail", args=[report.code])
    pdf_url = reverse("reports:pdf", args=[report.code])
    if request is not None:
        url, pdf_url = request.build_absolute_uri(url), request.build_absolute_uri(pdf_url)
    return {"code": report.code, "url": url, "pdf_url": pdf_url}


class QueueItemSerializer(serializers.ModelSerializer):
    """A received item in the queue: what it is and how long it has waited."""

    category = CategorySerializer(read_only=True)
    catalog_model = InspectedModelSerializer(read_only=True, allow_null=True)
    declared_grade = serializers.ChoiceField(
        choices=Grade.choices, read_only=True, help_text="What the seller declared."
    )
    status = serializers.ChoiceField(choices=InspectionStatus.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    inspector = StaffMemberSerializer(read_only=True, allow_null=True)
    received_at = serializers.DateTimeField(source="created_at", read_only=True)
    waiting_seconds = serializers.SerializerMethodField(help_text="How long it has waited since it arrived.")

    class Meta:
        model = Inspection
        fields = [
            "id",
            "subject_code",
            "title",
            "category",
            "catalog_model",
            "declared_grade",
            "status",
            "status_label",
            "inspector",
            "claimed_at",
            "received_at",
            "waiting_seconds",
        ]
        read_only_fields = fields

    def get_waiting_seconds(self, inspection: Inspection) -> int:
        # queue_for_inspectors annotates `waiting` against one `now` for the whole page.
        waiting = getattr(inspection, "waiting", None) or (timezone.now() - inspection.created_at)
        return max(int(waiting.total_seconds()), 0)


class CheckResultSerializer(serializers.ModelSerializer):
    outcome = serializers.ChoiceField(choices=CheckOutcome.choices, read_only=True)
    photo_url = serializers.SerializerMethodField(help_text="The photo of the defect, or null without one.")
    recorded_by = StaffMemberSerializer(read_only=True)

    class Meta:
        model = CheckResult
        fields = ["outcome", "note", "measured_value", "photo_url", "recorded_by", "recorded_at"]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_photo_url(self, result: CheckResult) -> str | None:
        if not result.photo_key:
            return None
        url = check_photo_url(result.photo_key)
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class ChecklistItemSerializer(serializers.ModelSerializer):
    """One check of the checklist, with what was recorded for it (null while unanswered)."""

    label = serializers.CharField(  # type: ignore[assignment]  # a declared field: the serializer's metaclass takes it off the class
        source="display_label", read_only=True, help_text="In the request's language."
    )
    severity = serializers.ChoiceField(choices=Severity.choices, read_only=True)
    measure = serializers.ChoiceField(choices=MeasureKind.choices, read_only=True)
    min_value = serializers.DecimalField(max_digits=12, decimal_places=3, read_only=True, allow_null=True)
    max_value = serializers.DecimalField(max_digits=12, decimal_places=3, read_only=True, allow_null=True)
    result = serializers.SerializerMethodField()

    class Meta:
        model = Check
        fields = [
            "id",
            "code",
            "group",
            "label",
            "severity",
            "measure",
            "unit",
            "min_value",
            "max_value",
            "result",
        ]
        read_only_fields = fields

    @extend_schema_field(CheckResultSerializer(allow_null=True))
    def get_result(self, check: Check) -> dict | None:
        result = self.context.get("results", {}).get(check.pk)
        return CheckResultSerializer(result).data if result is not None else None


class DefectSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="The check's code.")
    severity = serializers.ChoiceField(choices=Severity.choices)
    measured = serializers.BooleanField(
        help_text="True when the measured value made (or worsened) the defect."
    )


class GradePreviewSerializer(serializers.Serializer):
    """The grade the results recorded so far lead to (reads an inspection.grading.GradeOutcome)."""

    grade = serializers.ChoiceField(
        choices=Grade.choices, allow_null=True, help_text="Null when a critical defect means no grade."
    )
    fails = serializers.BooleanField(help_text="A critical defect was found: the item must be failed.")
    failing_checks = serializers.ListField(child=serializers.CharField(), help_text="The critical defects.")
    defects = DefectSerializer(many=True)
    reasons = serializers.ListField(child=serializers.CharField(), help_text="Why this grade, in words.")


class RecordedCheckSerializer(serializers.Serializer):
    """The answer to recording a check: its result and the grade the defects now give."""

    check = serializers.SlugField(help_text="The check's code.")
    result = CheckResultSerializer()
    grade_preview = GradePreviewSerializer(help_text="The grade the results recorded so far lead to.")


class VerdictReadSerializer(serializers.Serializer):
    by = StaffMemberSerializer()
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    note = serializers.CharField()
    at = serializers.DateTimeField()


class InspectionOutcomeSerializer(serializers.ModelSerializer):
    """Where an inspection stands after completing or a verdict: status, result, grade and the report."""

    status = serializers.ChoiceField(choices=InspectionStatus.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    result = serializers.ChoiceField(
        choices=InspectionResult.choices,
        allow_blank=True,
        read_only=True,
        help_text="Empty until the inspection is completed.",
    )
    grade = serializers.ChoiceField(
        choices=Grade.choices, allow_blank=True, read_only=True, help_text="The final grade once passed."
    )
    fail_reason = serializers.ChoiceField(
        choices=FailReason.choices, allow_blank=True, read_only=True, help_text="Set when failed."
    )
    authenticated = serializers.BooleanField(
        read_only=True,
        allow_null=True,
        help_text="Luxury items: true once two authenticators agree it is genuine; null before.",
    )
    report = serializers.SerializerMethodField(help_text="The public report once completed, else null.")

    class Meta:
        model = Inspection
        fields = [
            "id",
            "subject_code",
            "status",
            "status_label",
            "result",
            "grade",
            "grade_override_reason",
            "fail_reason",
            "result_note",
            "authenticated",
            "escalated",
            "completed_at",
            "report",
        ]
        read_only_fields = fields

    @extend_schema_field(ReportLinkSerializer(allow_null=True))
    def get_report(self, inspection: Inspection) -> dict | None:
        return report_link(inspection, self.context.get("request"))


class InspectionDetailSerializer(InspectionOutcomeSerializer):
    """One inspection as the workbench shows it: the item, the checklist with each check's recorded
    result, the grade the defects give so far, the verdicts and, once completed, the report."""

    category = CategorySerializer(read_only=True)
    catalog_model = InspectedModelSerializer(read_only=True, allow_null=True)
    declared_grade = serializers.ChoiceField(choices=Grade.choices, read_only=True)
    inspector = StaffMemberSerializer(read_only=True, allow_null=True)
    received_at = serializers.DateTimeField(source="created_at", read_only=True)
    checklist_version = serializers.SerializerMethodField(
        help_text="The checklist version used; null until the item is claimed."
    )
    checks = serializers.SerializerMethodField()
    answered = serializers.SerializerMethodField(help_text="How many checks have a result.")
    grade_preview = serializers.SerializerMethodField(
        help_text="The grade the results recorded so far lead to; null until the item is claimed."
    )
    verdicts = VerdictReadSerializer(many=True, read_only=True)

    class Meta(InspectionOutcomeSerializer.Meta):
        fields = [
            *InspectionOutcomeSerializer.Meta.fields,
            "title",
            "category",
            "catalog_model",
            "declared_grade",
            "inspector",
            "claimed_at",
            "received_at",
            "checklist_version",
            "checks",
            "answered",
            "grade_preview",
            "verdicts",
        ]
        read_only_fields = fields

    def _results(self, inspection: Inspection) -> dict[int, CheckResult]:
        return {result.check_item_id: result for result in inspection.results.all()}

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_checklist_version(self, inspection: Inspection) -> int | None:
        return inspection.checklist.version if inspection.checklist is not None else None

    @extend_schema_field(ChecklistItemSerializer(many=True))
    def get_checks(self, inspection: Inspection) -> list[dict]:
        if inspection.checklist is None:
            return []
        context = {**self.context, "results": self._results(inspection)}
        return ChecklistItemSerializer(inspection.checklist.checks.all(), many=True, context=context).data  # type: ignore[return-value]  # many=True gives a ListSerializer, whose data is a list

    def get_answered(self, inspection: Inspection) -> int:
        return len(inspection.results.all())

    @extend_schema_field(GradePreviewSerializer(allow_null=True))
    def get_grade_preview(self, inspection: Inspection) -> dict | None:
        preview = self.context.get("grade_preview")
        return GradePreviewSerializer(preview).data if preview is not None else None
