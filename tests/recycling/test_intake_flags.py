"""Intake, after the photo checks and before the parcel: a flagged photo is named by what it shows
("Front", "正面"), never by its code; the seller replaces it and gets a new estimate; the receiving
desk and the inspection desk see the flags; and the questionnaire does not ask what the chosen model
already says (the storage of an "iPhone 13 128GB"), which is stored all the same."""

import re
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from inspection.subjects import SubjectPhotoFlag, subject_details
from listings.photos import stored_name
from recycling import questionnaire as questions
from recycling.errors import SubmissionError
from recycling.models import Submission, SubmissionEvent, SubmissionPhoto, SubmissionStatus, Valuation
from recycling.photo_checks import FlagCode, photo_flag
from recycling.selectors import submission_photo_flags
from recycling.services import photos as photo_services
from recycling.services.intake import submission_create
from recycling.views.flow import FLOW_KEY
from tests.factories import BrandFactory, CatalogModelFactory, CategoryFactory, UserFactory
from tests.listings import images
from tests.recycling.photo_samples import jpeg, scene
from tests.recycling.shipping_fixtures import booked_shipment, operations_user
from tests.shipping.helpers import record_event

pytestmark = pytest.mark.django_db

PHONE_VIEWS = ("front", "back", "screen_on")
# No storage: "iPhone 13 128GB" says it.
ANSWERS = {"colour": "Midnight", "carrier_lock": "unlocked", "account_removed": "yes"}
CONDITION = {
    "usage": "light",
    "screen_cracks": "no",
    "screen_marks": "none",
    "body": "light",
    "battery": "90",
    "works": "all",
    "repairs": "never",
}


@pytest.fixture
def phones():
    electronics = CategoryFactory(slug="electronics", name="Electronics")
    return CategoryFactory(slug="phones", name="Phones", name_zh="手机", parent=electronics)


@pytest.fixture
def iphone(phones):
    return CatalogModelFactory(
        brand=BrandFactory(slug="apple", name="Apple"),
        category=phones,
        name="iPhone 13 128GB",
        launch_price=Decimal("5999.00"),
        launch_year=timezone.now().year - 3,
    )


@pytest.fixture
def seller(client):
    user = UserFactory()
    client.force_login(user)
    return user


def _dark(seed: int) -> bytes:
    return jpeg(Image.eval(scene(seed=seed), lambda value: value // 8))


def _upload(data: bytes, name: str = "photo.jpg"):
    return images.upload(data, name)


def _submitted(seller, iphone, django_capture_on_commit_callbacks, *, dark_front: bool = True) -> Submission:
    """A submission made as the flow makes it, valued by the (eager) job: its front photo is too dark."""
    photos = {
        view: _upload(_dark(seed) if view == "front" and dark_front else jpeg(scene(seed=seed)))
        for seed, view in enumerate(PHONE_VIEWS, start=11)
    }
    with django_capture_on_commit_callbacks(execute=True):
        submission = submission_create(
            seller=seller,
            category=iphone.category,
            catalog_model=iphone,
            attributes=ANSWERS,
            condition_answers=CONDITION,
            photos=photos,
        )
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.ESTIMATED
    return submission


def _current_flags(submission: Submission) -> list[dict]:
    return Valuation.objects.filter(submission=submission).order_by("-created_at", "-id").first().photo_flags


def _replace_url(submission: Submission, view: str = "front") -> str:
    return reverse("recycling:photo_replace", args=[submission.pk, view])


def _private_files(settings) -> set[str]:
    root = settings.PRIVATE_MEDIA_ROOT
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- The flag names the photo ---------------------------------------------------------------------


def test_the_estimate_names_a_flagged_photo_by_its_label_in_english_and_chinese(
    client, seller, iphone, django_capture_on_commit_callbacks
):
    submission = _submitted(seller, iphone, django_capture_on_commit_callbacks)
    assert [(flag["view"], flag["code"]) for flag in _current_flags(submission)] == [
        ("front", FlagCode.TOO_DARK)
    ]

    english = client.get(reverse("recycling:detail", args=[submission.pk])).content.decode()
    flags = english[english.index('id="flags-heading"') : english.index('id="timeline-heading"')]
    assert "<h3>Front</h3>" in flags and "This photo is too dark." in flags
    assert "front:" not in flags.lower() and ">front<" not in flags
    assert "Replace the photo “Front”" in flags and _replace_url(submission) in flags

    chinese = client.get(f"/zh-hans{reverse('recycling:detail', args=[submission.pk])}").content.decode()
    flags = chinese[chinese.index('id="flags-heading"') : chinese.index('id="timeline-heading"')]
    assert "<h3>正面</h3>" in flags and "关于你的照片" in chinese
    assert "front" not in re.sub(r'(href|id)="[^"]*"', "", flags)


def test_staff_notes_name_the_photo_and_the_problem_in_the_readers_language(phones):
    submission = booked_shipment(category=phones).submission
    Valuation.objects.filter(submission=submission).update(
        photo_flags=[
            photo_flag(view="back", code=FlagCode.BLURRED),
            photo_flag(view="front", code=FlagCode.DUPLICATE),
        ]
    )

    assert submission_photo_flags(submission.code) == [
        SubjectPhotoFlag(view="Front", problem="Already used on Reloop by another seller", strong=True),
        SubjectPhotoFlag(view="Back", problem="Blurred", strong=False),
    ]
    with translation.override("zh-hans"):
        assert [note.view for note in submission_photo_flags(submission.code)] == ["正面", "背面"]
    assert submission_photo_flags("RLNOSUCH22") == []


# --- Replacing a flagged photo ----------------------------------------------------------------------


def test_the_owner_replaces_a_flagged_photo_and_the_estimate_is_made_again(
    client, seller, iphone, settings, django_capture_on_commit_callbacks
):
    submission = _submitted(seller, iphone, django_capture_on_commit_callbacks)
    old = SubmissionPhoto.objects.get(submission=submission, view="front")
    assert stored_name(old.key) in _private_files(settings)

    page = client.get(_replace_url(submission))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Replace the photo “Front”" in html and "This photo is too dark." in html
    assert reverse("recycling:photo", args=[old.pk]) in html  # the photo being replaced

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_replace_url(submission), {"photo": _upload(jpeg(scene(seed=40)))})

    assert response.status_code == 302
    assert response["Location"] == reverse("recycling:detail", args=[submission.pk])
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.ESTIMATED  # valued again by the job, on commit
    assert Valuation.objects.filter(submission=submission).count() == 2
    assert _current_flags(submission) == []  # the new photo is clean: no flag any more
    new = SubmissionPhoto.objects.get(submission=submission, view="front")
    assert new.pk != old.pk and new.key != old.key and len(new.phash) == 16
    files = _private_files(settings)
    assert stored_name(new.key) in files and stored_name(old.key) not in files
    assert SubmissionPhoto.objects.filter(submission=submission).count() == 3
    moves = list(SubmissionEvent.objects.filter(submission=submission).values_list("old", "new", "message"))
    assert moves[-2:] == [
        (SubmissionStatus.ESTIMATED, SubmissionStatus.VALUING, "photo.replaced"),
        (SubmissionStatus.VALUING, SubmissionStatus.ESTIMATED, ""),
    ]

    detail = client.get(response["Location"]).content.decode()
    assert "Thank you for the new photo." in detail
    assert 'id="flags-heading"' not in detail
    assert "New photo: Front." in detail  # the timeline
    thumbs = detail[detail.index('class="rq-thumbs"') :]
    assert re.findall(r"<span>([^<]+)</span>", thumbs)[:3] == ["Front", "Back", "Screen on"]  # in its place


def test_a_replacement_that_is_still_flagged_keeps_the_flag(
    client, seller, iphone, django_capture_on_commit_callbacks
):
    submission = _submitted(seller, iphone, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_replace_url(submission), {"photo": _upload(_dark(seed=50))})
    assert [flag["code"] for flag in _current_flags(submission)] == [FlagCode.TOO_DARK]


def test_an_expired_estimate_can_also_have_its_flagged_photo_replaced(
    client, seller, iphone, django_capture_on_commit_callbacks
):
    submission = _submitted(seller, iphone, django_capture_on_commit_callbacks)
    Submission.objects.filter(pk=submission.pk).update(status=SubmissionStatus.ESTIMATE_EXPIRED)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_replace_url(submission), {"photo": _upload(jpeg(scene(seed=41)))})
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.ESTIMATED and _current_flags(submission) == []


@pytest.mark.parametrize("who", ["another seller", "operations staff"])
def test_only_the_owner_may_replace_a_photo(
    client, iphone, settings, django_capture_on_commit_callbacks, who
):
    submission = _submitted(UserFactory(), iphone, django_capture_on_commit_callbacks)
    before = _private_files(settings)
    client.force_login(UserFactory() if who == "another seller" else operations_user())

    assert client.get(_replace_url(submission)).status_code == 404
    response = client.post(_replace_url(submission), {"photo": _upload(jpeg(scene(seed=42)))})

    assert response.status_code == 404
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.ESTIMATED
    assert Valuation.objects.filter(submission=submission).count() == 1
    assert _private_files(settings) == before


def test_visitors_are_sent_to_sign_in(client, iphone, django_capture_on_commit_callbacks):
    submission = _submitted(UserFactory(), iphone, django_capture_on_commit_callbacks)
    response = client.post(_replace_url(submission), {"photo": _upload(jpeg(scene(seed=43)))})
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    "status",
    [
        SubmissionStatus.VALUING,
        SubmissionStatus.SHIPPING,
        SubmissionStatus.RECEIVED,
        SubmissionStatus.INSPECTING,
        SubmissionStatus.CANCELLED,
    ],
)
def test_a_photo_cannot_be_replaced_once_the_estimate_no_longer_waits(
    client, seller, iphone, settings, django_capture_on_commit_callbacks, status
):
    submission = _submitted(seller, iphone, django_capture_on_commit_callbacks)
    Submission.objects.filter(pk=submission.pk).update(status=status)
    old = SubmissionPhoto.objects.get(submission=submission, view="front")
    before = _private_files(settings)

    for response in (
        client.get(_replace_url(submission)),
        client.post(_replace_url(submission), {"photo": _upload(jpeg(scene(seed=44)))}),
    ):
        assert response.status_code == 302
        assert response["Location"] == reverse("recycling:detail", args=[submission.pk])
        assert any(
            "Photos can be replaced only while the estimate is waiting for you" in m
            for m in _messages(response)
        )

    assert SubmissionPhoto.objects.get(submission=submission, view="front") == old
    assert Submission.objects.get(pk=submission.pk).status == status
    assert Valuation.objects.filter(submission=submission).count() == 1
    assert _private_files(settings) == before
    assert (
        _replace_url(submission)
        not in client.get(reverse("recycling:detail", args=[submission.pk])).content.decode()
    )


def test_a_photo_the_checks_did_not_flag_is_not_replaced(
    client, seller, iphone, django_capture_on_commit_callbacks
):
    submission = _submitted(seller, iphone, django_capture_on_commit_callbacks)
    for view in ("back", "papers", "x" * 40):
        response = client.post(_replace_url(submission, view), {"photo": _upload(jpeg(scene(seed=45)))})
        assert response.status_code == 302
        assert "Our checks found nothing to fix on this photo" in " ".join(_messages(response))
    assert Valuation.objects.filter(submission=submission).count() == 1


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: _upload(images.SHELL_SCRIPT, "front.jpg"), "This file is not a photo we accept"),
        (lambda: _upload(images.truncated_jpeg_bytes()), "This photo is damaged or incomplete"),
        (lambda: _upload(b"", "empty.jpg"), "This file is empty; please choose the photo again."),
        (lambda: None, "Please choose the new photo."),
    ],
    ids=["not an image", "truncated", "empty", "no file"],
)
def test_a_file_that_is_not_a_good_photo_is_refused_with_a_message_and_changes_nothing(
    client, seller, iphone, settings, django_capture_on_commit_callbacks, upload, message
):
    submission = _submitted(seller, iphone, django_capture_on_commit_callbacks)
    old = SubmissionPhoto.objects.get(submission=submission, view="front")
    before = _private_files(settings)
    file = upload()

    response = client.post(_replace_url(submission), {"photo": file} if file is not None else {})

    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and 'role="alert"' in html
    assert SubmissionPhoto.objects.get(submission=submission, view="front") == old
    assert Submission.objects.get(pk=submission.pk).status == SubmissionStatus.ESTIMATED
    assert _private_files(settings) == before


def test_a_failure_after_the_photo_is_stored_leaves_nothing_behind(
    seller, iphone, settings, monkeypatch, django_capture_on_commit_callbacks
):
    submission = _submitted(seller, iphone, django_capture_on_commit_callbacks)
    old = SubmissionPhoto.objects.get(submission=submission, view="front")
    before = _private_files(settings)

    def broken_move(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(photo_services, "submission_move", broken_move)
    with pytest.raises(RuntimeError):
        photo_services.submission_photo_replace(
            submission_id=submission.pk, seller=seller, view="front", photo=_upload(jpeg(scene(seed=46)))
        )

    assert SubmissionPhoto.objects.get(submission=submission, view="front") == old
    assert _private_files(settings) == before
    assert Submission.objects.get(pk=submission.pk).status == SubmissionStatus.ESTIMATED


def test_the_service_refuses_someone_elses_submission(iphone, django_capture_on_commit_callbacks):
    submission = _submitted(UserFactory(), iphone, django_capture_on_commit_callbacks)
    with pytest.raises(Submission.DoesNotExist):
        photo_services.submission_photo_replace(
            submission_id=submission.pk,
            seller=UserFactory(),
            view="front",
            photo=_upload(jpeg(scene(seed=47))),
        )


# --- The receiving desk and the inspection desk see the flags ----------------------------------------


def test_the_receiving_desk_shows_the_flags_on_the_parcel_and_when_receiving_it(client, phones):
    shipment = booked_shipment(category=phones, title="iPhone 13 128GB")
    submission = shipment.submission
    Valuation.objects.filter(submission=submission).update(
        photo_flags=[photo_flag(view="front", code=FlagCode.DUPLICATE)]
    )
    record_event(
        event_id="flags-1",
        tracking_number=shipment.tracking_number,
        kind="in_transit",
        occurred_at=timezone.now(),
        payload={},
    )
    client.force_login(operations_user())

    html = client.get("/staff/receiving/").content.decode()
    row = html[html.index(submission.code, html.index('id="in-transit"')) :]
    row = row[: row.index("</li>", row.index("photo-flags"))]
    assert "Front: Already used on Reloop by another seller" in row and 'class="strong"' in row

    response = client.post("/staff/receiving/", {"reference": submission.code}, follow=True)
    html = response.content.decode()
    assert f"Received {submission.code}" in html
    assert "Check its photos against the item: Front: Already used on Reloop by another seller." in html
    received = html[html.index('id="received"') :]
    assert "Front: Already used on Reloop by another seller" in received

    chinese = client.get("/zh-hans/staff/receiving/").content.decode()
    assert "正面" in chinese[chinese.index('id="received"') :]


def test_the_receiving_desk_says_nothing_about_clean_photos(client, phones):
    shipment = booked_shipment(category=phones)
    client.force_login(operations_user())
    response = client.post("/staff/receiving/", {"reference": shipment.submission.code}, follow=True)
    assert 'class="photo-flags"' not in response.content.decode()
    assert not any("Check its photos" in message for message in _messages(response))


def test_the_receiving_desk_query_count_does_not_grow_with_flagged_parcels(
    client, phones, django_assert_num_queries
):
    client.force_login(operations_user())
    for _index in range(4):
        shipment = booked_shipment(category=phones)
        Valuation.objects.filter(submission=shipment.submission).update(
            photo_flags=[photo_flag(view="back", code=FlagCode.BLURRED)]
        )
        client.post("/staff/receiving/", {"reference": shipment.submission.code})
    # The same 7 as for clean parcels (test_desk): the flags come with each list, as a subquery.
    with django_assert_num_queries(7):
        html = client.get("/staff/receiving/").content.decode()
    assert html[html.index('id="received"') :].count("Back: Blurred") == 4


def test_the_inspection_desk_gets_the_flags_with_the_declarations(phones):
    submission = booked_shipment(category=phones).submission
    Valuation.objects.filter(submission=submission).update(
        photo_flags=[photo_flag(view="screen_on", code=FlagCode.DUPLICATE_OWN)]
    )

    details = subject_details([submission.code])[submission.code]

    assert details.photo_flags == [
        SubjectPhotoFlag(view="Screen on", problem="Used before by the same seller for another item")
    ]
    with translation.override("zh-hans"):
        assert subject_details([submission.code])[submission.code].photo_flags[0].view == "亮屏"


# --- The questionnaire does not ask what the model says ------------------------------------------------


@pytest.mark.parametrize(
    ("slug", "name", "fixed"),
    [
        ("phones", "iPhone 13 128GB", {"storage": "128 GB"}),
        ("phones", "Mate 60 Pro 12GB+512GB", {"storage": "512 GB"}),  # memory + storage
        ("phones", "iPhone 13 Pro", {}),
        ("phones", "iPhone 15 128GB Midnight", {"storage": "128 GB", "colour": "Midnight"}),
        ("phones", "Galaxy 128GB/256GB", {}),  # two storages: the seller says which
        ("laptops", "MacBook Air 13-inch M2 8GB/256GB", {"ram": "8 GB", "storage": "256 GB"}),
        ("tablets", "iPad Air 64GB Wi-Fi", {"storage": "64 GB", "connectivity": "wifi"}),
        ("tablets", "iPad Air 64GB Wi-Fi + Cellular", {"storage": "64 GB", "connectivity": "cellular"}),
        ("watches", "Submariner Date 126610LN", {"reference": "126610LN"}),
        ("watches", "Seamaster Diver 300M 210.30.42.20.01.001", {"reference": "210.30.42.20.01.001"}),
        ("bags", "Neverfull MM Monogram", {"size": "medium", "material": "coated_canvas"}),
        ("jewelry", "Love bracelet yellow gold", {"metal": "yellow_gold"}),
        ("cameras", "Alpha 7 IV body", {"kit": "body"}),
        ("books", "Fluent Python, 2nd edition", {}),
    ],
)
def test_what_a_model_name_fixes(slug, name, fixed):
    assert (
        questions.fixed_by_model(questions.questionnaire_for(CategoryFactory.build(slug=slug)), name) == fixed
    )


def _walk(client, phones, model, *, to: str):
    steps = ["category", "item", "attributes", "condition", "photos", "review"]
    posts = {
        "category": {"category": phones.pk},
        "item": {"catalog_model": model.pk},
        "attributes": ANSWERS,
        "condition": CONDITION,
        "photos": {view: _upload(jpeg(scene(seed=seed))) for seed, view in enumerate(PHONE_VIEWS, 60)},
    }
    for step in steps[: steps.index(to)]:
        response = client.post(reverse(f"recycling:flow_{step}"), posts[step])
        assert response.status_code == 302, (step, response.content[:3000])


def test_the_storage_of_the_chosen_model_is_not_asked_and_is_stored_all_the_same(
    client, seller, phones, iphone, django_capture_on_commit_callbacks
):
    _walk(client, phones, iphone, to="attributes")

    page = client.get(reverse("recycling:flow_attributes")).content.decode()
    assert 'name="storage"' not in page and 'name="colour"' in page
    assert "From the model you chose" in page and "128 GB" in page

    _walk(client, phones, iphone, to="review")  # the details posted without any storage
    assert "storage" not in client.session[FLOW_KEY]["attributes"]
    review = client.get(reverse("recycling:flow_review")).content.decode()
    assert "<dt>Storage</dt><dd>128 GB</dd>" in review
    token = re.search(r'name="token" value="([0-9a-f-]+)"', review).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("recycling:flow_submit"), {"token": token})

    submission = Submission.objects.get(seller=seller)
    assert submission.attributes["storage"] == "128 GB"
    assert submission.status == SubmissionStatus.ESTIMATED


def test_choosing_a_model_that_does_not_say_its_storage_asks_for_it_again(client, seller, phones, iphone):
    pro = CatalogModelFactory(brand=iphone.brand, category=phones, name="iPhone 13 Pro")
    _walk(client, phones, iphone, to="review")

    client.post(reverse("recycling:flow_item"), {"catalog_model": pro.pk})

    assert client.get(reverse("recycling:flow_review"))["Location"] == reverse("recycling:flow_attributes")
    page = client.get(reverse("recycling:flow_attributes")).content.decode()
    assert 'name="storage"' in page and 'value="Midnight"' in page  # what was typed is kept
    assert "From the model you chose" not in page


def test_intake_takes_the_fixed_answer_from_the_model_and_refuses_a_contradiction(seller, iphone):
    photos = {view: _upload(jpeg(scene(seed=seed))) for seed, view in enumerate(PHONE_VIEWS, 70)}
    submission = submission_create(
        seller=seller,
        category=iphone.category,
        catalog_model=iphone,
        attributes={**ANSWERS, "storage": "128 GB"},  # the same, said again: fine
        condition_answers=CONDITION,
        photos=photos,
    )
    assert submission.attributes["storage"] == "128 GB"

    with pytest.raises(SubmissionError) as refused:
        submission_create(
            seller=seller,
            category=iphone.category,
            catalog_model=iphone,
            attributes={**ANSWERS, "storage": "256 GB"},
            condition_answers=CONDITION,
            photos={view: _upload(jpeg(scene(seed=seed))) for seed, view in enumerate(PHONE_VIEWS, 80)},
        )
    assert refused.value.code == "attribute_fixed" and refused.value.field == "attributes"
    assert "the model you chose has 128 GB" in refused.value.message
    assert Submission.objects.filter(seller=seller).count() == 1
