from django.urls import path

from orders.views import offers

app_name = "offers"

urlpatterns = [
    path("", offers.offer_list, name="list"),
    path("make/<int:listing_id>/", offers.offer_new, name="new"),
    path("thread/<int:listing_id>/<int:buyer_id>/", offers.offer_panel, name="panel"),
    path("<int:pk>/", offers.offer_page, name="thread"),
    path("<int:pk>/accept/", offers.accept, name="accept"),
    path("<int:pk>/decline/", offers.decline, name="decline"),
    path("<int:pk>/counter/", offers.counter, name="counter"),
    path("<int:pk>/withdraw/", offers.withdraw, name="withdraw"),
]
