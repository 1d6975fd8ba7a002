from django.urls import path

from sandbox import views

app_name = "sandbox"

urlpatterns = [
    path("pay/<str:reference>/", views.pay, name="pay"),
]
