from django.urls import path

from recycling.views import shipping

app_name = "shipping"

urlpatterns = [
    path("<int:pk>/", shipping.book, name="book"),
    path("<int:pk>/label.pdf", shipping.label, name="label"),
]
