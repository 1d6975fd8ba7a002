"""/api/v1/inspections/: the inspection workbench for staff."""

from django.urls import path

from inspection.api import workbench

app_name = "inspection_api"

urlpatterns = [
    path("inspections/queue/", workbench.QueueView.as_view(), name="queue"),
    path("inspections/claim/", workbench.ClaimNextView.as_view(), name="claim-next"),
    path("inspections/<int:inspection_id>/", workbench.InspectionDetailView.as_view(), name="inspection"),
    path("inspections/<int:inspection_id>/claim/", workbench.ClaimView.as_view(), name="claim"),
    path("inspections/<int:inspection_id>/checks/", workbench.CheckRecordView.as_view(), name="checks"),
    path("inspections/<int:inspection_id>/complete/", workbench.CompleteView.as_view(), name="complete"),
    path("inspections/<int:inspection_id>/verdicts/", workbench.VerdictView.as_view(), name="verdicts"),
]
