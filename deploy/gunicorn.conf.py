"""Gunicorn settings for Newsroom: `gunicorn -c deploy/gunicorn.conf.py newsroom.wsgi`.

Every value can be changed through the environment (the systemd unit reads
/etc/newsroom/env), so one file serves every app host. Variables are listed
in .env.example under "Application server".
"""

import multiprocessing
import os

# The project's own reader of environment settings, shared with Django's: gunicorn
# runs from the project's folder (the unit's WorkingDirectory), which is on the path.
from newsroom.environment import env_bool, env_int

# Only the local nginx talks to gunicorn. On a host whose nginx runs elsewhere,
# bind a private address and list that nginx in GUNICORN_FORWARDED_ALLOW_IPS.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Threads, not processes, for most of the concurrency: a request spends much of
# its time waiting on PostgreSQL and Redis, and threads share one copy of the
# app. Each thread keeps its own database connection (DATABASE_CONN_MAX_AGE),
# so workers × threads × app hosts must stay below PostgreSQL's max_connections.
worker_class = "gthread"
workers = env_int("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count())
threads = env_int("GUNICORN_THREADS", 4)

# A request that takes longer than this is stuck: the worker is restarted.
timeout = env_int("GUNICORN_TIMEOUT", 30)
graceful_timeout = env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# nginx keeps idle upstream connections for 4 s (deploy/nginx/newsroom.conf);
# gunicorn must wait a little longer, or nginx may reuse a connection gunicorn
# is closing and the reader gets a 502.
keepalive = env_int("GUNICORN_KEEPALIVE", 5)

# Restart each worker after a number of requests, at staggered moments (jitter)
# so that the workers never all restart together: bounds any slow memory growth.
max_requests = env_int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = env_int("GUNICORN_MAX_REQUESTS_JITTER", 200)

# The heartbeat file on a RAM disk: on a disk-backed /tmp it can block a worker.
worker_tmp_dir = "/dev/shm"

# X-Forwarded-Proto is believed only from the local nginx. (Django decides
# HTTPS from the same header through SECURE_PROXY_SSL_HEADER.)
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Readers' privacy: no access log by default, since it would hold every
# reader's address and every page they read. GUNICORN_ACCESS_LOG=true logs to
# stderr (the journal) in a format without the client's address or the query
# string (search words, gift keys).
accesslog = "-" if env_bool("GUNICORN_ACCESS_LOG", False) else None
access_log_format = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# The control socket for `gunicornc`: in the runtime directory systemd creates
# (RuntimeDirectory=newsroom), since the rest of the system is read-only there.
if os.environ.get("RUNTIME_DIRECTORY"):
    control_socket = os.path.join(os.environ["RUNTIME_DIRECTORY"].split(":")[0], "gunicorn.ctl")

proc_name = "newsroom"
