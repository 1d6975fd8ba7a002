from django.urls import path, re_path

from orders.urls import NUMBER
from orders.views import staff

app_name = "orders_staff"

urlpatterns = [
    path("", staff.queue, name="queue"),
    re_path(rf"^{NUMBER}/ship/$", staff.ship, name="ship"),
    re_path(rf"^{NUMBER}/deliver/$", staff.deliver, name="deliver"),
    re_path(rf"^{NUMBER}/return-received/$", staff.return_received, name="return_received"),
    re_path(rf"^{NUMBER}/dispute/$", staff.dispute, name="dispute"),
]
