"""/api/v1/: live shows, their flash sales and chat."""

from django.urls import path

from live import api

app_name = "live_api"

urlpatterns = [
    path("shows/", api.ShowsView.as_view(), name="shows"),
    path("shows/<int:show_id>/", api.ShowView.as_view(), name="show"),
    path("shows/<int:show_id>/lineup/", api.LineupView.as_view(), name="show-lineup"),
    path("shows/<int:show_id>/start/", api.StartView.as_view(), name="show-start"),
    path("shows/<int:show_id>/end/", api.EndView.as_view(), name="show-end"),
    path("shows/<int:show_id>/cancel/", api.CancelView.as_view(), name="show-cancel"),
    path("shows/<int:show_id>/rsvp/", api.RsvpView.as_view(), name="show-rsvp"),
    path("shows/<int:show_id>/pin/", api.PinView.as_view(), name="show-pin"),
    path("shows/<int:show_id>/flash-sales/", api.FlashSalesView.as_view(), name="show-flash-sales"),
    path("shows/<int:show_id>/chat/", api.ChatView.as_view(), name="show-chat"),
    path("shows/<int:show_id>/mutes/", api.MutesView.as_view(), name="show-mutes"),
    path("shows/<int:show_id>/mutes/<int:user_id>/", api.MuteView.as_view(), name="show-mute"),
    path("shows/<int:show_id>/moderators/", api.ModeratorsView.as_view(), name="show-moderators"),
    path("shows/<int:show_id>/moderators/<int:user_id>/", api.ModeratorView.as_view(), name="show-moderator"),
    path("flash-sales/<int:flash_sale_id>/grab/", api.GrabView.as_view(), name="flash-sale-grab"),
    path("flash-sales/<int:flash_sale_id>/waitlist/", api.WaitlistView.as_view(), name="flash-sale-waitlist"),
    path("chat/<int:message_id>/", api.ChatMessageView.as_view(), name="chat-message"),
    path("clips/", api.ClipsView.as_view(), name="clips"),
]
