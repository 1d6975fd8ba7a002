"""Forms for the staff pages of the inspection desk. They check the shape of what was typed (a choice
from the list, a length); the rules of the desk (a value in range, a note for a defect, every check
answered, a reason for an override, two different authenticators) are the services' to enforce, and
their errors are shown next to the field they name."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from inspection.models import Check, CheckOutcome, FailReason, MeasureKind, Verdict
from listings.models import Grade

ACCEPTED_PHOTO_TYPES = "image/jpeg,image/png,image/webp"


class CheckForm(forms.Form):
    """One check's answer in its group's form. Built with `prefix=f"check-{check.pk}"` so that the
    checks of a group share one form. The outcome may be left blank: that check is not answered by
    this request (the service says what else a blank outcome allows)."""

    outcome = forms.ChoiceField(
        label=_("Result"),
        choices=CheckOutcome.choices,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": _("Choose pass or defect.")},
    )
    measured_value = forms.CharField(label=_("Measured value"), max_length=60, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ACCEPTED_PHOTO_TYPES}),
    )

    def __init__(self, *args, check: Check, **kwargs) -> None:
        kwargs.setdefault("prefix", f"check-{check.pk}")
        super().__init__(*args, **kwargs)
        self.check = check
        if check.measure == MeasureKind.NONE:
            del self.fields["measured_value"]
            return
        field = self.fields["measured_value"]
        if check.unit:
            field.label = _("Measured value (%(unit)s)") % {"unit": check.unit}
        if check.measure == MeasureKind.NUMBER:
            field.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})
            field.help_text = range_hint(check)
        else:
            field.widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})


# The names a group's form gives its checks' inputs: check-<id>-<field>.
CHECK_INPUT = re.compile(r"check-(?P<check_id>[0-9]{1,18})-(?:outcome|measured_value|note|photo)")


class CheckGroupForm:
    """One group of the checklist as one form: a CheckForm per check of the group, and which button
    was pressed ("save" or "pass_remaining"). Input that names a check outside the group, or a
    check input this form does not have, makes the whole form invalid (`group_errors`)."""

    def __init__(self, data=None, files=None, *, checks: list[Check], initial: dict[int, dict]) -> None:
        self.data = data
        self.files = files
        self.forms = {
            check.pk: CheckForm(data, files, check=check, initial=initial.get(check.pk)) for check in checks
        }
        self.group_errors: list[str] = []

    @property
    def pass_remaining(self) -> bool:
        return self.data is not None and self.data.get("action") == "pass_remaining"

    def _stray_inputs(self) -> bool:
        names = [*(self.data or {}).keys(), *(self.files or {}).keys()]
        for name in names:
            if not name.startswith("check-"):
                continue  # the CSRF token, the button, anything else: not ours to judge
            match = CHECK_INPUT.fullmatch(name)
            if match is None or int(match["check_id"]) not in self.forms:
                return True
        return False

    def is_valid(self) -> bool:
        if self.data is None:
            return False
        if self._stray_inputs() and not self.group_errors:
            self.group_errors.append(str(_("That check is not in this group of this item's checklist.")))
        valid = [form.is_valid() for form in self.forms.values()]  # every form, so each shows its errors
        return not self.group_errors and all(valid)

    @property
    def has_errors(self) -> bool:
        return bool(self.group_errors) or any(form.errors for form in self.forms.values())

    def add_check_error(self, check_id: int, field: str | None, message: str) -> None:
        form = self.forms[check_id]
        form.add_error(field if field in form.fields else None, message)


def range_hint(check: Check) -> str:
    """ "Between 80 and 100 %", "At least 80 %", "At most 5 s/day" or nothing, from the check's range."""
    unit = f" {check.unit}" if check.unit else ""
    low = _plain_number(check.min_value)
    high = _plain_number(check.max_value)
    if low is not None and high is not None:
        return _("Between %(low)s and %(high)s%(unit)s") % {"low": low, "high": high, "unit": unit}
    if low is not None:
        return _("At least %(low)s%(unit)s") % {"low": low, "unit": unit}
    if high is not None:
        return _("At most %(high)s%(unit)s") % {"high": high, "unit": unit}
    return ""


def _plain_number(value) -> str | None:
    if value is None:
        return None
    # 80.000 → "80", 0.500 → "0.5": the stored scale is three places, the reader wants the number.
    text = format(value.normalize(), "f")
    return text


class PassForm(forms.Form):
    """Completing as passed: the computed grade stands unless another is chosen, with a reason."""

    grade_override = forms.ChoiceField(
        label=_("Grade"),
        choices=[("", _("As computed")), *Grade.choices],
        required=False,
        error_messages={"invalid_choice": _("Choose a grade from the list.")},
    )
    override_reason = forms.CharField(label=_("Why a different grade"), max_length=300, required=False)
    note = forms.CharField(
        label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class FailForm(forms.Form):
    fail_reason = forms.ChoiceField(
        label=_("Why it fails"),
        choices=[("", _("Choose a reason")), *FailReason.choices],
        error_messages={
            "required": _("Choose why the item fails."),
            "invalid_choice": _("Choose a reason from the list."),
        },
    )
    note = forms.CharField(
        label=_("What you found"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Describe what you found: the seller reads it.")},
    )


class VerdictForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("Verdict"),
        choices=Verdict.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose genuine or counterfeit."),
            "invalid_choice": _("Choose genuine or counterfeit."),
        },
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class ResolveForm(VerdictForm):
    """The third authenticator's decision on a disagreement: the note is required (it is the record
    of why one verdict was preferred)."""

    note = forms.CharField(
        label=_("Why"),
        max_length=300,
        error_messages={"required": _("Say why you decided this way.")},
    )
