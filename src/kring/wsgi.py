import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kring.settings")
application = get_wsgi_application()

# What a worker has loaded by now (Django, every app, the URL configuration and so every
# view) stays for the life of the process. Freezing it takes it out of the garbage
# collector's full collections, which would otherwise walk that whole heap again every few
# dozen requests: a 50-100 ms pause that was most of the search endpoint's p95 (79 -> 52 ms
# on SQLite, benchmarks/README.md). gunicorn imports this module in each worker (or once
# before forking, with --preload: then the frozen pages also stay shared between workers).
get_resolver().url_patterns  # noqa: B018 - loads the views before the freeze
gc.collect()
gc.freeze()
