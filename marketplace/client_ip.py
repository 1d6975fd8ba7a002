"""The address a request came from, for sign-in lockouts and rate limits.

`X-Forwarded-For` is a header anyone can write. It is read only when `TRUSTED_PROXY_COUNT` proxies
(a load balancer, nginx) stand in front of the site, and then only the entry the outermost trusted
proxy appended: the one `TRUSTED_PROXY_COUNT` places from the right. Whatever a client puts further
left is its own say-so and is ignored. With no trusted proxy (the default) the address is the
connection's own, `REMOTE_ADDR`, and the header is not looked at.

DRF's throttles read the same entry (`REST_FRAMEWORK["NUM_PROXIES"]` is set to the same count), and
django-axes calls `client_ip` (`AXES_CLIENT_IP_CALLABLE`), so a lockout and a rate limit always
count the same address.
"""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address as the trusted proxies saw it; REMOTE_ADDR when there are none."""
    remote_addr = str(request.META.get("REMOTE_ADDR", "") or "")
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", "") or "")
    if proxies <= 0 or not forwarded:
        return remote_addr
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if not hops:
        return remote_addr
    # A chain shorter than the proxies in front means the request skipped one: the leftmost entry
    # is the furthest any proxy vouches for.
    return hops[-min(proxies, len(hops))]
