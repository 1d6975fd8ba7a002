from django.urls import path

from recycling.views import dashboard, flow, offer

app_name = "recycling"

urlpatterns = [
    path("", dashboard.start, name="start"),
    path("mine/", dashboard.dashboard, name="dashboard"),
    path("new/", flow.flow_category, name="flow_category"),
    path("new/model/", flow.flow_item, name="flow_item"),
    path("new/model/search/", flow.model_search, name="model_search"),
    path("new/details/", flow.flow_attributes, name="flow_attributes"),
    path("new/condition/", flow.flow_condition, name="flow_condition"),
    path("new/photos/", flow.flow_photos, name="flow_photos"),
    path("new/photos/<slug:view>/", flow.flow_photo, name="flow_photo"),
    path("new/review/", flow.flow_review, name="flow_review"),
    path("new/submit/", flow.flow_submit, name="flow_submit"),
    path("new/restart/", flow.flow_restart, name="flow_restart"),
    path("<int:pk>/", dashboard.detail, name="detail"),
    path("<int:pk>/live/", dashboard.estimate_panel, name="estimate_panel"),
    path("<int:pk>/cancel/", dashboard.cancel, name="cancel"),
    path("<int:pk>/new-estimate/", dashboard.revalue, name="revalue"),
    path("<int:pk>/photos/<slug:view>/replace/", dashboard.photo_replace, name="photo_replace"),
    path("<int:pk>/offer/", offer.offer, name="offer"),
    path("<int:pk>/offer/recycle/", offer.offer_recycle, name="offer_recycle"),
    path("<int:pk>/offer/decline/", offer.offer_reject, name="offer_decline"),
    path("photos/<int:pk>/", dashboard.photo, name="photo"),
]
