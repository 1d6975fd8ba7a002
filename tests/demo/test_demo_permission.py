"""The demo accounts share a published password and include a superuser: only `seed_demo` creates
them, and the demo commands refuse a site with DEBUG off unless it says it is a demo (DEMO=1)."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import User
from demo.permission import demo_data_allowed_or_refuse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("command", ["seed_demo", "seed_demo_orders", "seed_demo_loop"])
def test_the_demo_commands_refuse_a_production_site(command, settings):
    settings.DEBUG = False
    settings.DEMO = False

    with pytest.raises(CommandError) as refused:
        call_command(command)

    assert str(refused.value) == (
        f"{command} refuses to run with DEBUG off: it creates demo accounts that share the published "
        "password 'reloop-demo', a superuser among them. On a demo or staging site, set DEMO=1."
    )
    assert not User.objects.exists()


@pytest.mark.parametrize(("debug", "demo"), [(True, False), (False, True)])
def test_a_development_or_demo_site_may_have_the_demo_data(debug, demo, settings):
    settings.DEBUG = debug
    settings.DEMO = demo

    demo_data_allowed_or_refuse("seed_demo")  # no error


def test_migrations_create_no_account():
    # The test database is made by the migrations alone: no demo account, no superuser.
    assert not User.objects.exists()
