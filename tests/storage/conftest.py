"""Media on S3-compatible storage, against a real S3 server on this machine: moto's, started once for
the session on a free port of 127.0.0.1 and spoken to over HTTP, as production speaks to S3, MinIO or
R2.

moto serves a presigned URL whatever its age and whatever its signature (moto 5.x checks neither;
it does refuse an unsigned request for a private object). S3 itself refuses both, and that refusal is
what a short-lived private URL relies on, so the server here is moto behind `s3_presigned_rules`,
which answers as S3 does: 403 "Request has expired" past X-Amz-Date + X-Amz-Expires, 403
SignatureDoesNotMatch for a URL that is not signed for exactly what it asks (recomputed with
botocore's SigV4 from the server's copy of the secret key).
"""

import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

import boto3
import pytest
from botocore.auth import S3SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import make_server

from marketplace.object_storage import object_storage

ACCESS_KEY = "reloop-test-access"
SECRET_KEY = "reloop-test-secret/with+odd@characters"
REGION = "us-east-1"

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def _refuse(start_response: Callable[..., Any], code: str, message: str) -> list[bytes]:
    start_response("403 Forbidden", [("Content-Type", "application/xml")])
    return [f"<Error><Code>{code}</Code><Message>{message}</Message></Error>".encode()]


def s3_presigned_rules(app: WSGIApp) -> WSGIApp:
    """S3's rules for presigned (query-string SigV4) URLs, in front of moto."""

    def checked(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        pairs = parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        query = dict(pairs)
        if "X-Amz-Signature" not in query:
            return app(environ, start_response)  # a plain or header-signed request: moto's own rules
        signed_at = datetime.strptime(query["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        expires = int(query["X-Amz-Expires"])
        if datetime.now(UTC) > signed_at + timedelta(seconds=expires):
            return _refuse(start_response, "AccessDenied", "Request has expired")
        access_key, _day, region, service, _end = query["X-Amz-Credential"].split("/")
        if access_key != ACCESS_KEY:
            return _refuse(start_response, "InvalidAccessKeyId", "Unknown access key")
        host = environ["HTTP_HOST"]
        url = f"http://{host}{environ['RAW_URI'].partition('?')[0]}"
        unsigned = [(name, value) for name, value in pairs if not name.startswith("X-Amz-")]
        if unsigned:
            url += "?" + urlencode(unsigned)
        request = AWSRequest(method=environ["REQUEST_METHOD"], url=url, headers={"host": host})
        request.context["timestamp"] = query["X-Amz-Date"]
        S3SigV4QueryAuth(Credentials(ACCESS_KEY, SECRET_KEY), service, region, expires=expires).add_auth(
            request
        )
        if dict(parse_qsl(request.url.partition("?")[2]))["X-Amz-Signature"] != query["X-Amz-Signature"]:
            return _refuse(start_response, "SignatureDoesNotMatch", "The signature does not match")
        return app(environ, start_response)

    return checked


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    server = make_server(
        "127.0.0.1",
        0,
        s3_presigned_rules(DomainDispatcherApplication(create_backend_app)),
        threaded=True,
        request_handler=MotoRequestHandler,
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@dataclass(frozen=True)
class Buckets:
    client: Any  # boto3's S3 client, as an operator would use it
    endpoint: str
    public: str
    private: str
    media_url: str

    def names(self, bucket: str) -> set[str]:
        listed = self.client.list_objects_v2(Bucket=bucket).get("Contents", [])
        return {entry["Key"] for entry in listed}

    def read(self, bucket: str, name: str) -> bytes:
        return self.client.get_object(Bucket=bucket, Key=name)["Body"].read()


@pytest.fixture
def private_url_seconds() -> int:
    """PRIVATE_MEDIA_URL_SECONDS for the test; a test parametrizes it to watch a URL lapse."""
    return 300


@pytest.fixture
def buckets(s3_endpoint, settings, private_url_seconds) -> Buckets:
    """Two new buckets on the S3 server, and the site's storages pointed at them through STORAGE_URL's
    own reading (marketplace.object_storage), as a deployment with STORAGE_URL set has them."""
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        region_name=REGION,
        config=Config(signature_version="s3v4"),
    )
    suffix = uuid.uuid4().hex[:12]
    public, private = f"reloop-media-{suffix}", f"reloop-private-{suffix}"
    for bucket in (public, private):
        client.create_bucket(Bucket=bucket)
    host = s3_endpoint.removeprefix("http://")
    storage_url = (
        f"s3+http://{ACCESS_KEY}:{quote(SECRET_KEY, safe='')}@{host}/{public}"
        f"?private_bucket={private}&region={REGION}"
    )
    configured = object_storage(storage_url, private_url_seconds=private_url_seconds)
    settings.STORAGES = {**settings.STORAGES, **configured.storages}
    settings.MEDIA_URL = configured.media_url
    settings.PRIVATE_MEDIA_URL_SECONDS = private_url_seconds
    return Buckets(
        client=client, endpoint=s3_endpoint, public=public, private=private, media_url=configured.media_url
    )
