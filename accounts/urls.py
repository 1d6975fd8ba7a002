from django.contrib.auth.views import LogoutView
from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("signup/check-your-inbox/", views.signup_done, name="signup_done"),
    path("confirm-email/", views.email_confirmation, name="email_confirmation"),
    path("confirm-email/<str:token>/", views.email_confirm_link, name="email_confirm"),
    path("login/", views.SignInView.as_view(), name="login"),
    path("password-reset/", views.PasswordReset.as_view(), name="password_reset"),
    path("password-reset/sent/", views.PasswordResetSent.as_view(), name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirm.as_view(),
        name="password_reset_confirm",
    ),
    path("password-reset/done/", views.PasswordResetComplete.as_view(), name="password_reset_complete"),
    # Django's LogoutView accepts POST only, so a link or a prefetch cannot sign anyone out.
    path("logout/", LogoutView.as_view(), name="logout"),
    path("addresses/", views.address_book, name="addresses"),
    path("addresses/new/", views.address_add, name="address_add"),
    path("addresses/<int:address_id>/edit/", views.address_edit, name="address_edit"),
    path("addresses/<int:address_id>/delete/", views.address_delete, name="address_delete"),
    path("addresses/<int:address_id>/default/", views.address_make_default, name="address_default"),
]
