"""`collectstatic` with the production storage (hashed names, compressed copies and a manifest) goes
through: a stylesheet or script that names a file that is not there (a vendored library's source
map, say) would stop the image's build (Dockerfile)."""

from django.core.management import call_command

PRODUCTION = "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_collectstatic_writes_the_manifest(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": PRODUCTION}}

    call_command("collectstatic", interactive=False, verbosity=0)

    manifest = (tmp_path / "static" / "staticfiles.json").read_text()
    assert "js/hls.light.min.js" in manifest and "css/site.css" in manifest
