from django.urls import path

from messaging.views import pages

app_name = "messaging"

urlpatterns = [
    path("", pages.inbox_page, name="inbox"),
    path("ask/<int:listing_id>/", pages.start, name="start"),
    path("<int:pk>/", pages.conversation_page, name="conversation"),
    path("<int:pk>/messages/", pages.messages_fragment, name="messages"),
    path("<int:pk>/send/", pages.send, name="send"),
    path("<int:pk>/photos/<int:message_id>/", pages.photo, name="photo"),
    path("<int:pk>/block/", pages.block, name="block"),
    path("<int:pk>/unblock/", pages.unblock, name="unblock"),
    path("<int:pk>/report/", pages.report, name="report"),
]
