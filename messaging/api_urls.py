"""/api/v1/conversations/: a user's conversations and their messages."""

from django.urls import path

from messaging import api

app_name = "messaging_api"

urlpatterns = [
    path("conversations/", api.ConversationListView.as_view(), name="conversations"),
    path("conversations/<int:conversation_id>/messages/", api.MessageListView.as_view(), name="messages"),
]
