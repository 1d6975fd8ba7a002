from django.urls import path

from messaging.views import staff

app_name = "messaging_staff"

urlpatterns = [
    path("", staff.staff_list, name="list"),
    path("<int:pk>/", staff.staff_conversation, name="conversation"),
]
