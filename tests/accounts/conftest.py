import pytest


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Pages render `{% static %}`; without DEBUG that needs collectstatic's manifest, which tests don't
    build. The plain storage gives the same URLs without it."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Real hashers are slow on purpose; these tests check behaviour, not hashing strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
