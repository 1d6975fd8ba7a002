"""STORAGE_URL, as settings read it: unset, the media folders of today; set, two buckets, MEDIA_URL at
the public one (or its CDN), and pages allowed to load images from storage. A URL that cannot work
stops the site at start, saying why."""

import runpy
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

import marketplace
from marketplace.object_storage import object_storage


def _settings(monkeypatch, **environment: str) -> dict:
    """The settings module run afresh with this environment (the test process's own are left alone)."""
    for name in ("STORAGE_URL", "PRIVATE_MEDIA_URL_SECONDS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(Path(marketplace.__file__).with_name("settings.py")))


def test_without_storage_url_media_stays_in_local_folders(monkeypatch):
    settings = _settings(monkeypatch)

    assert settings["STORAGES"]["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert settings["STORAGES"]["private"] == {"BACKEND": "listings.photos.PrivateStorage"}
    assert settings["MEDIA_URL"] == "/media/"
    assert settings["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["img-src"] == ["'self'"]


def test_storage_url_puts_public_and_private_media_in_their_buckets(monkeypatch):
    settings = _settings(
        monkeypatch,
        STORAGE_URL=(
            "s3://AKIA1234:se%2Fcr%2Bet@s3.eu-central-1.amazonaws.com/reloop-media"
            "?private_bucket=reloop-private&region=eu-central-1&public_url=https://media.reloop.example"
        ),
        PRIVATE_MEDIA_URL_SECONDS="120",
    )

    public, private = settings["STORAGES"]["default"], settings["STORAGES"]["private"]
    assert public["BACKEND"] == private["BACKEND"] == "storages.backends.s3.S3Storage"
    for options in (public["OPTIONS"], private["OPTIONS"]):
        assert options["endpoint_url"] == "https://s3.eu-central-1.amazonaws.com"
        assert (options["access_key"], options["secret_key"]) == ("AKIA1234", "se/cr+et")
        assert options["region_name"] == "eu-central-1"
    assert (
        public["OPTIONS"] | {"bucket_name": "reloop-media", "default_acl": "public-read"} == public["OPTIONS"]
    )
    assert public["OPTIONS"]["querystring_auth"] is False
    assert (public["OPTIONS"]["url_protocol"], public["OPTIONS"]["custom_domain"]) == (
        "https:",
        "media.reloop.example",
    )
    assert private["OPTIONS"]["bucket_name"] == "reloop-private"
    assert private["OPTIONS"]["default_acl"] is None
    assert (private["OPTIONS"]["querystring_auth"], private["OPTIONS"]["querystring_expire"]) == (True, 120)
    assert settings["MEDIA_URL"] == "https://media.reloop.example/"
    assert "STORAGE_URL" not in settings  # it holds the secret key; error reports list the settings
    # Thumbnails come from the CDN; a private photo's redirect goes to the endpoint, path- or host-style.
    assert settings["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["img-src"] == [
        "'self'",
        "https://media.reloop.example",
        "https://s3.eu-central-1.amazonaws.com",
        "https://reloop-private.s3.eu-central-1.amazonaws.com",
    ]


def test_a_local_server_over_plain_http_serves_public_media_from_the_bucket_itself():
    configured = object_storage(
        "s3+http://minio:minio-secret@127.0.0.1:9000/media?private_bucket=private&public_acl=",
        private_url_seconds=300,
    )

    assert configured.media_url == "http://127.0.0.1:9000/media/"
    assert configured.origins == ("http://127.0.0.1:9000",)
    public = configured.storages["default"]["OPTIONS"]
    assert public["default_acl"] is None  # the bucket's policy makes it readable
    assert public["url_protocol"] + "//" + public["custom_domain"] + "/" == configured.media_url


@pytest.mark.parametrize(
    ("storage_url", "says"),
    [
        ("https://s3.example/media?private_bucket=p", "must start with s3://"),
        ("s3:///media?private_bucket=p", "names no endpoint host"),
        ("s3://s3.example/?private_bucket=p", "must name one public bucket"),
        ("s3://s3.example/media", "must name the private bucket"),
        ("s3://s3.example/media?private_bucket=media", "must not be its public bucket"),
        (
            "s3://s3.example/media?private_bucket=p&private_url_seconds=5",
            "does not know: private_url_seconds",
        ),
        ("s3://s3.example/media?private_bucket=p&public_url=cdn.example", "public_url must be an http"),
        ("s3://s3.example/media?private_bucket=p&addressing_style=dns", "path or virtual"),
    ],
)
def test_a_storage_url_that_cannot_work_is_refused_with_the_reason(storage_url, says):
    with pytest.raises(ImproperlyConfigured, match=says):
        object_storage(storage_url, private_url_seconds=300)
