import os

from django.core.asgi import get_asgi_application

from marketplace.checks import refuse_unsafe_defaults

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
application = get_asgi_application()

# An ASGI server stops here, naming the variable, when a development secret is still in use with
# DEBUG off.
refuse_unsafe_defaults()
