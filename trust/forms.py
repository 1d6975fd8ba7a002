"""The stores' forms. They read what was typed; what it may be is the services' to say
(trust.services), and their errors come back on the field at fault."""

from django import forms
from django.utils.translation import gettext_lazy as _


class StoreForm(forms.Form):
    name = forms.CharField(
        label=_("Store name"), max_length=60, error_messages={"required": _("Give the store a name.")}
    )
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_("A square photo or picture: JPEG, PNG or WebP."),
    )
    description = forms.CharField(
        label=_("About the store"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    policies = forms.CharField(
        label=_("Policies"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shipping times, returns beyond Reloop's own, warranties."),
    )
    legal_name = forms.CharField(
        label=_("Legal name"),
        max_length=120,
        help_text=_("The trader's name as registered: a company, or your own name as a sole trader."),
        error_messages={"required": _("Give the trader's legal name.")},
    )
    registration_number = forms.CharField(
        label=_("Registration number"),
        max_length=40,
        help_text=_("The trade register number (统一社会信用代码, company number)."),
        error_messages={"required": _("Give the trade register number.")},
    )
    address = forms.CharField(
        label=_("Registered address"),
        max_length=300,
        error_messages={"required": _("Give the registered address.")},
    )
    contact_email = forms.CharField(
        label=_("Contact e-mail"),
        max_length=254,
        widget=forms.EmailInput,
        error_messages={"required": _("Give a contact e-mail address.")},
    )
    contact_phone = forms.CharField(
        label=_("Contact phone"),
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        error_messages={"required": _("Give a contact phone number.")},
    )

    DETAILS = (
        "name",
        "description",
        "policies",
        "legal_name",
        "registration_number",
        "address",
        "contact_email",
        "contact_phone",
    )

    def details(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.DETAILS}


class DepositForm(forms.Form):
    amount = forms.CharField(
        label=_("Amount to pay in from your wallet"),
        max_length=14,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={"required": _("Give an amount.")},
    )
    request_key = forms.CharField(widget=forms.HiddenInput, max_length=60)


class DecideForm(forms.Form):
    reason = forms.CharField(label=_("Reason (needed to reject)"), max_length=300, required=False)


class DeductForm(forms.Form):
    dispute = forms.IntegerField(
        label=_("Dispute"), error_messages={"required": _("Choose the decided dispute.")}
    )
    amount = forms.CharField(
        label=_("Amount for the buyer"), max_length=14, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    reason = forms.CharField(label=_("Reason, for the store to read"), max_length=300)


class RequirementForm(forms.Form):
    category = forms.IntegerField()
    level = forms.IntegerField()
    amount = forms.CharField(max_length=14, required=False)


class AppealForm(forms.Form):
    statement = forms.CharField(
        label=_("Why the decision is wrong"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the decision is wrong.")},
    )


class ViolationForm(forms.Form):
    seller = forms.CharField(
        label=_("Seller's username"),
        max_length=150,
        error_messages={"required": _("Give the seller's username.")},
    )
    rule = forms.ChoiceField(label=_("Rule broken"), choices=())
    evidence = forms.CharField(
        label=_("Evidence, for the seller to read"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Describe the evidence.")},
    )

    def __init__(self, *args, rules=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["rule"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(rule.code, f"{rule.label} ({rule.points})") for rule in rules]


class AppealDecisionForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class ThresholdForm(forms.Form):
    kind = forms.CharField(max_length=20)
    points = forms.CharField(max_length=6)
    cap = forms.CharField(max_length=6, required=False)
