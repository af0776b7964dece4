"""A real CAS server for the tests: django-mama-cas from PyPI on loopback.

Usage: cas_server.py PORT DATA_DIR USERS.json

USERS.json maps each login to {"password": ..., "attributes": {...}}: the attributes an
ENT would release (ENTPersonProfils, ENTPersonStructRattachRNE, ...), sent with each
validated ticket. Any service on 127.0.0.1 may ask for tickets, and receives single
logout requests at its own service address.
"""
import json
import os
import sys

import django
from django.conf import settings

port, data_dir, users_file = int(sys.argv[1]), sys.argv[2], sys.argv[3]
with open(users_file, encoding="utf-8") as f:
    USERS = json.load(f)


def released_attributes(user, service):
    """The attributes of a user as the ENT releases them to a service."""
    return USERS.get(user.get_username(), {}).get("attributes", {})


settings.configure(
    DEBUG=False,
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    SECRET_KEY="tests-only-" + os.urandom(16).hex(),
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=[
        "django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions", "mama_cas",
    ],
    MIDDLEWARE=[
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
    ],
    TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True,
                "OPTIONS": {"context_processors": ["django.template.context_processors.request"]}}],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.path.join(data_dir, "cas.sqlite3")}},
    USE_TZ=True,
    MAMA_CAS_SERVICES=[{
        "SERVICE": r"^http://127\.0\.0\.1:\d+/",
        "CALLBACKS": [__name__ + ".released_attributes"],
        "LOGOUT_ALLOW": True,
    }],
    MAMA_CAS_ENABLE_SINGLE_SIGN_OUT=True,
    LOGGING_CONFIG=None,
)
django.setup()

from django.urls import include, re_path  # noqa: E402

urlpatterns = [re_path(r"^cas/", include("mama_cas.urls"))]

if __name__ == "__main__":
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
    from socketserver import ThreadingMixIn

    call_command("migrate", verbosity=0)
    for login, entry in USERS.items():
        user, _ = User.objects.get_or_create(username=login)
        user.set_password(entry["password"])
        user.save()

    class Server(ThreadingMixIn, WSGIServer):
        daemon_threads = True

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    httpd = make_server("127.0.0.1", port, get_wsgi_application(), server_class=Server, handler_class=QuietHandler)
    print(f"ready {httpd.server_port}", flush=True)
    httpd.serve_forever()
