"""gunicorn settings for the second HTTP measurement (`gunicorn --config <this file>`).

Once a worker has loaded Django and Kring, move everything it holds into the garbage
collector's permanent generation. Without this, each full collection walks that whole heap
again: a pause of 50-100 ms every 15-20 search requests (who knows this? builds a few
thousand model instances per request), which is most of the HTTP p95.
"""

import gc


def post_worker_init(worker):
    gc.collect()
    gc.freeze()
