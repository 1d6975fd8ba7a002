from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from accounts.language import language_switch
from marketplace.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", language_switch, name="set_language"),
    path("api/v1/", include("accounts.api_urls")),
    path("api/v1/", include("listings.api_urls")),
    path("api/v1/", include("recycling.api_urls")),
    path("api/v1/", include("inspection.api_urls")),
    path("api/v1/", include("wallet.api_urls")),
    path("api/v1/", include("notifications.api_urls")),
    path("api/v1/", include("messaging.api_urls")),
    path("api/v1/", include("orders.api_urls")),
    path("api/v1/", include("consignment.api_urls")),
    path("api/v1/", include("live.api_urls")),
    path("api/v1/", include("feed.api_urls")),
    path("api/v1/", include("trust.api_urls")),
    path("api/v1/", include("operations.api_urls")),
    path("api/v1/payments/", include("orders.payment_urls")),
    path("api/v1/carrier/", include("shipping.webhook_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
]

# Pages carry the language in the path for Chinese (/zh-hans/...) and none for English, so that each
# language has its own stable, cacheable URLs.
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("sell/", include("listings.selling_urls")),
    path("sell-with-us/", include("recycling.urls")),
    path("sell-with-us/shipping/", include("recycling.shipping_urls")),
    path("sell-with-us/consignment/", include("consignment.urls")),
    path("staff/dashboard/", include("operations.dashboard_urls")),
    path("staff/receiving/", include("recycling.desk_urls")),
    path("staff/inspection/", include("inspection.urls")),
    path("r/", include("inspection.report_urls")),
    path("orders/", include("orders.urls")),
    path("offers/", include("orders.offer_urls")),
    path("staff/orders/", include("orders.staff_urls")),
    path("wallet/", include("wallet.urls")),
    # Live shows, and the media server's callbacks (which it calls without a language prefix).
    path("live/", include("live.urls")),
    path("", include("feed.urls")),
    path("", include("trust.urls")),
    path("notifications/", include("notifications.urls")),
    path("messages/", include("messaging.urls")),
    path("staff/messages/", include("messaging.staff_urls")),
    path("staff/payouts/", include("wallet.staff_urls")),
    # The sandbox payment provider's hosted page: in production the buyer pays on the provider's site.
    path("sandbox/", include("sandbox.urls")),
    path("", include("listings.urls")),
    prefix_default_language=False,
)

handler403 = "operations.views.errors.permission_denied"

if settings.SERVE_MEDIA:
    # Only public media (thumbnails) lives under MEDIA_ROOT; uploaded originals are elsewhere.
    urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})]
