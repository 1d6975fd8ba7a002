from django.urls import path

from listings.views import browse, searches

app_name = "listings"

urlpatterns = [
    path("", browse.home, name="home"),
    path("c/<slug:slug>/", browse.category, name="category"),
    path("search/", browse.search, name="search"),
    path("l/<int:pk>/", browse.detail, name="detail"),
    path("l/<int:pk>/favourite/", browse.favourite_toggle, name="favourite_toggle"),
    path("u/<str:username>/", browse.storefront, name="storefront"),
    path("favourites/", browse.favourites, name="favourites"),
    path("searches/", searches.saved_searches, name="saved_searches"),
    path("searches/save/", searches.search_save, name="search_save"),
    path("searches/<int:pk>/", searches.saved_search_change, name="saved_search_change"),
]
