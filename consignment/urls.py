from django.urls import path

from consignment import views

app_name = "consignment"

urlpatterns = [
    path("<int:submission_id>/accept/", views.accept, name="accept"),
    path("<int:submission_id>/unsold/", views.unsold, name="unsold"),
    path("<int:submission_id>/money/", views.money, name="money"),
]
