"""gunicorn settings for Kring: `gunicorn kring.wsgi --config python:kring.gunicorn_conf`.

Workers, threads and the address stay on the command line. What this adds:

**At most CONNECTIONS_PER_THREAD connections per thread in a threaded worker (gthread).**
gunicorn's own default lets one threaded worker hold 1,000 connections. Connections that
arrive together (a proxy's, or browsers' kept-alive ones) then land on whichever worker
happens to accept first, and stay there: measured with 2 workers x 2 threads and 20
clients, splits of 18/2 and 16/4 were common. A worker runs Python one thread at a time,
so its share of the clients waits in its own queue while the other worker idles: the
busiest page's p95 was twice its p50. With a bound, the connections a worker cannot take
wait in the shared listen queue for whichever worker is free, and a worker that holds
enough answers the next request on a kept-alive connection with "Connection: close" (so
the client comes back through that queue). Same load, 10/10 split: p95 within 1.2x of
p50 (benchmarks/README.md). A `--worker-connections` other than gunicorn's default (1,000)
is left as it is.

This assumes a proxy in front that opens a connection per request (nginx's plain
`proxy_pass`, as docs/operations.md sets it up): idle kept-alive connections count against
the bound too, so browsers connecting to gunicorn directly, or a proxy keeping a pool of
idle connections to it, can hold a worker's slots while its threads are free (each for up
to `--keep-alive` seconds); give such a set-up a larger `--worker-connections`.
"""

CONNECTIONS_PER_THREAD = 5
GUNICORN_DEFAULT_WORKER_CONNECTIONS = 1000


def on_starting(server) -> None:
    """Bound a threaded worker's connections by its threads, before the workers start."""
    cfg = server.cfg
    if cfg.worker_class_str != "gthread":
        return
    if cfg.worker_connections != GUNICORN_DEFAULT_WORKER_CONNECTIONS:
        return
    cfg.set("worker_connections", max(cfg.threads, 1) * CONNECTIONS_PER_THREAD)


# A reload (SIGHUP) reads the settings again from scratch and starts new workers without
# running on_starting: bound them the same way.
on_reload = on_starting
