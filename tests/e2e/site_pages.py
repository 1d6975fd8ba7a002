"""Every page of the site, for the accessibility and HTML checks (`test_accessibility.py`).

Each entry is one page as a person sees it: who is signed in, and how to find the page in the demo
data (`seed_demo`). A page that needs steps in the browser first (the "Sell with us" flow keeps its
answers in the session) says so with `reach`, which drives the browser from the page before.

`test_every_page_route_is_listed` walks the URL patterns and fails for a page route that is neither
here nor in NOT_PAGES, so a new page joins this list the day it is written. `docs/architecture.md`
says how to add one.
"""

import dataclasses
import io
from collections.abc import Callable
from datetime import timedelta

from PIL import Image, ImageDraw

# Usernames of seed_demo's personas, by what they do.
ANONYMOUS = ""
SHOPPER = "shopper"
SELLER = "seller"
INSPECTOR = "inspector"
AUTHENTICATOR = "authenticator"
OPERATIONS = "operations"
CREATOR = "creator"


@dataclasses.dataclass(frozen=True)
class SitePage:
    route: str  # the URL pattern's name, namespace:name
    persona: str  # username signed in, or ANONYMOUS
    path: Callable[[], str]  # the English path; Chinese is the same under /zh-hans
    reach: Callable | None = None  # reach(page, base_url): browser steps that end on the page
    label: str = ""  # tells two entries of one route apart
    status: int = 200  # what the page answers with (the error pages answer with their code)

    @property
    def name(self) -> str:
        return f"{self.route}{'[' + self.label + ']' if self.label else ''}"


def open_page(page, entry: "SitePage", prefix: str, problems: list[str], where: str):
    """Open `entry` in `page` in the language of `prefix` ("" or "/zh-hans"), by its path or by the
    steps that reach it. Returns the response, or None after noting in `problems` why it did not load."""
    from playwright.sync_api import Error as PlaywrightError

    path = prefix + entry.path()
    try:
        if entry.reach is not None:
            entry.reach(page, prefix)
            return page.reload()
        return page.goto(path)
    except PlaywrightError as error:
        problems.append(f"{where}: {path} did not load: {error.message.splitlines()[0]}")
        return None


def _reverse(route: str, *args) -> Callable[[], str]:
    def resolve() -> str:
        from django.urls import reverse
        from django.utils import translation

        with translation.override("en"):
            return reverse(route, args=[arg() if callable(arg) else arg for arg in args])

    return resolve


def _conversation() -> int:
    """The demo shopper's conversation with a seller (seed_demo)."""
    from messaging.models import Conversation

    return Conversation.objects.filter(buyer__username=SHOPPER).order_by("pk").values_list("pk", flat=True)[0]


def _reported_conversation() -> int:
    """A demo conversation the shopper reported, which staff may read (made here through the service)."""
    from accounts.models import User
    from messaging.models import Report
    from messaging.services import user_report

    report = Report.objects.order_by("pk").first()
    if report is None:
        report = user_report(
            reporter=User.objects.get(username=SHOPPER),
            conversation_id=_conversation(),
            reason="The seller asked me to pay outside Reloop.",
        )
    return report.conversation_id


def _offer(*, by_seller: bool) -> Callable[[], int]:
    """An open offer in the demo shopper's threads: a seller's counter the shopper answers, or the
    shopper's offer the demo seller answers (seed_demo)."""

    def find() -> int:
        from orders.models import Offer, OfferStatus

        return (
            Offer.objects.filter(buyer__username=SHOPPER, by_seller=by_seller, status=OfferStatus.PENDING)
            .filter(**({} if by_seller else {"seller__username": SELLER}))
            .order_by("pk")
            .values_list("pk", flat=True)[0]
        )

    return find


def _listing_to_offer_on() -> int:
    """A private seller's item on sale that the demo shopper has made no offer on."""
    from listings.models import Listing, ListingSource, ListingStatus

    return (
        Listing.objects.filter(source=ListingSource.PERSON, status=ListingStatus.ACTIVE)
        .exclude(seller__username=SHOPPER)
        .exclude(offers__buyer__username=SHOPPER)
        .order_by("pk")
        .values_list("pk", flat=True)[0]
    )


def _unsubscribe_path() -> str:
    """The unsubscribe link of an e-mail to the demo seller: opened signed out, from a mail program."""
    from django.urls import reverse
    from django.utils import translation

    from accounts.models import User
    from notifications.services import unsubscribe_token

    token = unsubscribe_token(user=User.objects.get(username=SELLER), kind="submission.offer")
    with translation.override("en"):
        return reverse("notifications:unsubscribe", args=[token])


def _show(status: str) -> Callable[[], int]:
    """seed_demo_live's show in `status` (live, or ended)."""

    def find() -> int:
        from live.models import Show

        return Show.objects.filter(status=status).order_by("pk").values_list("pk", flat=True)[0]

    return find


def _creator_video() -> int:
    """seed_demo_creators' first video."""
    from feed.models import CreatorVideo

    return CreatorVideo.objects.order_by("pk").values_list("pk", flat=True)[0]


def _store(username: str) -> Callable[[], str]:
    """The slug of seed_demo_stores' store of `username`."""

    def slug() -> str:
        from trust.models import Store

        return Store.objects.get(owner__username=username).slug

    return slug


def _store_pk(username: str) -> Callable[[], int]:
    """The id of seed_demo_stores' store of `username`."""

    def pk() -> int:
        from trust.models import Store

        return Store.objects.get(owner__username=username).pk

    return pk


def _sellers_item_on_sale() -> int:
    """One of the demo seller's own items on sale."""
    from listings.models import Listing, ListingSource, ListingStatus

    return (
        Listing.objects.filter(
            seller__username=SELLER, source=ListingSource.PERSON, status=ListingStatus.ACTIVE
        )
        .order_by("-pk")
        .values_list("pk", flat=True)[0]
    )


def _listing_with_report() -> int:
    from listings.models import Listing, ListingStatus

    return (
        Listing.objects.filter(status=ListingStatus.ACTIVE)
        .exclude(report_code="")
        .order_by("-authenticated", "pk")
        .values_list("pk", flat=True)
        .first()
    )


def _private_listing() -> int:
    from listings.models import Listing, ListingStatus

    return (
        Listing.objects.filter(status=ListingStatus.ACTIVE, report_code="")
        .exclude(seller__username=SHOPPER)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )


def _sellers_listing() -> int:
    from listings.models import Listing

    return Listing.objects.filter(seller__username=SELLER).order_by("pk").values_list("pk", flat=True).first()


def _category_slug() -> str:
    from listings.models import Category

    return (
        Category.objects.filter(parent__isnull=True)
        .order_by("position", "pk")
        .values_list("slug", flat=True)[0]
    )


def _report_code() -> str:
    from inspection.models import Report

    return Report.objects.order_by("pk").values_list("code", flat=True)[0]


def _order(status: str, *, buyer: str = SHOPPER) -> Callable[[], str]:
    def number() -> str:
        from orders.models import Order

        return (
            Order.objects.filter(status=status, buyer__username=buyer)
            .order_by("pk")
            .values_list("number", flat=True)[0]
        )

    return number


def _submission(status: str) -> Callable[[], int]:
    def pk() -> int:
        from recycling.models import Submission

        return (
            Submission.objects.filter(status=status, seller__username=SELLER)
            .order_by("pk")
            .values_list("pk", flat=True)[0]
        )

    return pk


def _flagged_submission() -> int:
    """The seller's estimated submission whose front photo the checks flagged (made by
    states_the_demo_leaves_out: the demo's photos pass every check)."""
    from recycling.models import Submission

    for submission in (
        Submission.objects.filter(status="estimated", seller__username=SELLER)
        .prefetch_related("valuations")
        .order_by("-pk")
    ):
        current = submission.valuations.all()[0] if submission.valuations.all() else None
        if current is not None and any(flag.get("view") == "front" for flag in current.photo_flags):
            return submission.pk
    raise LookupError("no flagged submission: run states_the_demo_leaves_out first")


def _inspection_in_progress() -> int:
    from inspection.models import Inspection, InspectionStatus

    return (
        Inspection.objects.filter(status=InspectionStatus.IN_PROGRESS)
        .order_by("pk")
        .values_list("pk", flat=True)[0]
    )


def _address(username: str) -> Callable[[], int]:
    def pk() -> int:
        from accounts.models import Address

        return Address.objects.filter(user__username=username).order_by("pk").values_list("pk", flat=True)[0]

    return pk


def _email_confirmation_token() -> str:
    from accounts.email_confirmation import confirmation_token
    from accounts.models import User

    return confirmation_token(User.objects.get(username=SHOPPER))


def _password_reset_link() -> str:
    """The link a password reset e-mail carries, for the shopper: it opens the new-password form."""
    from django.contrib.auth.tokens import default_token_generator
    from django.urls import reverse
    from django.utils import translation
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from accounts.models import User

    user = User.objects.get(username=SHOPPER)
    with translation.override("en"):
        return reverse(
            "accounts:password_reset_confirm",
            args=[urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)],
        )


def _password_reset_form() -> str:
    """Where the reset link lands: the new-password form, at an address without the token (Django
    moves the token into the session and redirects, so that it does not leak through the Referer)."""
    from django.urls import reverse
    from django.utils import translation

    uidb64 = _password_reset_link().rstrip("/").split("/")[-2]
    with translation.override("en"):
        return reverse("accounts:password_reset_confirm", args=[uidb64, "set-password"])


def _follow_password_reset_link(page, prefix: str) -> None:
    page.goto(prefix + _password_reset_link())
    page.wait_for_url("**/set-password/")


def _payment_reference() -> str:
    from sandbox.models import SandboxPayment

    return SandboxPayment.objects.order_by("-pk").values_list("reference", flat=True)[0]


def photo(seed: int) -> bytes:
    """A sharp, well-lit 1600 x 1200 JPEG that passes the photo checks, different per seed."""
    image = Image.new("RGB", (1600, 1200), (200, 200, 190))
    draw = ImageDraw.Draw(image)
    for x in range(0, 1600, 80):
        for y in range(0, 1200, 80):
            if (x // 80 + y // 80 + seed) % 2:
                draw.rectangle((x, y, x + 79, y + 79), fill=(60 + seed * 40, 90, 120))
    draw.ellipse((400 + seed * 100, 300, 900 + seed * 100, 800), outline=(250, 250, 250), width=12)
    output = io.BytesIO()
    image.save(output, format="JPEG", quality=90)
    return output.getvalue()


def dark_photo(seed: int) -> bytes:
    """photo(seed), too dark for the photo checks (they flag it, and the seller may replace it)."""
    image = Image.eval(Image.open(io.BytesIO(photo(seed))), lambda value: value // 8)
    output = io.BytesIO()
    image.save(output, format="JPEG", quality=90)
    return output.getvalue()


def states_the_demo_leaves_out(site_url: str) -> None:
    """Make, through the services, the states a page shows that the demo data leaves out: an order
    awaiting payment, an inspection on the bench, a consignment whose term ended, a submission whose
    front photo the checks flagged (valued at once: the tests run the job in-process)."""
    from accounts.models import User
    from consignment.models import Consignment, ConsignmentStatus
    from consignment.services.lifecycle import consignment_terms_end
    from inspection.services.workbench import inspection_claim_next
    from orders.services.checkout import order_address_set, order_place, payment_start
    from tests.orders.helpers import SHIP_TO

    shopper = User.objects.get(username=SHOPPER)
    order = order_place(buyer=shopper, listing_id=_private_listing())
    order_address_set(order_id=order.pk, buyer=shopper, address=SHIP_TO)
    payment_start(order_id=order.pk, buyer=shopper, return_url=f"{site_url}/")

    inspection_claim_next(inspector=User.objects.get(username=INSPECTOR))

    listed = Consignment.objects.filter(status=ConsignmentStatus.LISTED).order_by("pk").first()
    consignment_terms_end(now=listed.term_ends_at + timedelta(minutes=1))
    assert Consignment.objects.filter(status=ConsignmentStatus.UNSOLD).exists()

    _submit_with_a_dark_front_photo(User.objects.get(username=SELLER))


def _submit_with_a_dark_front_photo(seller) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from listings.models import CatalogModel
    from recycling.questionnaire import fixed_by_model, questionnaire_for
    from recycling.services.intake import submission_create

    model = CatalogModel.objects.select_related("category").filter(category__slug="phones").order_by("pk")[0]
    questionnaire = questionnaire_for(model.category)
    # The seller answers what the model's name does not say (a phone's storage is in its name).
    attributes = {
        attribute.name: attribute.options[0].value if attribute.is_choice else "Blue"
        for attribute in questionnaire.attributes_to_ask(fixed_by_model(questionnaire, model.name))
    }
    views = questionnaire.required_views(attributes)
    submission_create(
        seller=seller,
        category=model.category,
        catalog_model=model,
        attributes=attributes,
        condition_answers={question.name: question.answers[0].value for question in questionnaire.questions},
        photos={
            view.name: SimpleUploadedFile(
                f"{view.name}.jpg", dark_photo(seed) if index == 0 else photo(seed), content_type="image/jpeg"
            )
            for index, (seed, view) in enumerate(enumerate(views, start=3))
        },
    )
    _flagged_submission()  # valued, with its front photo flagged


# The "Sell with us" flow, one step after another. Each step answers the page before it by the
# form fields' names and values, which are the same in both languages.
def _flow_from_category(page, prefix: str) -> None:
    page.goto(f"{prefix}/sell-with-us/new/")
    page.locator("input[name=category]").first.check()
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url("**/new/model/")


def _flow_from_item(page, prefix: str) -> None:
    _flow_from_category(page, prefix)
    page.locator("#model-list input[type=radio]").first.check()
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url("**/new/details/")


def _flow_from_details(page, prefix: str) -> None:
    _flow_from_item(page, prefix)
    for group in page.locator("main form fieldset").all():
        radios = group.locator("input[type=radio]")
        if radios.count():
            radios.first.check()
    for text in page.locator("main form input[type=text]").all():
        if not text.input_value():
            text.fill("Blue")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url("**/new/condition/")


def _flow_from_condition(page, prefix: str) -> None:
    _flow_from_details(page, prefix)
    for group in page.locator("main form fieldset").all():
        radios = group.locator("input[type=radio]")
        if radios.count():
            radios.first.check()
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url("**/new/photos/")


def _flow_from_photos(page, prefix: str) -> None:
    _flow_from_condition(page, prefix)
    for seed, field in enumerate(page.locator("main form input[type=file]").all()):
        field.set_input_files({"name": f"view{seed}.jpg", "mimeType": "image/jpeg", "buffer": photo(seed)})
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url("**/new/review/")


# Routes that are no page of their own: form posts that redirect, htmx fragments, files, the admin.
NOT_PAGES = {
    "set_language": "a form post that redirects",
    "live:room_card": "a fragment of the room page (its pinned item's card)",
    "live:grab": "a form post that redirects to the order",
    "live:console_part": "a fragment of the console page (its controls, or its chat)",
    "feed:history_clear": "a form post that redirects to the history",
    "selling:video_upload": "a form post (the video) that redirects to the video's page",
    "selling:video_status": "a fragment of the video's page (the job's progress)",
    "selling:video_remove": "a form post that redirects back",
    "feed:seen": "the item page's beacon (204)",
    "feed:creator_video_post": "a form post (the video) that redirects to the video's page",
    "feed:creator_video_status": "a fragment of the video's page (the job's progress)",
    "feed:creator_link": "a creator's tracked link: counts the click and redirects to the item",
    "feed:creator_decide": "a form post that redirects to the desk",
    "feed:creator_rate": "a form post that redirects to the desk",
    "feed:personalisation": "a form post that redirects back",
    "trust:deposit_pay": "a form post that redirects to the store's page for its owner",
    "trust:close": "a form post that redirects to the store's page for its owner",
    "trust:staff_decide": "a form post that redirects to the desk",
    "trust:staff_requirement": "a form post that redirects to the desk",
    "trust:appeal": "a form post that redirects to the account health page",
    "trust:appeal_decide": "a form post that redirects to the desk",
    "trust:threshold": "a form post that redirects to the desk",
    "live:console_act": "a form post that redirects to the console",
    "live:waitlist": "a form post",
    "live:chat": "a form post",
    "live:rsvp": "a form post",
    "live:media-publish": "the media server's callback",
    "live:media-publish-done": "the media server's callback",
    "live:media-record-done": "the media server's callback",
    "notifications:go": "opens a notification: marks it read and redirects to its page",
    "listings:search_save": "a form post",
    "messaging:start": "a form post that redirects to the conversation",
    "messaging:send": "a form post (htmx swaps the messages)",
    "messaging:block": "a form post",
    "messaging:unblock": "a form post",
    "messaging:report": "a form post",
    "messaging:messages": "an htmx fragment of the conversation page",
    "messaging:photo": "a photo sent in a conversation (an image)",
    "orders:label_book": "a form post",
    "orders:shipping_label": "the prepaid label (a PDF)",
    "offers:accept": "a form post",
    "offers:decline": "a form post",
    "offers:counter": "a form post",
    "offers:withdraw": "a form post",
    "offers:panel": "an htmx fragment of the offer and conversation pages",
    "listings:saved_search_change": "a form post",
    "notifications:mark_all_read": "a form post",
    "notifications:bell": "an htmx fragment of every page's header",
    "healthz": "a health check for load balancers, plain text",
    "api-docs": "Swagger UI, a third-party page",
    "selling:photo_add": "a form post",
    "selling:listing_withdraw": "a form post",
    "selling:photo_remove": "a form post",
    "accounts:logout": "a form post",
    "accounts:address_delete": "a form post",
    "accounts:address_default": "a form post",
    "listings:favourite_toggle": "a form post (htmx swaps the button)",
    "recycling:model_search": "an htmx fragment of flow_item",
    "recycling:flow_photo": "a photo the seller just uploaded (an image)",
    "recycling:flow_submit": "a form post",
    "recycling:flow_restart": "a form post",
    "recycling:estimate_panel": "an htmx fragment of the submission page",
    "recycling:cancel": "a form post",
    "recycling:revalue": "a form post",
    "recycling:offer_recycle": "a form post",
    "recycling:offer_decline": "a form post",
    "recycling:photo": "a submission photo (an image)",
    "shipping:label": "a PDF",
    "inspection:claim_next": "a form post",
    "inspection:claim": "a form post",
    "inspection:group_save": "a form post (htmx swaps the group)",
    "inspection:complete": "a form post",
    "inspection:release": "a form post",
    "inspection:verdict": "a form post",
    "inspection:resolve": "a form post",
    "reports:pdf": "a PDF",
    "orders:buy": 'the "Buy now" form post; the order page it opens is the checkout',
    "orders:pay": "a form post that goes to the payment page",
    "orders:cancel": "a form post",
    "orders:payment_status": "an htmx fragment of the order page",
    "orders:confirm_receipt": "a form post",
    "orders:return_request": "a form post",
    "orders:return_tracking": "a form post",
    "orders:return_withdraw": "a form post",
    "orders:return_received": "a form post",
    "orders:return_label": "a PDF",
    "orders:dispute": "a form post",
    "orders:rate": "a form post",
    "orders:ship": "a form post",
    "orders_staff:ship": "a form post",
    "orders_staff:deliver": "a form post",
    "orders_staff:return_received": "a form post",
    "orders_staff:dispute": "a form post",
    "wallet_staff:approve": "a form post",
    "wallet_staff:reject": "a form post",
}

PAGES = [
    # Anyone
    SitePage("listings:home", ANONYMOUS, _reverse("listings:home")),
    SitePage("listings:category", ANONYMOUS, _reverse("listings:category", _category_slug)),
    SitePage("listings:search", ANONYMOUS, lambda: _reverse("listings:search")() + "?q=iphone"),
    SitePage(
        "listings:detail", ANONYMOUS, _reverse("listings:detail", _listing_with_report), label="inspected"
    ),
    SitePage("listings:detail", ANONYMOUS, _reverse("listings:detail", _private_listing), label="private"),
    SitePage("listings:storefront", ANONYMOUS, _reverse("listings:storefront", "reloop")),
    SitePage("live:shows", ANONYMOUS, _reverse("live:shows")),
    SitePage("live:room", SHOPPER, _reverse("live:room", _show("live")), label="live"),
    SitePage("live:room", ANONYMOUS, _reverse("live:room", _show("ended")), label="ended"),
    SitePage("live:console", OPERATIONS, _reverse("live:console", _show("live"))),
    SitePage("live:hosting", SELLER, _reverse("live:hosting")),
    SitePage("feed:history", SHOPPER, _reverse("feed:history")),
    SitePage("feed:for_you", SHOPPER, _reverse("feed:for_you")),
    SitePage("feed:creator_apply", SHOPPER, _reverse("feed:creator_apply")),
    SitePage("feed:creator_dashboard", CREATOR, _reverse("feed:creator_dashboard")),
    SitePage("feed:creator_video_new", CREATOR, _reverse("feed:creator_video_new")),
    SitePage("feed:creator_video", ANONYMOUS, _reverse("feed:creator_video", _creator_video)),
    SitePage(
        "feed:listing_creator_rate", SELLER, _reverse("feed:listing_creator_rate", _sellers_item_on_sale)
    ),
    SitePage("feed:creator_staff", OPERATIONS, _reverse("feed:creator_staff")),
    SitePage("trust:apply", SHOPPER, _reverse("trust:apply")),
    SitePage("trust:manage", SELLER, _reverse("trust:manage")),
    SitePage("trust:edit", SELLER, _reverse("trust:edit")),
    SitePage("trust:store", ANONYMOUS, _reverse("trust:store", _store(SELLER))),
    SitePage("trust:staff", OPERATIONS, _reverse("trust:staff")),
    SitePage("trust:health", "laozhang", _reverse("trust:health")),
    SitePage("trust:health", SELLER, _reverse("trust:health"), label="store"),
    SitePage("trust:violations", OPERATIONS, _reverse("trust:violations")),
    SitePage("trust:staff_store", OPERATIONS, _reverse("trust:staff_store", _store_pk(SELLER))),
    SitePage("reports:detail", ANONYMOUS, _reverse("reports:detail", _report_code)),
    SitePage("accounts:login", ANONYMOUS, _reverse("accounts:login")),
    SitePage("accounts:signup", ANONYMOUS, _reverse("accounts:signup")),
    SitePage("accounts:signup_done", ANONYMOUS, _reverse("accounts:signup_done")),
    SitePage(
        "accounts:email_confirm", ANONYMOUS, _reverse("accounts:email_confirm", _email_confirmation_token)
    ),
    SitePage(
        "accounts:email_confirm",
        ANONYMOUS,
        _reverse("accounts:email_confirm", "not-a-valid-link"),
        label="broken link",
        status=400,
    ),
    SitePage("accounts:password_reset", ANONYMOUS, _reverse("accounts:password_reset")),
    SitePage("accounts:password_reset_done", ANONYMOUS, _reverse("accounts:password_reset_done")),
    SitePage(
        "accounts:password_reset_confirm", ANONYMOUS, _password_reset_form, reach=_follow_password_reset_link
    ),
    SitePage(
        "accounts:password_reset_confirm",
        ANONYMOUS,
        _reverse("accounts:password_reset_confirm", "MQ", "not-a-token"),
        label="broken link",
    ),
    SitePage("accounts:password_reset_complete", ANONYMOUS, _reverse("accounts:password_reset_complete")),
    SitePage("recycling:start", ANONYMOUS, _reverse("recycling:start")),
    # Shopper
    SitePage("listings:favourites", SHOPPER, _reverse("listings:favourites")),
    SitePage("orders:list", SHOPPER, _reverse("orders:list")),
    SitePage("orders:detail", SHOPPER, _reverse("orders:detail", _order("delivered")), label="delivered"),
    SitePage("orders:detail", SHOPPER, _reverse("orders:detail", _order("disputed")), label="disputed"),
    SitePage("orders:detail", SHOPPER, _reverse("orders:detail", _order("pending_payment")), label="to pay"),
    SitePage(
        "orders:detail", SHOPPER, _reverse("orders:detail", _order("inspected")), label="passed inspection"
    ),
    SitePage("orders:detail", SHOPPER, _reverse("orders:detail", _order("to_centre")), label="to the centre"),
    SitePage("sandbox:pay", SHOPPER, _reverse("sandbox:pay", _payment_reference)),
    SitePage("wallet:home", SHOPPER, _reverse("wallet:home")),
    SitePage("notifications:list", SHOPPER, _reverse("notifications:list")),
    SitePage("listings:saved_searches", SHOPPER, _reverse("listings:saved_searches")),
    SitePage("messaging:inbox", SHOPPER, _reverse("messaging:inbox")),
    SitePage("messaging_staff:list", OPERATIONS, _reverse("messaging_staff:list")),
    SitePage(
        "messaging_staff:conversation",
        OPERATIONS,
        _reverse("messaging_staff:conversation", _reported_conversation),
    ),
    SitePage("messaging:conversation", SHOPPER, _reverse("messaging:conversation", _conversation)),
    SitePage("offers:list", SHOPPER, _reverse("offers:list")),
    SitePage(
        "offers:thread", SHOPPER, _reverse("offers:thread", _offer(by_seller=True)), label="counter to answer"
    ),
    SitePage(
        "offers:thread",
        SELLER,
        _reverse("offers:thread", _offer(by_seller=False)),
        label="offer to answer",
    ),
    SitePage("offers:new", SHOPPER, _reverse("offers:new", _listing_to_offer_on)),
    SitePage("notifications:preferences", SHOPPER, _reverse("notifications:preferences")),
    SitePage("notifications:unsubscribe", ANONYMOUS, _unsubscribe_path),
    SitePage("accounts:addresses", SHOPPER, _reverse("accounts:addresses")),
    SitePage("accounts:address_add", SHOPPER, _reverse("accounts:address_add")),
    SitePage("accounts:email_confirmation", SHOPPER, _reverse("accounts:email_confirmation")),
    # Seller
    SitePage("selling:listing_list", SELLER, _reverse("selling:listing_list")),
    SitePage("selling:listing_create", SELLER, _reverse("selling:listing_create")),
    SitePage("selling:listing_edit", SELLER, _reverse("selling:listing_edit", _sellers_listing)),
    SitePage("selling:listing_video", SELLER, _reverse("selling:listing_video", _sellers_listing)),
    SitePage("orders:sales", SELLER, _reverse("orders:sales")),
    SitePage("wallet:home", SELLER, _reverse("wallet:home"), label="seller"),
    # The seller's address is written in Chinese: on the English page it is marked lang="zh-hans".
    SitePage("accounts:addresses", SELLER, _reverse("accounts:addresses"), label="seller"),
    SitePage("accounts:address_edit", SELLER, _reverse("accounts:address_edit", _address(SELLER))),
    SitePage("recycling:dashboard", SELLER, _reverse("recycling:dashboard")),
    SitePage("recycling:flow_category", SELLER, _reverse("recycling:flow_category")),
    SitePage("recycling:flow_item", SELLER, _reverse("recycling:flow_item"), reach=_flow_from_category),
    SitePage(
        "recycling:flow_attributes", SELLER, _reverse("recycling:flow_attributes"), reach=_flow_from_item
    ),
    SitePage(
        "recycling:flow_condition", SELLER, _reverse("recycling:flow_condition"), reach=_flow_from_details
    ),
    SitePage("recycling:flow_photos", SELLER, _reverse("recycling:flow_photos"), reach=_flow_from_condition),
    SitePage("recycling:flow_review", SELLER, _reverse("recycling:flow_review"), reach=_flow_from_photos),
    SitePage(
        "recycling:detail", SELLER, _reverse("recycling:detail", _submission("estimated")), label="estimated"
    ),
    SitePage(
        "recycling:detail", SELLER, _reverse("recycling:detail", _submission("shipping")), label="shipping"
    ),
    SitePage(
        "recycling:detail", SELLER, _reverse("recycling:detail", _submission("offered")), label="offered"
    ),
    SitePage("shipping:book", SELLER, _reverse("shipping:book", _submission("estimated")), label="to book"),
    SitePage("shipping:book", SELLER, _reverse("shipping:book", _submission("shipping")), label="booked"),
    SitePage(
        "recycling:detail", SELLER, _reverse("recycling:detail", _flagged_submission), label="photo flagged"
    ),
    SitePage(
        "recycling:photo_replace", SELLER, _reverse("recycling:photo_replace", _flagged_submission, "front")
    ),
    SitePage("recycling:offer", SELLER, _reverse("recycling:offer", _submission("offered"))),
    SitePage("consignment:accept", SELLER, _reverse("consignment:accept", _submission("offered"))),
    SitePage("consignment:unsold", SELLER, _reverse("consignment:unsold", _submission("unsold"))),
    SitePage(
        "consignment:money", SELLER, _reverse("consignment:money", _submission("settled")), label="settled"
    ),
    SitePage(
        "consignment:money", SELLER, _reverse("consignment:money", _submission("unsold")), label="unsold"
    ),
    # Staff
    SitePage("desk:index", OPERATIONS, _reverse("desk:index")),
    SitePage("inspection:queue", INSPECTOR, _reverse("inspection:queue")),
    SitePage("inspection:inspect", INSPECTOR, _reverse("inspection:inspect", _inspection_in_progress)),
    SitePage("inspection:authentication", AUTHENTICATOR, _reverse("inspection:authentication")),
    SitePage("inspection:escalations", AUTHENTICATOR, _reverse("inspection:escalations")),
    SitePage("orders_staff:queue", OPERATIONS, _reverse("orders_staff:queue")),
    SitePage("wallet_staff:queue", OPERATIONS, _reverse("wallet_staff:queue")),
    SitePage("dashboard:home", OPERATIONS, _reverse("dashboard:home")),
    # The error pages (no route of their own)
    SitePage("error:403", SHOPPER, _reverse("desk:index"), status=403),
    SitePage("error:404", ANONYMOUS, lambda: "/l/999999999/", status=404),
]
