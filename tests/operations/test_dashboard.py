"""The operations dashboard: each figure checked by hand on small data, the SVG charts, who may see
the page, its Chinese version and its pinned query count."""

import re
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from consignment.models import Consignment, ConsignmentStatus
from consignment.settlement import consignments_settle
from inspection.models import InspectionResult, InspectionStatus
from listings.models import Grade, ListingSource, ListingStatus
from operations import charts
from operations.dashboard import dashboard_figures, dashboard_period, percent
from operations.views.dashboard import period_days
from orders.models import OrderStatus
from orders.services.money import sale_release_post
from recycling.models import Offer, OfferDecision, OfferKind, SubmissionStatus
from tests.consignment.helpers import sold_consignment
from tests.factories import InspectionFactory, ListingFactory, SubmissionFactory, UserFactory
from tests.orders.helpers import paid_order
from tests.recycling.shipping_fixtures import staff_user
from wallet.models import AccountPurpose, Cause
from wallet.services.ledger import ledger_post, platform_account, transaction_reverse, wallet_account

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")  # settings.TIME_ZONE: days are counted in it
NOW = datetime(2026, 11, 22, 15, 0, tzinfo=SHANGHAI)


def at(day: int, hour: int = 12, minute: int = 0) -> datetime:
    """A time on November `day`, 2026, Shanghai time."""
    return datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI)


def offer(*, decision: str = "", decided_at=None, kind: str = OfferKind.FINAL, submission=None) -> Offer:
    return Offer.objects.create(
        submission=submission or SubmissionFactory(status=SubmissionStatus.OFFERED),
        kind=kind,
        grade=Grade.EXCELLENT,
        cash_amount=Decimal("700.00"),
        list_price=Decimal("1000.00"),
        commission_rate=Decimal("0.250"),
        model_version="test",
        valid_until=timezone.now() + timedelta(days=7),
        decision=decision,
        decided_at=decided_at,
    )


def consignment(*, status: str = ConsignmentStatus.LISTED) -> Consignment:
    """A consignment row as the agreement leaves it (and later moves), built straight from rows."""
    made = offer(decision=OfferDecision.CONSIGN, decided_at=timezone.now())
    listing = ListingFactory(source=ListingSource.CONSIGNED, price=Decimal("1000.00"))
    return Consignment.objects.create(
        submission=made.submission,
        offer=made,
        seller=made.submission.seller,
        listing=listing,
        status=status,
        list_price=Decimal("1000.00"),
        floor_price=Decimal("600.00"),
        commission_rate=Decimal("0.250"),
        listed_at=timezone.now(),
        term_ends_at=timezone.now() + timedelta(days=90),
    )


def completed_inspection(*, result: str, completed_at: datetime, status=InspectionStatus.COMPLETED):
    fields = {"fail_reason": "not_as_declared"} if result == InspectionResult.FAILED else {}
    return InspectionFactory(status=status, result=result, completed_at=completed_at, **fields)


# --- The period -------------------------------------------------------------------------------------


def test_a_period_is_calendar_days_in_the_site_time_zone():
    period = dashboard_period(days=7, now=NOW)

    assert period.start == datetime(2026, 11, 16, tzinfo=SHANGHAI)
    assert period.end == datetime(2026, 11, 23, tzinfo=SHANGHAI)
    assert [day.day for day in period.dates] == [16, 17, 18, 19, 20, 21, 22]


def test_late_evening_in_utc_is_already_tomorrow_in_shanghai():
    # 20:00 UTC on the 21st is 04:00 on the 22nd in Shanghai: the period ends with the 22nd.
    period = dashboard_period(days=7, now=datetime(2026, 11, 21, 20, 0, tzinfo=ZoneInfo("UTC")))

    assert period.dates[-1].day == 22


@pytest.mark.parametrize(
    ("raw", "days"),
    [
        ("7", 7),
        ("30", 30),
        ("90", 90),
        (" 90 ", 90),
        (None, 30),
        ("", 30),
        ("31", 30),
        ("0", 30),
        ("-7", 30),
        ("seven", 30),
        ("7\x00", 30),
        ("9" * 400, 30),
        ("7.0", 30),
    ],
)
def test_period_asked_for_or_the_default(raw, days):
    assert period_days(raw) == days


def test_percent_rounds_half_up_to_one_decimal():
    assert percent(1, 3) == Decimal("33.3")
    assert percent(2, 3) == Decimal("66.7")
    assert percent(1, 8) == Decimal("12.5")
    assert percent(0, 0) is None


# --- Items per state --------------------------------------------------------------------------------


def test_items_per_state():
    SubmissionFactory.create_batch(2)  # drafts
    SubmissionFactory(status=SubmissionStatus.SHIPPING)
    ListingFactory.create_batch(2, source=ListingSource.PERSON)
    ListingFactory(source=ListingSource.PERSON, status=ListingStatus.SOLD)  # not on sale
    ListingFactory(source=ListingSource.PERSON, status=ListingStatus.WITHDRAWN)  # not on sale
    ListingFactory(source=ListingSource.PLATFORM)
    consignment()  # its listing is consigned and on sale
    consignment(status=ConsignmentStatus.SOLD)
    consignment(status=ConsignmentStatus.SOLD)

    figures = dashboard_figures(days=30, now=NOW)

    # The submissions behind the three consignments are counted too (they are "offered" here).
    assert [(s.value, s.count) for s in figures.submissions] == [
        ("draft", 2),
        ("shipping", 1),
        ("offered", 3),
    ]
    assert [(s.value, s.count) for s in figures.listings] == [
        ("person", 2),
        ("consigned", 3),
        ("platform", 1),
    ]
    assert [(s.value, s.count) for s in figures.consignments] == [
        ("listed", 1),
        ("sold", 2),
        ("settled", 0),
        ("unsold", 0),
        ("ended", 0),
    ]


# --- Inspection throughput --------------------------------------------------------------------------


def test_inspections_per_day_by_result_on_local_days():
    completed_inspection(result=InspectionResult.PASSED, completed_at=at(20, 10))
    completed_inspection(result=InspectionResult.PASSED, completed_at=at(20, 23, 30))
    completed_inspection(result=InspectionResult.FAILED, completed_at=at(21, 0, 30))  # just after midnight
    completed_inspection(result=InspectionResult.PASSED, completed_at=at(22, 9))
    completed_inspection(result=InspectionResult.PASSED, completed_at=at(15, 9))  # before the 7 days
    InspectionFactory(status=InspectionStatus.IN_PROGRESS)  # not completed

    figures = dashboard_figures(days=7, now=NOW)

    assert [(d.day.day, d.passed, d.failed) for d in figures.inspections] == [
        (16, 0, 0),
        (17, 0, 0),
        (18, 0, 0),
        (19, 0, 0),
        (20, 2, 0),
        (21, 0, 1),
        (22, 1, 0),
    ]
    assert (figures.inspections_total, figures.pass_rate) == (4, Decimal("75.0"))


# --- Sales ------------------------------------------------------------------------------------------


def test_orders_paid_per_day_and_by_source():
    paid_order(price="100.00", paid_at=at(21, 9))
    paid_order(price="250.50", paid_at=at(21, 23, 59), source=ListingSource.PLATFORM)
    paid_order(price="1000.00", paid_at=at(22, 0, 1), source=ListingSource.CONSIGNED)
    paid_order(price="999.00", paid_at=at(10))  # before the period
    unpaid = paid_order(price="77.00", status=OrderStatus.EXPIRED, paid_at=None)

    figures = dashboard_figures(days=7, now=NOW)

    assert [(d.day.day, d.orders, d.value) for d in figures.sales_days[-3:]] == [
        (20, 0, Decimal("0.00")),
        (21, 2, Decimal("350.50")),
        (22, 1, Decimal("1000.00")),
    ]
    assert (figures.orders_paid, figures.sales_value) == (3, Decimal("1350.50"))
    assert [(s.source, s.orders, s.value) for s in figures.sales_sources] == [
        ("person", 1, Decimal("100.00")),
        ("consigned", 1, Decimal("1000.00")),
        ("platform", 1, Decimal("250.50")),
    ]
    assert unpaid.paid_at is None


# --- Take rate --------------------------------------------------------------------------------------


def settle(order, *, commission: str) -> None:
    """The settlement's posting as the settlement job makes it: consignment payable out, the seller
    paid less the commission, the commission booked as revenue."""
    commission = Decimal(commission)
    ledger_post(
        key=f"settle:test:{order.pk}",
        cause=Cause.CONSIGNMENT_SETTLEMENT,
        lines=[
            (platform_account(purpose=AccountPurpose.CONSIGNMENT_PAYABLE), -order.price),
            (wallet_account(user=order.seller), order.price - commission),
            (platform_account(purpose=AccountPurpose.COMMISSION_REVENUE), commission),
        ],
    )


def test_take_rate_is_commission_over_the_sales_it_was_taken_on():
    # A person-to-person sale of 1,000.00 completes: 5% fee = 50.00.
    person = paid_order(price="1000.00")
    sale_release_post(order=person, amount=person.price)
    # A consigned sale of 2,000.00 completes and is settled at 25%: 500.00 commission.
    consigned = paid_order(price="2000.00", source=ListingSource.CONSIGNED)
    sale_release_post(order=consigned, amount=consigned.price)
    settle(consigned, commission="500.00")
    # Reloop's own stock sells for 800.00 (no commission) and Reloop bought an item for 300.00.
    stock = paid_order(price="800.00", source=ListingSource.PLATFORM)
    sale_release_post(order=stock, amount=stock.price)
    seller = UserFactory()
    ledger_post(
        key="recycle:test:1",
        cause=Cause.RECYCLE_PAYOUT,
        lines=[
            (platform_account(purpose=AccountPurpose.RECYCLE_PURCHASES), Decimal("-300.00")),
            (wallet_account(user=seller), Decimal("300.00")),
        ],
    )

    take = dashboard_figures(days=30).take

    assert take.commission == Decimal("550.00")
    assert take.commissioned_sales == Decimal("3000.00")
    assert take.rate == Decimal("18.3")  # 550 / 3,000
    assert take.platform_stock_sales == Decimal("800.00")
    assert take.recycle_purchases == Decimal("300.00")


def test_a_consigned_sale_counts_once_the_settlement_job_has_paid_it():
    sold_consignment(price="2000.00", commission_rate="0.250")
    person = paid_order(price="1000.00")
    sale_release_post(order=person, amount=person.price)
    before = dashboard_figures(days=7).take

    assert consignments_settle() == 1
    after = dashboard_figures(days=7)

    # Before: only the person-to-person fee (50.00 on 1,000.00); the consigned price waits in payable.
    assert (before.commission, before.commissioned_sales, before.rate) == (
        Decimal("50.00"),
        Decimal("1000.00"),
        Decimal("5.0"),
    )
    # After: 500.00 commission on the 2,000.00 sale too: 550.00 / 3,000.00.
    assert (after.take.commission, after.take.commissioned_sales, after.take.rate) == (
        Decimal("550.00"),
        Decimal("3000.00"),
        Decimal("18.3"),
    )
    assert [(s.value, s.count) for s in after.consignments if s.count] == [("settled", 1)]


def test_take_rate_leaves_out_what_was_booked_before_the_period():
    old = paid_order(price="1000.00")
    sale_release_post(order=old, amount=old.price)
    from wallet.models import Entry

    Entry.objects.update(created_at=timezone.now() - timedelta(days=40))
    recent = paid_order(price="400.00")
    sale_release_post(order=recent, amount=recent.price)

    take = dashboard_figures(days=30).take

    assert (take.commission, take.commissioned_sales, take.rate) == (
        Decimal("20.00"),
        Decimal("400.00"),
        Decimal("5.0"),
    )


def test_a_corrected_sale_takes_its_commission_back_out():
    kept = paid_order(price="1000.00")
    sale_release_post(order=kept, amount=kept.price)
    corrected = paid_order(price="600.00")
    posting = sale_release_post(order=corrected, amount=corrected.price)
    transaction_reverse(transaction_id=posting.pk, reason="Released twice by mistake.", by=None)

    take = dashboard_figures(days=7).take

    assert (take.commission, take.commissioned_sales, take.rate) == (
        Decimal("50.00"),
        Decimal("1000.00"),
        Decimal("5.0"),
    )


def test_no_commissioned_sales_means_no_take_rate():
    take = dashboard_figures(days=7).take

    assert (take.commission, take.commissioned_sales, take.rate) == (Decimal("0.00"), Decimal("0.00"), None)


# --- Recycle or consign -----------------------------------------------------------------------------


def test_offer_choices_as_counts_and_shares():
    offer(decision=OfferDecision.RECYCLE, decided_at=at(20))
    offer(decision=OfferDecision.RECYCLE, decided_at=at(21))
    offer(decision=OfferDecision.CONSIGN, decided_at=at(22, 8))
    offer(decision=OfferDecision.DECLINED, decided_at=at(16, 0, 5))
    offer(decision=OfferDecision.EXPIRED, decided_at=at(15, 23, 55))  # the day before the period
    offer()  # still open
    buyout_for = offer(decision=OfferDecision.CONSIGN, decided_at=at(20)).submission
    offer(submission=buyout_for, kind=OfferKind.BUYOUT, decision=OfferDecision.RECYCLE, decided_at=at(21))

    figures = dashboard_figures(days=7, now=NOW)

    assert [(c.decision, c.count, c.share) for c in figures.offers] == [
        ("recycle", 2, Decimal("40.0")),
        ("consign", 2, Decimal("40.0")),
        ("declined", 1, Decimal("20.0")),
        ("expired", 0, Decimal("0.0")),
    ]
    assert (figures.offers_decided, figures.recycle_share, figures.consign_share) == (
        5,
        Decimal("40.0"),
        Decimal("40.0"),
    )


# --- Days to sell -----------------------------------------------------------------------------------


def test_mean_days_to_sell_by_source():
    paid = at(22, 10)
    for days in (10, 4):
        paid_order(listing=ListingFactory(published_at=paid - timedelta(days=days)), paid_at=paid)
    platform = ListingFactory(source=ListingSource.PLATFORM, published_at=paid - timedelta(days=2, hours=12))
    paid_order(listing=platform, paid_at=paid)
    refunded = ListingFactory(published_at=paid - timedelta(days=30))
    paid_order(listing=refunded, paid_at=paid, status=OrderStatus.REFUNDED)

    figures = dashboard_figures(days=7, now=NOW)

    assert [(d.source, d.sold, d.mean_days) for d in figures.selling_days] == [
        ("person", 2, Decimal("7.0")),
        ("consigned", 0, None),
        ("platform", 1, Decimal("2.5")),
    ]


# --- Charts -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("top", "step"),
    [(0, 1), (3, 1), (4, 1), (7, 2), (8, 2), (9, 5), (20, 5), (21, 10), (1350, 500), (12345, 5000)],
)
def test_grid_steps_are_one_two_or_five_times_a_power_of_ten(top, step):
    assert charts.nice_step(top) == step


def test_day_labels_end_today_and_are_at_most_seven():
    assert charts.day_label_indexes(7) == [0, 1, 2, 3, 4, 5, 6]
    assert charts.day_label_indexes(30) == [4, 9, 14, 19, 24, 29]
    assert len(charts.day_label_indexes(90)) <= 7 and charts.day_label_indexes(90)[-1] == 89


def test_stacked_bar_geometry():
    days = dashboard_period(days=4, now=NOW).dates
    chart = charts.daily_bar_chart(
        chart_id="c",
        title="T",
        description="D",
        days=days,
        series=[
            charts.Series(name="passed", css_class="a", values=[0, 2, 3, 1]),
            charts.Series(name="failed", css_class="b", values=[0, 2, 0, 0]),
        ],
        day_text=lambda day: f"{day.month}/{day.day}",
        value_text=str,
    )

    # Tallest bar 4 → grid step 1, top 4; the plot is 176 - 18 = 158 px tall.
    assert [tick.label for tick in chart.ticks] == ["0", "1", "2", "3", "4"]
    assert chart.ticks[-1].y == "18.00"
    assert chart.bars[0].segments == []
    passed, failed = chart.bars[1].segments
    assert (passed.y, passed.height) == ("97.00", "79.00")  # 2 of 4, from the zero line up
    assert (failed.y, failed.height) == ("18.00", "79.00")  # stacked on top
    assert passed.tooltip == "11/20: passed 2"
    # Four slots of 25%: bars 17.5% wide with 3.75% either side.
    assert (chart.bars[1].x, chart.bars[1].width) == ("28.750%", "17.500%")
    assert [label.text for label in chart.day_labels] == ["11/19", "11/20", "11/21", "11/22"]
    assert {label.anchor for label in chart.day_labels} == {"middle"}


def test_a_day_label_at_the_edge_is_aligned_to_it():
    days = dashboard_period(days=30, now=NOW).dates
    chart = charts.daily_bar_chart(
        chart_id="c",
        title="T",
        description="D",
        days=days,
        series=[charts.Series(name="paid", css_class="a", values=[Decimal("10.00")] * 30)],
        day_text=lambda day: f"{day.month}/{day.day}",
        value_text=str,
    )

    # Today's slot ends at the right edge: its label ends there too, instead of spilling over.
    assert (chart.day_labels[-1].text, chart.day_labels[-1].x, chart.day_labels[-1].anchor) == (
        "11/22",
        "100.000%",
        "end",
    )
    assert chart.day_labels[0].anchor == "middle"


def test_share_bar_parts():
    bar = charts.share_bar(
        chart_id="s", title="T", description="D", parts=[("a", "x", 3), ("b", "y", 0), ("c", "z", 1)]
    )

    assert [(p.x, p.width, p.css_class) for p in bar.parts] == [
        ("0.000%", "75.000%", "x"),
        ("75.000%", "25.000%", "z"),
    ]
    assert charts.share_bar(chart_id="s", title="T", description="D", parts=[("a", "x", 0)]).parts == []


# --- The page ---------------------------------------------------------------------------------------

URL = "/staff/dashboard/"


def test_url_name():
    assert reverse("dashboard:home") == URL


@pytest.mark.parametrize("role", [roles.OPERATIONS, roles.INSPECTORS, roles.AUTHENTICATORS])
def test_staff_may_see_the_dashboard(client, role):
    client.force_login(staff_user(role))

    assert client.get(URL).status_code == 200


def test_a_superuser_may_see_the_dashboard(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    assert client.get(URL).status_code == 200


def test_a_shopper_is_refused(client):
    client.force_login(UserFactory())

    assert client.get(URL).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_page_only_reads(client):
    client.force_login(staff_user(roles.OPERATIONS))

    assert client.post(URL).status_code == 405


def test_the_page_shows_the_figures_and_charts(client):
    now = timezone.now()
    completed_inspection(result=InspectionResult.PASSED, completed_at=now)
    completed_inspection(result=InspectionResult.FAILED, completed_at=now)
    paid_order(price="1299.00", paid_at=now)
    offer(decision=OfferDecision.CONSIGN, decided_at=now)
    client.force_login(staff_user(roles.OPERATIONS))

    html = client.get(URL).content.decode()

    # Two charts of 30 days and the choice bar, each a picture with a title and a description.
    assert html.count('role="img"') == 3
    assert '<title id="chart-inspections-title">Inspections completed per day</title>' in html
    assert '<title id="chart-sales-title">Value of orders paid per day</title>' in html
    assert "2 inspections completed from" in html and "1 passed, 1 failed." in html
    assert "1 order paid from" in html and "worth ¥1,299.00 in all." in html
    # Today's bars: one passed and one failed segment, the sales bar with its value in the tooltip.
    assert len(re.findall(r'<rect class="db-passed"', html)) == 1
    assert len(re.findall(r'<rect class="db-failed"', html)) == 1
    assert re.search(r'<rect class="db-sales"[^>]*><title>[^<]*paid ¥1,299.00</title>', html)
    today = timezone.localdate()
    assert f">{today.month}/{today.day}</text>" in html  # today's label under the axis
    assert ">¥1,500</text>" in html  # the top grid line of the sales chart: steps of 500
    # The figures as text and in tables too.
    assert "Consignment accepted: 1 (100.0%)" in html
    assert (
        '<th scope="row">Private seller</th><td class="db-number">1</td><td class="db-number">¥1,299.00</td>'
        in html
    )
    assert "50.0% passed" in html
    assert "Commission booked in the period divided by the value of the sales it was taken on" in html


def test_an_empty_site_reads_as_empty(client):
    client.force_login(staff_user(roles.OPERATIONS))

    html = client.get(URL).content.decode()

    assert "No submissions yet." in html
    assert "No commissioned sales in this period." in html
    assert "0 inspections completed from" in html
    assert "0 orders paid from" in html and "worth ¥0.00 in all." in html
    assert "No offers were decided in this period." in html
    assert 'class="db-passed" x=' not in html and 'class="db-sales" x=' not in html  # no bars


@pytest.mark.parametrize(("asked", "shown"), [("7", 7), ("90", 90), ("bogus", 30), ("1000", 30)])
def test_period_selector(client, asked, shown):
    client.force_login(staff_user(roles.OPERATIONS))

    html = client.get(URL, {"days": asked}).content.decode()

    assert f'href="?days={shown}" aria-current="page"' in html
    rows = re.search(r'id="inspections-heading".*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    assert rows.count("<tr>") == shown


def test_the_chinese_page_renders(client):
    ListingFactory(source=ListingSource.PLATFORM)
    client.force_login(staff_user(roles.OPERATIONS))

    response = client.get("/zh-hans" + URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "平台自营" in html  # Reloop stock, as the listings table says it in Chinese


@pytest.mark.parametrize("count", [3, 30])
def test_page_queries(client, django_assert_num_queries, count):
    now = timezone.now()
    for index in range(count):
        SubmissionFactory()
        ListingFactory(source=ListingSource.PLATFORM)
        completed_inspection(result=InspectionResult.PASSED, completed_at=now - timedelta(days=index % 20))
        paid_order(price="100.00", paid_at=now - timedelta(days=index % 20))
        offer(decision=OfferDecision.RECYCLE, decided_at=now - timedelta(days=index % 20))
    consignment()
    client.force_login(staff_user(roles.OPERATIONS))

    # 1 the user, 1 their staff groups, 1 whose work they see (providers.scope), then one aggregate
    # query per figure: submissions, listings and consignments per state, inspections per day, orders
    # paid per day and source, the ledger's sums, offers per decision, days to sell per source; and
    # the providers' figures (operations.provider_figures): the providers, their inspections, the
    # orders of what they inspected
    with django_assert_num_queries(14):
        response = client.get(URL)
    assert response.status_code == 200
