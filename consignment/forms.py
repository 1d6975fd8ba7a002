from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.templatetags.money import money

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class AcceptForm(forms.Form):
    """The consignment agreement: the seller may set the lowest price the item drops to. The limits
    are checked by consignment.services.agreement (they come from the offer)."""

    floor = forms.CharField(
        label=_("Lowest price (floor)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        help_text=_("The price never drops below this. Leave it as it is to keep the proposed floor."),
    )


class UnsoldChoiceForm(forms.Form):
    """The seller of an unsold item chooses: the free return, or Reloop's buy-out offer when there is
    an open one (`buyout_amount`)."""

    RETURN = "return"
    BUYOUT = "buyout"

    choice = forms.ChoiceField(label=_("What should happen to your item?"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, buyout_amount: Decimal | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, StrOrPromise]] = [(self.RETURN, _("Send it back to me, free"))]
        if buyout_amount is not None:
            choices.append(
                (self.BUYOUT, _("Sell it to Reloop for %(amount)s") % {"amount": money(buyout_amount)})
            )
        cast(forms.ChoiceField, self.fields["choice"]).choices = choices
