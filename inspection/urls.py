"""Staff pages at /staff/inspection/. Everything that changes something is POST only."""

from django.urls import path

from inspection.views import authentication, workbench

app_name = "inspection"

urlpatterns = [
    path("", workbench.queue, name="queue"),
    path("take-next/", workbench.claim_next, name="claim_next"),
    path("<int:pk>/take/", workbench.claim, name="claim"),
    path("<int:pk>/", workbench.inspect, name="inspect"),
    # A group by its code as the checklist names it ("repair-history"); admin-made codes may hold "/".
    path("<int:pk>/groups/<path:group>/", workbench.group_save, name="group_save"),
    path("<int:pk>/complete/", workbench.complete, name="complete"),
    path("<int:pk>/release/", workbench.release, name="release"),
    path("authentication/", authentication.authentication, name="authentication"),
    path("authentication/<int:pk>/verdict/", authentication.verdict, name="verdict"),
    path("escalations/", authentication.escalations, name="escalations"),
    path("escalations/<int:pk>/resolve/", authentication.resolve, name="resolve"),
]
