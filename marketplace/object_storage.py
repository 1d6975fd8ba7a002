"""`STORAGE_URL`: media on S3-compatible object storage (django-storages) instead of local folders.

One variable names the endpoint, the credentials and both buckets, so that a deployment cannot set
half of them:

    s3://ACCESS_KEY:SECRET_KEY@HOST[:PORT]/PUBLIC_BUCKET?private_bucket=PRIVATE_BUCKET[&...]

`s3://` reaches the endpoint over HTTPS, `s3+http://` over plain HTTP (a MinIO or test server on
this machine). Keys are percent-encoded where they hold `/`, `+` or `@`. With no `KEY:SECRET@` the
AWS SDK finds credentials itself (an instance role, `AWS_ACCESS_KEY_ID`). Query parameters:

- `private_bucket` (required): uploaded originals, shipping labels, rendered report PDFs. Never
  public: objects are written without an ACL and reached only through signed URLs that lapse after
  `PRIVATE_MEDIA_URL_SECONDS`. A bucket of its own rather than a prefix of the public one, so that
  no bucket policy or ACL written for public media can ever reach it.
- `region`: the signing region (default `us-east-1`, which MinIO and most others accept).
- `public_url`: where browsers fetch public media (thumbnails, inspection photos), e.g. a CDN in
  front of the public bucket. It becomes `MEDIA_URL`, so a card's image URL is that prefix and the
  file's name, with no call to storage. Default: the endpoint and bucket, path-style.
- `public_acl`: the ACL public objects are written with, default `public-read`. Empty (`public_acl=`)
  where the bucket refuses ACLs (AWS buckets with ACLs disabled, Cloudflare R2) and a bucket policy
  or the CDN makes it readable instead.
- `addressing_style`: `path` or `virtual`, for an endpoint that needs one (default: the SDK's choice).

This module only reads the URL (settings import it); it imports neither Django's storage nor boto3.
"""

import ipaddress
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

S3_BACKEND = "storages.backends.s3.S3Storage"
SCHEMES = {"s3": "https", "s3+http": "http"}
ADDRESSING_STYLES = ("path", "virtual")


@dataclass(frozen=True)
class ObjectStorage:
    """What STORAGE_URL sets: the `default` (public) and `private` entries of STORAGES, MEDIA_URL,
    and the origins pages load media from (public media, and the private bucket's signed URLs that
    a page's image may be redirected to), for the Content-Security-Policy's img-src."""

    storages: dict[str, dict[str, Any]]
    media_url: str
    origins: tuple[str, ...]


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def object_storage(storage_url: str, *, private_url_seconds: int) -> ObjectStorage:
    """Read STORAGE_URL. Raises ImproperlyConfigured, naming what is wrong, for a URL that cannot work."""
    parts = urlsplit(storage_url)
    if parts.scheme not in SCHEMES:
        raise ImproperlyConfigured(
            f"STORAGE_URL must start with s3:// (HTTPS) or s3+http:// (plain HTTP), not {parts.scheme}://."
        )
    if not parts.hostname:
        raise ImproperlyConfigured("STORAGE_URL names no endpoint host: s3://KEY:SECRET@HOST/BUCKET?...")
    public_bucket = parts.path.strip("/")
    if not public_bucket or "/" in public_bucket:
        raise ImproperlyConfigured(
            "STORAGE_URL must name one public bucket as its path: s3://HOST/BUCKET?..."
        )
    query = {name: values[-1] for name, values in parse_qs(parts.query, keep_blank_values=True).items()}
    unknown = set(query) - {"private_bucket", "region", "public_url", "public_acl", "addressing_style"}
    if unknown:
        raise ImproperlyConfigured(
            f"STORAGE_URL has parameters it does not know: {', '.join(sorted(unknown))}."
        )
    private_bucket = query.get("private_bucket", "")
    if not private_bucket:
        raise ImproperlyConfigured("STORAGE_URL must name the private bucket: ?private_bucket=NAME.")
    if private_bucket == public_bucket:
        raise ImproperlyConfigured("STORAGE_URL's private bucket must not be its public bucket.")
    addressing_style = query.get("addressing_style") or None
    if addressing_style not in (None, *ADDRESSING_STYLES):
        raise ImproperlyConfigured("STORAGE_URL's addressing_style is path or virtual.")

    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    endpoint = f"{SCHEMES[parts.scheme]}://{host}" + (f":{parts.port}" if parts.port else "")
    public_url = query.get("public_url") or f"{endpoint}/{public_bucket}/"
    public_url = public_url.rstrip("/") + "/"
    public = urlsplit(public_url)
    if public.scheme not in ("http", "https") or not public.netloc:
        raise ImproperlyConfigured("STORAGE_URL's public_url must be an http(s):// address.")

    connection = {
        "endpoint_url": endpoint,
        "region_name": query.get("region") or "us-east-1",
        "access_key": unquote(parts.username) if parts.username else None,
        "secret_key": unquote(parts.password) if parts.password else None,
        "addressing_style": addressing_style,
        # Signature version 4: what AWS requires in every region and the other services accept;
        # version 2 URLs are refused by newer regions.
        "signature_version": "s3v4",
        # Names are random keys or derived from them; a second write of a name is the same file again.
        "file_overwrite": True,
    }
    storages = {
        "default": {
            "BACKEND": S3_BACKEND,
            "OPTIONS": {
                **connection,
                "bucket_name": public_bucket,
                "default_acl": query.get("public_acl", "public-read") or None,
                # Public media is addressed by a plain URL: the public_url prefix and the name.
                "querystring_auth": False,
                "custom_domain": f"{public.netloc}{public.path}".rstrip("/"),
                "url_protocol": f"{public.scheme}:",
            },
        },
        "private": {
            "BACKEND": S3_BACKEND,
            "OPTIONS": {
                **connection,
                "bucket_name": private_bucket,
                "default_acl": None,  # the bucket's own: private
                "querystring_auth": True,
                "querystring_expire": private_url_seconds,
            },
        },
    }
    origins = [_origin(public_url), _origin(endpoint)]
    if addressing_style != "path" and not _is_address(parts.hostname):
        # The SDK may address the private bucket as a host of its own, and signed URLs with it.
        origins.append(f"{SCHEMES[parts.scheme]}://{private_bucket}.{parts.netloc.rpartition('@')[2]}")
    return ObjectStorage(storages=storages, media_url=public_url, origins=tuple(dict.fromkeys(origins)))
