app_name = "recycling"

urlpatterns: list = []
