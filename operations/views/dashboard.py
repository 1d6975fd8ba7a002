"""The operations dashboard: how the loop is doing, for staff.

Staff in operations, inspectors or authenticators may see it: anonymous visitors are sent to sign in,
anyone else signed in gets 403, and so does a partner's staff (the figures are every provider's;
providers.scope). The service providers' figures are side by side at its end. The period comes from `?days=` (7, 30 or 90); anything else is the
default. Every figure comes from operations.dashboard in a fixed number of queries.
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_GET

from accounts.http import AuthenticatedHttpRequest
from accounts.roles import STAFF_GROUPS, RoleRequired, roles_of
from marketplace.templatetags.money import SYMBOLS, money
from operations.charts import BarChart, Series, ShareBar, daily_bar_chart, share_bar
from operations.dashboard import DEFAULT_PERIOD, PERIODS, Dashboard, dashboard_figures
from operations.provider_figures import WINDOW_DAYS, provider_figures
from providers.scope import provider_scope
from recycling.models import OfferDecision

# Colours of the choice bar, per decision (static/css/site.css, "Dashboard").
# Keyed by decision code: an OfferDecision or its stored string finds the same entry.
DECISION_CLASSES: dict[str, str] = {
    OfferDecision.RECYCLE: "db-recycle",
    OfferDecision.CONSIGN: "db-consign",
    OfferDecision.DECLINED: "db-declined",
    OfferDecision.EXPIRED: "db-expired",
}


def period_days(raw: str | None) -> int:
    """The period asked for in `?days=`, or the default for anything that is not one of PERIODS."""
    try:
        days = int((raw or "").strip())
    except ValueError:
        return DEFAULT_PERIOD
    return days if days in PERIODS else DEFAULT_PERIOD


def day_text(day: date) -> str:
    return date_format(day, pgettext("a day under a chart: a date format (month/day)", "n/j"))


def count_text(value: int | Decimal) -> str:
    return number_format(value, decimal_pos=0, force_grouping=True)


def whole_money(value: int | Decimal) -> str:
    """An amount without its cents, for a chart's grid lines: ¥5,000."""
    symbol = SYMBOLS.get(settings.CURRENCY, settings.CURRENCY + " ")
    return symbol + count_text(value)


def _inspection_chart(figures: Dashboard) -> BarChart:
    days = figures.inspections
    busiest = max(days, key=lambda day: day.total) if days else None
    description = ngettext(
        "%(total)s inspection completed from %(first)s to %(last)s: %(passed)s passed, %(failed)s failed.",
        "%(total)s inspections completed from %(first)s to %(last)s: %(passed)s passed, %(failed)s failed.",
        figures.inspections_total,
    ) % {
        "total": figures.inspections_total,
        "first": day_text(figures.period.dates[0]),
        "last": day_text(figures.period.dates[-1]),
        "passed": figures.inspections_passed,
        "failed": figures.inspections_failed,
    }
    if busiest is not None and busiest.total:
        description += " " + _("Busiest day: %(day)s, with %(count)s.") % {
            "day": day_text(busiest.day),
            "count": busiest.total,
        }
    return daily_bar_chart(
        chart_id="chart-inspections",
        title=_("Inspections completed per day"),
        description=description,
        days=[day.day for day in days],
        series=[
            Series(name=_("passed"), css_class="db-passed", values=[day.passed for day in days]),
            Series(name=_("failed"), css_class="db-failed", values=[day.failed for day in days]),
        ],
        day_text=day_text,
        value_text=count_text,
    )


def _sales_chart(figures: Dashboard) -> BarChart:
    days = figures.sales_days
    busiest = max(days, key=lambda day: day.value) if days else None
    description = ngettext(
        "%(orders)s order paid from %(first)s to %(last)s, worth %(value)s in all.",
        "%(orders)s orders paid from %(first)s to %(last)s, worth %(value)s in all.",
        figures.orders_paid,
    ) % {
        "orders": figures.orders_paid,
        "first": day_text(figures.period.dates[0]),
        "last": day_text(figures.period.dates[-1]),
        "value": money(figures.sales_value),
    }
    if busiest is not None and busiest.value:
        description += " " + _("Best day: %(day)s, with %(value)s.") % {
            "day": day_text(busiest.day),
            "value": money(busiest.value),
        }
    return daily_bar_chart(
        chart_id="chart-sales",
        title=_("Value of orders paid per day"),
        description=description,
        days=[day.day for day in days],
        series=[Series(name=_("paid"), css_class="db-sales", values=[day.value for day in days])],
        day_text=day_text,
        value_text=money,
        tick_text=whole_money,
    )


def _choice_bar(figures: Dashboard) -> ShareBar:
    words = [
        _("%(decision)s: %(count)s (%(share)s%%)")
        % {"decision": choice.label, "count": choice.count, "share": choice.share}
        for choice in figures.offers
        if choice.count
    ]
    description = "; ".join(words) if words else _("No offers were decided in this period.")
    return share_bar(
        chart_id="chart-choices",
        title=_("What sellers chose"),
        description=description,
        parts=[(choice.label, DECISION_CLASSES[choice.decision], choice.count) for choice in figures.offers],
    )


@login_required
@require_GET
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not roles_of(request.user):  # any staff role
        raise RoleRequired(*STAFF_GROUPS)
    if provider_scope(request.user) is not None:
        raise PermissionDenied
    days = period_days(request.GET.get("days"))
    figures = dashboard_figures(days=days)
    context = {
        "figures": figures,
        "periods": PERIODS,
        "days": days,
        "first_day": figures.period.dates[0],
        "last_day": figures.period.dates[-1],
        "inspection_chart": _inspection_chart(figures),
        "sales_chart": _sales_chart(figures),
        "choice_bar": _choice_bar(figures),
        "provider_days": WINDOW_DAYS,
        "choice_rows": [(choice, DECISION_CLASSES[choice.decision]) for choice in figures.offers],
        "providers": provider_figures(),
    }
    return render(request, "operations/dashboard.html", context)
