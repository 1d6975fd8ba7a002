app_name = "selling"

urlpatterns: list = []
