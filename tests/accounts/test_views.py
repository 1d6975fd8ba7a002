import pytest
from django.urls import reverse

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GOOD_SIGNUP = {
    "username": "mei",
    "email": "mei@example.com",
    "display_name": "Mei L.",
    "password1": "a-long-fresh-password",
    "password2": "a-long-fresh-password",
}


def test_signup_page_shows_the_form(client):
    response = client.get(reverse("accounts:signup"))

    assert response.status_code == 200
    html = response.content.decode()
    for name in ("username", "email", "display_name", "password1", "password2"):
        assert f'name="{name}"' in html


def test_signup_creates_the_account_and_asks_to_check_the_inbox(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:signup"), GOOD_SIGNUP)

    user = User.objects.get(username="mei")
    assert user.email == "mei@example.com"
    assert user.public_name == "Mei L."
    assert user.check_password("a-long-fresh-password")
    assert not user.is_staff
    assert not user.email_confirmed
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:signup_done")
    # Signed in or not would tell whether the address was new: nobody is signed in.
    assert "_auth_user_id" not in client.session
    assert [message.to for message in mailoutbox] == [["mei@example.com"]]
    assert "/accounts/confirm-email/" in mailoutbox[0].body


def test_signup_keeps_next_for_signing_in(client):
    response = client.post(reverse("accounts:signup"), {**GOOD_SIGNUP, "next": "/sell/"}, follow=True)

    assert 'href="/accounts/login/?next=/sell/"' in response.content.decode()


def test_signup_ignores_a_next_on_another_site(client):
    response = client.post(reverse("accounts:signup"), {**GOOD_SIGNUP, "next": "https://evil.example/"})

    assert response["Location"] == reverse("accounts:signup_done")


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"password2": "something-else-entirely"}, "password2", "match"),
        ({"password1": "12345678", "password2": "12345678"}, "password2", "too common"),
        ({"password1": "short", "password2": "short"}, "password2", "too short"),
        ({"email": "not-an-email"}, "email", "valid email"),
        ({"username": "bad name!"}, "username", "valid username"),
        ({"username": ""}, "username", "required"),
    ],
)
def test_signup_bad_input_shows_errors_and_creates_nothing(client, change, field, message):
    response = client.post(reverse("accounts:signup"), {**GOOD_SIGNUP, **change})

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert message in response.content.decode()
    assert not User.objects.exists()
    assert "_auth_user_id" not in client.session


def test_signup_refuses_a_taken_username(client):
    UserFactory(username="Mei", email="someone@example.com")

    response = client.post(reverse("accounts:signup"), GOOD_SIGNUP)

    errors = response.context["form"].errors
    assert "already exists" in errors["username"][0]
    assert User.objects.count() == 1


def test_login_redirects_to_next(client):
    UserFactory(username="ren")

    response = client.post(
        reverse("accounts:login"),
        {"username": "ren", "password": "a-long-test-password", "next": "/sell/"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/sell/"


def test_login_page_keeps_next_in_the_form(client):
    response = client.get(reverse("accounts:login") + "?next=/sell/")

    assert response.status_code == 200
    assert 'name="next" value="/sell/"' in response.content.decode()


def test_login_with_a_wrong_password_shows_an_error(client):
    UserFactory(username="ren")

    response = client.post(reverse("accounts:login"), {"username": "ren", "password": "wrong"})

    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_is_post_only(client):
    client.force_login(UserFactory())

    get = client.get(reverse("accounts:logout"))
    assert get.status_code == 405
    assert "_auth_user_id" in client.session

    post = client.post(reverse("accounts:logout"))
    assert post.status_code == 302
    assert post["Location"] == reverse("listings:home")
    assert "_auth_user_id" not in client.session


def test_the_pages_answer_in_chinese(client):
    response = client.get("/zh-hans" + reverse("accounts:login"))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "<h1>登录</h1>" in html
