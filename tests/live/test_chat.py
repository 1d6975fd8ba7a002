"""A live show's chat: masking, flooding, muting, removing, and who may moderate."""

from datetime import timedelta

import pytest
from django.utils import timezone

from live.errors import LiveError, NotYourShow
from live.models import ChatMessage, ShowMute
from live.services.chat import (
    ChatFlood,
    chat_history,
    chat_post,
    chat_remove,
    moderator_appoint,
    moderator_remove,
    viewer_mute,
    viewer_unmute,
)
from live.services.shows import show_end, show_schedule, show_start
from tests.factories import ListingFactory, UserFactory
from tests.live.helpers import a_host

pytestmark = pytest.mark.django_db


def _live_show():
    host = a_host(username="host")
    listing = ListingFactory(seller=host)
    show = show_schedule(
        host=host, title="Watches", starts_at=timezone.now() + timedelta(minutes=1), listing_ids=[listing.pk]
    )
    return show_start(show_id=show.pk, by=host), host


def test_contact_details_are_masked_before_a_message_is_stored():
    show, _host = _live_show()
    viewer = UserFactory()

    message = chat_post(show_id=show.pk, author=viewer, text="  add my wechat: zhangsan88 \x00 ok?\n")

    stored = ChatMessage.objects.get(pk=message.pk)
    assert "zhangsan88" not in stored.text and stored.text.startswith("add my wechat:")
    assert stored.masked == ["wechat"]
    assert [m.text for m in chat_history(show_id=show.pk)] == [stored.text]


@pytest.mark.parametrize(("text", "code"), [("   ", "chat_empty"), ("x" * 201, "chat_too_long")])
def test_an_empty_or_oversized_message_is_refused(text, code):
    show, _host = _live_show()
    with pytest.raises(LiveError) as raised:
        chat_post(show_id=show.pk, author=UserFactory(), text=text)
    assert (raised.value.code, raised.value.field) == (code, "text")
    assert not ChatMessage.objects.exists()


def test_flooding_is_refused_until_the_window_passes(settings):
    settings.LIVE_CHAT_BURST, settings.LIVE_CHAT_BURST_SECONDS = 3, 10
    show, _host = _live_show()
    viewer, other = UserFactory(), UserFactory()
    for index in range(3):
        chat_post(show_id=show.pk, author=viewer, text=f"bid {index}")

    with pytest.raises(ChatFlood) as raised:
        chat_post(show_id=show.pk, author=viewer, text="bid 3")
    assert (raised.value.code, raised.value.status_code) == ("chat_flood", 429)
    assert "Try again in" in str(raised.value)
    chat_post(show_id=show.pk, author=other, text="bid 3")  # another viewer is not held back

    # when: the window has passed, the same viewer writes again; but not the same text twice
    ChatMessage.objects.filter(author=viewer).update(at=timezone.now() - timedelta(seconds=11))
    chat_post(show_id=show.pk, author=viewer, text="bid 4")
    with pytest.raises(ChatFlood) as repeated:
        chat_post(show_id=show.pk, author=viewer, text="bid   4")
    assert repeated.value.code == "chat_repeat"
    assert ChatMessage.objects.filter(author=viewer).count() == 4


def test_a_muted_viewer_cannot_post_until_unmuted():
    show, host = _live_show()
    viewer = UserFactory()
    viewer_mute(show_id=show.pk, user_id=viewer.pk, by=host)

    with pytest.raises(LiveError) as raised:
        chat_post(show_id=show.pk, author=viewer, text="hello")
    assert (raised.value.code, raised.value.status_code) == ("muted", 403)
    assert not ChatMessage.objects.exists()

    viewer_unmute(show_id=show.pk, user_id=viewer.pk, by=host)
    chat_post(show_id=show.pk, author=viewer, text="hello")
    assert ChatMessage.objects.count() == 1


def test_a_moderator_mutes_and_removes_but_a_viewer_cannot():
    show, host = _live_show()
    moderator, rude, bystander = UserFactory(), UserFactory(), UserFactory()
    moderator_appoint(show_id=show.pk, user_id=moderator.pk, by=host)
    message = chat_post(show_id=show.pk, author=rude, text="rude words")

    with pytest.raises(NotYourShow):
        chat_remove(message_id=message.pk, by=bystander)
    with pytest.raises(NotYourShow):
        viewer_mute(show_id=show.pk, user_id=rude.pk, by=bystander)
    with pytest.raises(NotYourShow):
        moderator_appoint(show_id=show.pk, user_id=bystander.pk, by=moderator)  # only the host appoints
    chat_remove(message_id=message.pk, by=moderator)
    viewer_mute(show_id=show.pk, user_id=rude.pk, by=moderator)

    removed = ChatMessage.objects.get(pk=message.pk)
    assert (removed.removed_by, removed.removed_at is not None) == (moderator, True)
    assert chat_history(show_id=show.pk) == []
    assert ShowMute.objects.get(show=show).user == rude
    for target in (host, moderator):
        with pytest.raises(LiveError) as raised:
            viewer_mute(show_id=show.pk, user_id=target.pk, by=moderator)
        assert raised.value.code == "cannot_mute"

    # when: the host removes the moderator, they can no longer moderate
    moderator_remove(show_id=show.pk, user_id=moderator.pk, by=host)
    with pytest.raises(NotYourShow):
        viewer_unmute(show_id=show.pk, user_id=rude.pk, by=moderator)


def test_the_chat_is_open_only_while_live():
    show, host = _live_show()
    show_end(show_id=show.pk, by=host)
    with pytest.raises(LiveError) as raised:
        chat_post(show_id=show.pk, author=UserFactory(), text="still here?")
    assert raised.value.code == "not_live"
