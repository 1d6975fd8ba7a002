import os

from django.core.wsgi import get_wsgi_application

from marketplace.checks import refuse_unsafe_defaults

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
application = get_wsgi_application()

# gunicorn and any other WSGI server stop here, naming the variable, when a development secret is
# still in use with DEBUG off.
refuse_unsafe_defaults()
