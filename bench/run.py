"""Page throughput: the app under gunicorn against a bare Django view and static nginx.

    python bench/run.py [--articles 10000] [--duration 10] [--connections 64] [--write]

Seeds the articles into a PostgreSQL database of its own (BENCH_DATABASE_URL;
by default newsroom_bench for 100,000 articles, the one bench/search.py uses,
and newsroom_bench_<N> for other counts; created if missing, reused later),
plus a subscriber with an active POZIRK+ subscription and a reader without
one, each with a logged-in session.

Then it starts, on free ports, with production settings (debug off, Redis
cache in db 14, static files collected into a temporary STATIC_ROOT):

- the app under `gunicorn -k gthread` (one worker per core, 4 threads);
- the bare baseline: bench/bare_app.py, one Django view returning the home
  page's bytes without touching the database, under the same gunicorn flags;
- the static baseline: nginx serving those bytes as a file;
- and, if deploy/nginx/newsroom.conf exists, nginx with that config in front
  of the app.

Each page gets a warm-up and then `wrk --latency` for --duration seconds with
--connections connections; a Lua done() hook prints the numbers as JSON. For
every gunicorn run it also prints how the work was split between the workers
(their CPU time from /proc before and after), since with keep-alive one
threaded worker can take every connection and leave a core idle.

Static nginx also serves the gzip and brotli forms the app keeps of the home
page, the baselines of the shipped nginx's compressed rows. Searches run with
their limits lifted (they time what a search costs); then a gunicorn with the
production limits times the home page alone and while one client floods it
with new searches (--flood-connections).

Every page with a target is timed with its baseline beside it: before each
of its timed runs and after it in turns, a run of bare Django (or of static
nginx, for the shipped nginx's rows), and its target is judged on the median
of those pairs' ratios, so that a machine whose speed drifts while the bench
runs moves a row and its baseline alike.

Prints a table with requests/s (every timed run, and their spread), p50,
p99, the ratios to both baselines measured first and to the baseline timed
beside the row, then every target of the issue marked PASS or FAIL. --write puts the results into
bench/RESULTS.md under "Page throughput". Every process it starts is stopped
by its PID on exit, Ctrl-C and errors included.
"""

import argparse
import atexit
import json
import math
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from statistics import median
from urllib.parse import urlencode, urlparse

# bench/ is first on sys.path when a script in it runs.
from databases import ensure_database
from results import RESULTS, write_section

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
SHIPPED_NGINX = ROOT / "deploy" / "nginx" / "newsroom.conf"
VENV_BIN = ROOT / ".venv" / "bin"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/newsroom_bench"
DEFAULT_REDIS = "redis://127.0.0.1:6379/14"
SUBSCRIBER_EMAIL = "bench-subscriber@example.org"
READER_EMAIL = "bench-reader@example.org"
# The gate itself (templates/reading/_gate.html); headlines carry the POZIRK+ line too.
GATE_MARK = 'id="gate-title"'

# The targets: (row, the baseline it is compared with, minimum share
# of its requests/s, maximum multiple of its p99 or None). The search target
# is three times what a new search did on 2026-12-01 (19 requests/s against
# bare Django's 6,449), as a share of bare Django so that it travels to
# another machine.
TARGETS = [
    ("home, cache hit", "bare", 0.80, None),
    ("home via shipped nginx", "static", 0.90, None),
    ("gated article, subscriber", "bare", 0.40, 3.0),
    ("home, subscriber", "bare", 0.40, 3.0),
    ("home, logged-in reader without POZIRK+", "bare", 0.40, 3.0),
    ("home, cache miss (unique query)", "bare", 0.25, 4.0),
    ("home via shipped nginx, gzip", "static, gzip", 0.80, None),
    ("home via shipped nginx, brotli", "static, brotli", 0.80, None),
    ("search, a query never asked before", "bare", 3 * 19 / 6449, None),
    ("home, cache off (DummyCache)", "bare", 0.06, None),
]
# While one client floods the app with new searches, the home page's p99 for
# everyone else stays within this multiple of its quiet value.
FLOOD_P99_MULTIPLE = 2.0

sys.path.insert(0, str(ROOT))


# --- processes --------------------------------------------------------------

STARTED = []  # Popen objects, stopped in reverse order by their PIDs


def start(command, log_path, env=None, cwd=ROOT):
    log = open(log_path, "wb")  # noqa: SIM115  (closed with the process)
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        # Own process group: a Ctrl-C reaches only us, and we stop them in order.
        start_new_session=True,
    )
    process.log_path = log_path
    process.children = []
    STARTED.append(process)
    return process


def stop(process):
    if process.poll() is None:
        process.children = children_of(process.pid) or process.children
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
    # Workers that outlived their master (they should not) are ended by PID.
    for pid in process.children:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    if process in STARTED:
        STARTED.remove(process)


def stop_all():
    for process in reversed(list(STARTED)):
        try:
            stop(process)
        except Exception as error:  # keep stopping the others
            print(f"Could not stop PID {process.pid}: {error}", file=sys.stderr)


def on_signal(signum, frame):
    raise SystemExit(128 + signum)


def children_of(pid):
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # The command may hold spaces and parentheses: split after the last ")".
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return sorted(found)


def cpu_seconds(pid):
    """utime + stime of a process (all its threads), in seconds."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy():
    """(busy, total) jiffies of the whole machine, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


SERVICES = ("postgres", "redis-server")


def cpu_of_services():
    """{pid: (name, CPU seconds)} of every PostgreSQL and Redis process."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            name = stat[stat.index("(") + 1 : stat.rindex(")")]
            if name in SERVICES:
                found[int(entry.name)] = (name, cpu_seconds(int(entry.name)))
    return found


def services_used(before, after):
    """CPU seconds each service used between two snapshots, process by process:
    a backend that started meanwhile counts whole, one that ended is lost."""
    used = dict.fromkeys(SERVICES, 0.0)
    for pid, (name, seconds) in after.items():
        earlier = before.get(pid)
        used[name] += seconds - (earlier[1] if earlier and earlier[0] == name else 0.0)
    return used


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RefuseRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect comes back as the answer: wrk would time the redirect, not
    the page it points to, so every timed address must answer for itself."""

    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(RefuseRedirects)


def fetch(url, headers=None, timeout=30):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with OPENER.open(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def wait_until_serving(process, url, what, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            fetch(url, timeout=5)
            return
        except (OSError, urllib.error.URLError):
            time.sleep(0.2)
    log = Path(process.log_path).read_text(errors="replace")[-3000:]
    raise SystemExit(f"{what} did not start (PID {process.pid}). Its log:\n{log}")


# --- database ---------------------------------------------------------------


def database_url(articles):
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"]
    if articles == 100_000:
        return DEFAULT_URL
    # Another count gets its own database, so the search benchmark's stays as it is.
    suffix = f"{articles // 1000}k" if articles % 1000 == 0 else str(articles)
    return f"{DEFAULT_URL}_{suffix}"


def seed(articles):
    """Articles, a subscriber and their session; returns the pages to drive."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.db import connection
    from django.urls import reverse
    from django.utils import timezone as django_timezone
    from django.utils import translation

    from articles.models import Article, Section
    from demo.management.commands.generate_articles import vocabulary
    from paywall.access import Access
    from paywall.models import Plan, Subscription, User, UserSession
    from paywall.sessions import end_all_sessions

    call_command("migrate", verbosity=0)
    count = Article.objects.count()
    if count < articles:
        print(f"Seeding {articles - count} articles (once; later runs reuse them)…")
        call_command("generate_articles", articles - count)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        count = Article.objects.count()
    elif count > articles:
        print(f"Note: the database holds {count:,} articles, more than --articles {articles:,}.")

    plan, _ = Plan.objects.get_or_create(name="Bench plan", defaults={"duration_days": 3650})

    def logged_in(email, subscribed):
        """A session for `email`, as a login would leave it: the device
        recorded and just seen, so reading pages costs the app no writes for
        the next minutes."""
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, "bench-only-password")
            user.email_confirmed_at = django_timezone.now()
            user.save()
        if subscribed and not Subscription.objects.current().filter(user=user).exists():
            Subscription.objects.create(user=user, plan=plan, note="bench/run.py")
        end_all_sessions(user)
        session = SessionStore()
        session["_auth_user_id"] = str(user.pk)
        session["_auth_user_backend"] = "paywall.backends.ReaderBackend"
        session["_auth_user_hash"] = user.get_session_auth_hash()
        session["paywall_last_seen"] = django_timezone.now().timestamp()
        session.create()
        UserSession.objects.create(user=user, session_key=session.session_key, device="wrk")
        return f"sessionid={session.session_key}"

    cookie = logged_in(SUBSCRIBER_EMAIL, subscribed=True)
    reader_cookie = logged_in(READER_EMAIL, subscribed=False)

    live = Article.objects.published().order_by("-published_at")
    free = live.filter(access=Access.FREE).first()
    gated = live.filter(access=Access.PLUS).first()
    section = Section.objects.active().order_by("position").first()
    word = vocabulary("en")[0][300]
    connection.close()
    # The English edition's own addresses: an address without the edition's
    # prefix answers with a redirect, which is not the page being timed.
    with translation.override("en"):
        return {
            "articles": count,
            "cookie": cookie,
            "reader_cookie": reader_cookie,
            "home": reverse("articles:home"),
            "section": reverse("articles:section-feed", args=[section.slug]),
            "free": free.get_absolute_url(),
            "gated": gated.get_absolute_url(),
            "search": f"{reverse('articles:search')}?{urlencode({'q': word})}",
            "word": word,
        }


# --- servers ----------------------------------------------------------------


def gunicorn(app, port, tmp, name, args, env):
    command = [
        str(VENV_BIN / "gunicorn"),
        app,
        "-k",
        "gthread",
        "--workers",
        str(args.workers),
        "--threads",
        str(args.threads),
        # A worker stops accepting at this many connections, so wrk's
        # connections cannot all land on one worker (see --worker-connections).
        "--worker-connections",
        str(args.worker_connections),
        "--keep-alive",
        str(args.keep_alive),
        "--bind",
        f"127.0.0.1:{port}",
        "--pythonpath",
        str(ROOT),
        "--log-level",
        "warning",
    ]
    process = start(command, tmp / f"{name}.log", env=env)
    wait_until_serving(process, f"http://127.0.0.1:{port}/robots.txt", name)
    # Workers boot on their own time: wait until all of them are there.
    deadline = time.monotonic() + 30
    while len(children_of(process.pid)) < args.workers and time.monotonic() < deadline:
        time.sleep(0.1)
    process.children = children_of(process.pid)
    return process


NGINX_STATIC = """\
worker_processes {workers};
daemon off;
pid {tmp}/nginx-static.pid;
error_log {tmp}/nginx-static.error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    default_type text/html;
    client_body_temp_path {tmp}/nginx-static-body;
    proxy_temp_path {tmp}/nginx-static-proxy;
    fastcgi_temp_path {tmp}/nginx-static-fastcgi;
    uwsgi_temp_path {tmp}/nginx-static-uwsgi;
    scgi_temp_path {tmp}/nginx-static-scgi;
    server {{
        listen 127.0.0.1:{port};
        root {tmp}/static-page;
        location = / {{ try_files /index.html =404; }}
        # The same page as the app keeps it compressed, sent as it is.
        location = /gzip {{
            add_header Content-Encoding gzip;
            add_header Vary Accept-Encoding;
            try_files /index.html.gz =404;
        }}
        location = /brotli {{
            add_header Content-Encoding br;
            add_header Vary Accept-Encoding;
            try_files /index.html.br =404;
        }}
    }}
}}
"""


def nginx(conf_text, tmp, name, port):
    conf = tmp / f"{name}.conf"
    conf.write_text(conf_text)
    command = ["nginx", "-c", str(conf), "-p", str(tmp), "-e", str(tmp / f"{name}.error.log")]
    check = subprocess.run([*command, "-t", "-q"], capture_output=True, text=True)
    if check.returncode:
        return None, check.stderr.strip()
    process = start(command, tmp / f"{name}.log")
    wait_until_serving(process, f"http://127.0.0.1:{port}/", name)

    def workers():
        # The workers only: the cache manager and loader do not serve requests.
        return [
            pid
            for pid in children_of(process.pid)
            if b"worker process" in Path(f"/proc/{pid}/cmdline").read_bytes()
        ]

    # Both configs start a worker per core, on their own time: one that had
    # not yet named itself would be left out of the row's CPU split.
    deadline = time.monotonic() + 10
    while len(workers()) < (os.cpu_count() or 1) and time.monotonic() < deadline:
        time.sleep(0.1)
    process.children = workers()
    return process, None


def server_blocks(text):
    """(start, end) of each `server { … }` block that is not inside an upstream."""
    blocks, depth, stack = [], 0, []
    for match in re.finditer(r"(\b\w+\b)?\s*\{|\}", text):
        if match.group(0) == "}":
            depth -= 1
            if stack and stack[-1][1] == depth:
                start_at, _ = stack.pop()
                blocks.append((start_at, match.end()))
            continue
        if match.group(1) == "server":
            stack.append((match.start(1), depth))
        depth += 1
    return blocks


def adapt_shipped(text, tmp, app_port):
    """The shipped config made runnable here: every server listens on a free
    local port (the one that proxies to the app is the one driven), TLS is
    dropped (wrk speaks plain HTTP here), the app's address is the bench's
    gunicorn, and paths under /var and /run move into the temporary dir."""
    # Comments first: they may hold braces ("goes in the http {} context").
    text = re.sub(r"(^|\s)#[^\n]*", r"\1", text)
    text = re.sub(r"^\s*(ssl_\w+|http2|ssl)\s[^;]*;", "", text, flags=re.M)
    text = re.sub(
        r"(proxy_pass\s+)http://(unix:[^:;]+:|[\w.\-]+:\d+|localhost|127\.0\.0\.1)",
        rf"\1http://127.0.0.1:{app_port}",
        text,
    )
    # An upstream keeps its other settings (keepalive…) but only the bench's server.
    text = re.sub(
        r"(upstream\s+[\w.\-]+\s*\{)(.*?)(\})",
        lambda m: (
            m.group(1)
            + f"\n    server 127.0.0.1:{app_port};"
            + re.sub(r"\bserver\s+[^;]+;", "", m.group(2))
            + m.group(3)
        ),
        text,
        flags=re.S,
    )
    text = re.sub(
        r"(?<=\s)(/var/(cache|log|lib)/nginx|/run|/var/run)(/[\w./\-]*)?",
        str(tmp) + r"/shipped\3",
        text,
    )
    out, last, driven = [], 0, None
    for begin, end in server_blocks(text):
        block = text[begin:end]
        port = free_port()
        block = re.sub(r"^\s*listen\s[^;]*;\s*$", "", block, flags=re.M)
        block = block.replace("{", f"{{\n    listen 127.0.0.1:{port};", 1)
        if driven is None and re.search(r"\b(proxy_pass|uwsgi_pass)\b", block):
            driven = port
        out += [text[last:begin], block]
        last = end
    out.append(text[last:])
    text = "".join(out)
    (tmp / "shipped").mkdir(exist_ok=True)
    if re.search(r"^\s*http\s*\{", text, flags=re.M):
        main = text
        main = re.sub(r"^\s*(daemon|pid|user)\s[^;]*;", "", main, flags=re.M)
        main = f"daemon off;\npid {tmp}/nginx-shipped.pid;\n" + main
    else:
        main = f"""\
worker_processes auto;
daemon off;
pid {tmp}/nginx-shipped.pid;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    client_body_temp_path {tmp}/shipped/body;
    proxy_temp_path {tmp}/shipped/proxy;
    fastcgi_temp_path {tmp}/shipped/fastcgi;
    uwsgi_temp_path {tmp}/shipped/uwsgi;
    scgi_temp_path {tmp}/shipped/scgi;
{text}
}}
"""
    return main, driven


# --- wrk --------------------------------------------------------------------

LUA_DONE = """\
function done(summary, latency, requests)
    local e = summary.errors
    io.write(string.format(
        'BENCHJSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, '
        .. '"read": %d, "write": %d, "status": %d, "timeout": %d, '
        .. '"p50": %d, "p90": %d, "p99": %d, "max": %d}\\n',
        summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write,
        e.status, e.timeout, latency:percentile(50), latency:percentile(90),
        latency:percentile(99), latency.max))
end
"""

# A distinct query string on every request (per thread, per run), so that a
# cache keyed on the full address misses every time.
LUA_UNIQUE = """\
local threads = 0
function setup(thread)
    threads = threads + 1
    thread:set("tid", threads)
end
local prefix, counter, sep = "", 0, "?"
function init(args)
    prefix = args[1] or "run"
    if string.find(wrk.path, "?", 1, true) then sep = "&" end
end
function request()
    counter = counter + 1
    return wrk.format(nil, wrk.path .. sep .. "bench=" .. prefix .. "-" .. tid .. "-" .. counter)
end
"""


def wrk_command(url, seconds, args, tmp, headers=(), unique=False, tag="run", connections=None):
    script = tmp / ("unique.lua" if unique else "done.lua")
    if not script.exists():
        script.write_text((LUA_UNIQUE if unique else "") + LUA_DONE)
    connections = connections or args.connections
    threads = min(args.wrk_threads, connections)
    command = ["wrk", "-t", str(threads), "-c", str(connections)]
    command += ["-d", f"{seconds}s", "--latency", "--timeout", "10s", "-s", str(script)]
    for header in headers:
        command += ["-H", header]
    command += [url, "--", f"{tag}{time.monotonic_ns()}"]
    return command


def wrk_result(url, stdout, stderr=""):
    line = next((x for x in stdout.splitlines() if x.startswith("BENCHJSON ")), None)
    if line is None:
        raise SystemExit(f"wrk gave no result for {url}:\n{stdout}\n{stderr}")
    data = json.loads(line.removeprefix("BENCHJSON "))
    data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
    data["errors"] = sum(data[k] for k in ("connect", "read", "write", "status", "timeout"))
    return data


def wrk(url, seconds, args, tmp, headers=(), unique=False, tag="run", connections=None):
    command = wrk_command(url, seconds, args, tmp, headers, unique, tag, connections)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    data = wrk_result(url, result.stdout, result.stderr)
    wrk_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    data["wrk_cpu"] = wrk_cpu / (data["duration_us"] / 1e6)  # in cores
    return data


def measure(label, server, url, args, tmp, headers=(), unique=False, connections=None, paired=None):
    """Warm-up, then the timed runs; with the server's per-process CPU split.

    `paired` is (baseline label, its server, its URL): each timed run then has
    a run of that baseline right beside it, before it and after it in turns,
    and the row's ratios to it are taken pair by pair. On a machine whose speed
    drifts by a tenth within minutes, a baseline timed at the start of the
    bench says less than one timed next to the row."""
    print(f"  {label}: {url}", flush=True)
    if not unique:
        # One request fills the cache, so the warm-up does not start with
        # every connection rendering the same page at once.
        fetch(url, dict(h.split(": ", 1) for h in headers), timeout=120)
    wrk(url, args.warmup, args, tmp, headers, unique, tag="warm", connections=connections)
    runs, pairs = [], []
    for turn in range(args.repeat):
        if paired is None:
            runs.append(timed_run(server, url, args, tmp, headers, unique, connections))
            continue
        _, base_server, base_url = paired
        base_first = turn % 2 == 0
        if base_first:
            base = timed_run(base_server, base_url, args, tmp, (), False, connections)
        run = timed_run(server, url, args, tmp, headers, unique, connections)
        if not base_first:
            base = timed_run(base_server, base_url, args, tmp, (), False, connections)
        runs.append(run)
        pairs.append((run, base))
    runs.sort(key=lambda run: run["rps"])
    # The median run: a neighbour's burst on a shared machine moves one run, not three.
    data = runs[len(runs) // 2]
    data["label"] = label
    data["url"] = url
    data["all_rps"] = [round(run["rps"]) for run in runs]
    if paired is not None:
        data["paired"] = {
            "against": paired[0],
            "ratios": [ratio(run["rps"], base["rps"]) for run, base in pairs],
            "p99s": [ratio(run["p99"], base["p99"]) for run, base in pairs],
            "baseline_rps": [round(base["rps"]) for _, base in pairs],
        }
    print(
        f"    {data['rps']:,.0f} req/s"
        + (f" (median of {', '.join(map(str, data['all_rps']))})" if len(runs) > 1 else "")
        + f", p50 {ms(data, 'p50')}, p99 {ms(data, 'p99')}, "
        f"errors {data['errors']}, worker split {'/'.join(map(str, data['split']))} %, "
        f"CPU cores: server {data['server_cpu']:.2f}, wrk {data['wrk_cpu']:.2f}, "
        f"PostgreSQL {data['db_cpu']:.2f}, Redis {data['redis_cpu']:.2f}, "
        f"other {data['other_cpu']:.2f}" + (f"; {paired_text(data)}" if paired is not None else ""),
        flush=True,
    )
    return data


def paired_text(row):
    """The row's ratios to the baseline timed beside it, pair by pair."""
    paired = row["paired"]
    return (
        f"{median(paired['ratios']):.0%} of {paired['against']} timed beside it "
        f"({', '.join(f'{r:.0%}' for r in paired['ratios'])}; "
        f"{paired['against']}: {', '.join(f'{rps:,}' for rps in paired['baseline_rps'])} req/s)"
    )


def timed_run(server, url, args, tmp, headers, unique, connections=None):
    pids = server.children or [server.pid]
    cpu_before = {pid: cpu_seconds(pid) for pid in pids}
    busy_before, services_before = machine_busy(), cpu_of_services()
    data = wrk(url, args.duration, args, tmp, headers, unique, connections=connections)
    busy_after, services_after = machine_busy(), cpu_of_services()
    used = {pid: cpu_seconds(pid) - cpu_before[pid] for pid in pids}
    total = sum(used.values()) or 1e-9
    seconds = data["duration_us"] / 1e6
    data["split"] = [round(100 * used[pid] / total) for pid in pids]
    data["server_cpu"] = sum(used.values()) / seconds  # in cores
    busy = (busy_after[0] - busy_before[0]) / max(busy_after[1] - busy_before[1], 1)
    data["machine_cpu"] = busy * (os.cpu_count() or 1)
    services = services_used(services_before, services_after)
    # All of PostgreSQL: other people's queries on this machine count here too.
    data["db_cpu"] = services["postgres"] / seconds
    data["redis_cpu"] = services["redis-server"] / seconds
    # Whatever else was busy: the kernel, the app behind nginx, other users' work.
    data["other_cpu"] = max(
        data["machine_cpu"]
        - data["server_cpu"]
        - data["wrk_cpu"]
        - data["db_cpu"]
        - data["redis_cpu"],
        0,
    )
    return data


def measure_flood(app, home_url, search_url, args, tmp):
    """The home page's latency alone, then while one client (a few
    connections) asks new searches in a loop: (quiet row, loaded row, flood)."""
    connections = args.flood_home_connections
    label = "home, quiet (flood scenario)"
    quiet = measure(label, app, home_url, args, tmp, connections=connections)
    seconds = 2 + args.warmup + args.repeat * args.duration + 2
    command = wrk_command(
        search_url, seconds, args, tmp, unique=True, tag="flood", connections=args.flood_connections
    )
    flood_process = start(command, tmp / "flood.log")
    time.sleep(2)
    loaded = measure(
        f"home during a search flood ({args.flood_connections} connections of new searches)",
        app,
        home_url,
        args,
        tmp,
        connections=connections,
    )
    flood_process.wait(timeout=seconds + 30)
    STARTED.remove(flood_process)
    flood = wrk_result(search_url, Path(flood_process.log_path).read_text())
    print(
        f"    the flood: {flood['requests']:,} searches, {flood['rps']:,.0f}/s, "
        f"{flood['status']:,} refused (429/503), p99 {ms(flood, 'p99')}",
        flush=True,
    )
    return quiet, loaded, flood


def ms(row, percentile):
    if not row["requests"]:
        return "—"
    return f"{row[percentile] / 1000:.1f} ms"


# --- report -----------------------------------------------------------------


def machine(pg_version):
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, flags=re.M)
    mem_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    nginx_version = subprocess.run(["nginx", "-v"], capture_output=True, text=True).stderr.strip()
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split()[:2]
    import gunicorn as gunicorn_module

    return {
        "cpu": model.group(1).strip() if model else "unknown CPU",
        "cores": os.cpu_count(),
        "ram": f"{mem_kb / 1024 / 1024:.0f} GiB",
        "postgres": f"PostgreSQL {pg_version}",
        "versions": (
            f"Python {sys.version.split()[0]}, gunicorn {gunicorn_module.__version__}, "
            f"{nginx_version.replace('nginx version: ', '')}, wrk {' '.join(wrk_version[1:])}"
        ),
    }


def ratio(a, b):
    return a / b if b else float("nan")


def table(rows, bare, static):
    lines = [
        "| page | requests/s | runs (requests/s) | p50 | p99 | errors | vs bare Django "
        "| vs static nginx | p99 vs bare | vs its baseline timed beside it | worker CPU split "
        "| CPU cores: server / wrk / PostgreSQL / Redis / other |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        p99_ratio = f"{ratio(row['p99'], bare['p99']):.1f}×" if row["requests"] else "—"
        lines.append(
            f"| {row['label']} | {row['rps']:,.0f} | {spread(row)} "
            f"| {ms(row, 'p50')} | {ms(row, 'p99')} "
            f"| {row['errors']} | {ratio(row['rps'], bare['rps']):.0%} "
            f"| {ratio(row['rps'], static['rps']):.1%} | {p99_ratio} "
            f"| {paired_cell(row)} "
            f"| {'/'.join(map(str, row['split']))} % "
            f"| {row['server_cpu']:.2f} / {row['wrk_cpu']:.2f} / {row['db_cpu']:.2f} "
            f"/ {row['redis_cpu']:.2f} / {row['other_cpu']:.2f} |"
        )
    return "\n".join(lines)


def paired_cell(row):
    paired = row.get("paired")
    if paired is None:
        return "—"
    runs = ", ".join(f"{r:.0%}" for r in paired["ratios"])
    return f"{median(paired['ratios']):.0%} of {paired['against']} ({runs})"


def spread(row):
    """Every timed run's requests/s, and how far apart the extremes were."""
    runs = row["all_rps"]
    text = ", ".join(f"{run:,}" for run in runs)
    if len(runs) > 1 and min(runs):
        text += f" (±{(max(runs) - min(runs)) / 2 / (sum(runs) / len(runs)):.0%})"
    return text


def verdicts(rows, flood=None):
    """PASS or FAIL for every row of the issue's table, against the baseline
    measured in this run."""
    by_label = {row["label"]: row for row in rows}
    lines = []
    for label, against, share, p99_multiple in TARGETS:
        row, base = by_label.get(label), by_label.get(f"baseline: {against}")
        if row is None or base is None:
            lines.append(f"- SKIP {label}: not measured in this run")
            continue
        paired = row.get("paired")
        if paired is not None and paired["against"] == against:
            # Pair by pair, against the baseline timed beside each run.
            got, p99 = median(paired["ratios"]), median(paired["p99s"])
            of = f"{against} timed beside it"
        else:
            got = ratio(row["rps"], base["rps"])
            p99 = ratio(row["p99"], base["p99"]) if row["requests"] else float("inf")
            of = against
        ok = got >= share and row["errors"] == 0
        shown = ".1%" if share < 0.1 else ".0%"
        text = f"requests/s {got:{shown}} of {of} (target ≥ {share:{shown}})"
        if p99_multiple is not None:
            ok = ok and p99 <= p99_multiple
            text += f", p99 {p99:.1f}× {against}'s (target ≤ {p99_multiple:.0f}×)"
        if row["errors"]:
            text += f", {row['errors']} errors"
        lines.append(f"- {'PASS' if ok else 'FAIL'} {label}: {text}")
    quiet = next((r for r in rows if r["label"].startswith("home, quiet (flood")), None)
    loaded = next((r for r in rows if r["label"].startswith("home during a search flood")), None)
    if quiet is None or loaded is None or flood is None:
        lines.append("- SKIP home during a search flood: not measured in this run")
    else:
        multiple = ratio(loaded["p99"], quiet["p99"])
        ok = multiple <= FLOOD_P99_MULTIPLE and loaded["errors"] == 0
        lines.append(
            f"- {'PASS' if ok else 'FAIL'} home during a search flood: p99 {ms(loaded, 'p99')} "
            f"against {ms(quiet, 'p99')} quiet, {multiple:.1f}× (target ≤ "
            f"{FLOOD_P99_MULTIPLE:.0f}×); the flood: {flood['rps']:,.0f} searches/s, "
            f"{flood['status'] / max(flood['requests'], 1):.0%} refused with 429 or 503"
        )
    return lines


# --- main -------------------------------------------------------------------


def main():
    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds per page")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of warm-up per page")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument(
        "--repeat", type=int, default=1, help="timed runs per page; the median is kept"
    )
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=cores, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker")
    parser.add_argument(
        "--worker-connections",
        type=int,
        help="per gunicorn worker; default: an even share of --connections plus --threads",
    )
    parser.add_argument("--keep-alive", type=int, default=5, help="gunicorn keep-alive, seconds")
    parser.add_argument(
        "--flood-connections",
        type=int,
        default=8,
        help="connections of the one client flooding the app with new searches",
    )
    parser.add_argument(
        "--flood-home-connections",
        type=int,
        default=16,
        help="connections reading the home page, quiet and during the flood",
    )
    parser.add_argument("--write", action="store_true", help="write bench/RESULTS.md")
    parser.add_argument(
        "--only",
        nargs="+",
        metavar="TEXT",
        help="time only the pages whose label holds one of these (the baselines always)",
    )
    args = parser.parse_args()
    if args.worker_connections is None:
        # gthread keeps at most worker_connections - threads idle keep-alive
        # connections, and stops accepting at worker_connections: an even share
        # plus the threads lets each worker hold its share without closing any.
        args.worker_connections = math.ceil(args.connections / args.workers) + args.threads
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} not found: apt-get update && apt-get install -y wrk nginx")

    # Ctrl-C even when started in the background (where SIGINT comes ignored).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    atexit.register(stop_all)
    tmp = Path(tempfile.mkdtemp(prefix="newsroom-bench-"))
    tmp.chmod(0o755)  # nginx workers run as nobody and read the page from here
    try:
        run(args, tmp)
    finally:
        stop_all()
        shutil.rmtree(tmp, ignore_errors=True)


def run(args, tmp):
    url = database_url(args.articles)
    pg_version = ensure_database(url)
    env = dict(
        os.environ,
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY", "bench-only-secret-key-" + "x" * 40),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        # Plain HTTP here: no Secure cookies, no redirect to HTTPS, no HSTS.
        DJANGO_SECURE_COOKIES="false",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_HSTS_SECONDS="0",
        DJANGO_LOG_LEVEL="WARNING",
        REDIS_URL=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS),
        STATIC_ROOT=str(tmp / "static"),
    )
    os.environ.update(env)
    import django

    django.setup()
    from django.core.cache import caches
    from django.core.management import call_command

    pages = seed(args.articles)
    call_command("collectstatic", interactive=False, verbosity=0)
    # Pages cached by an earlier run (another database, older code) would be
    # measured as hits of the wrong page: the bench's Redis db starts empty.
    for alias in caches:
        caches[alias].clear()
    info = machine(pg_version)
    print(
        f"{pages['articles']:,} articles in {urlparse(url).path.lstrip('/')}; "
        f"{info['cores']} cores ({info['cpu']}), {info['ram']}, {info['postgres']}"
    )
    print(
        f"gunicorn -k gthread --workers {args.workers} --threads {args.threads} "
        f"--worker-connections {args.worker_connections} --keep-alive {args.keep_alive}; "
        f"wrk -t {args.wrk_threads} -c {args.connections} -d {args.duration}s "
        f"(after {args.warmup}s warm-up)\n"
    )

    app_port = free_port()
    # Searches unlimited here: the search rows time what a search costs. The
    # flood scenario runs the production limits (its own gunicorn, below).
    unlimited = dict(env, NEWSROOM_SEARCH_RATE_PER_MINUTE="0", NEWSROOM_SEARCH_CONCURRENCY="0")
    app = gunicorn("newsroom.wsgi", app_port, tmp, "app", args, unlimited)
    base = f"http://127.0.0.1:{app_port}"

    # The page the baselines serve: the anonymous home page's own bytes, and
    # the compressed forms the app keeps of it.
    home = base + pages["home"]
    status, headers, body = fetch(home)
    if status != 200:
        raise SystemExit(f"GET {pages['home']} answered {status}")
    page_dir = tmp / "static-page"
    page_dir.mkdir()
    page_file = page_dir / "index.html"
    page_file.write_bytes(body)
    for encoding, suffix in (("gzip", ".gz"), ("br", ".br")):
        status, headers, compressed = fetch(home, {"Accept-Encoding": encoding})
        if headers.get("Content-Encoding") != encoding:
            raise SystemExit(f"GET / with Accept-Encoding: {encoding} came back uncompressed")
        (page_dir / f"index.html{suffix}").write_bytes(compressed)
    for file in page_dir.iterdir():
        file.chmod(0o644)
    page_dir.chmod(0o755)

    # Check every page answers as it should before timing it.
    cookie = f"Cookie: {pages['cookie']}"
    reader_cookie = f"Cookie: {pages['reader_cookie']}"
    checks = [
        ("home", pages["home"], {}, None),
        ("section", pages["section"], {}, None),
        ("free article", pages["free"], {}, None),
        ("gated article, anonymous", pages["gated"], {}, True),
        ("gated article, subscriber", pages["gated"], {"Cookie": pages["cookie"]}, False),
        ("gated article, reader", pages["gated"], {"Cookie": pages["reader_cookie"]}, True),
        ("search", pages["search"], {}, None),
    ]
    print("What the app answers (one request each):")
    for label, path, request_headers, gated in checks:
        status, headers, body = fetch(base + path, request_headers)
        shows_gate = GATE_MARK in body.decode("utf-8", "replace")
        print(
            f"  {label:27} {status} {len(body):7,} bytes  "
            f"Cache-Control: {headers.get('Cache-Control', '-')}; Vary: {headers.get('Vary', '-')}"
        )
        if status != 200:
            raise SystemExit(f"{path} answered {status}")
        if gated is not None and shows_gate != gated:
            raise SystemExit(f"{label}: the gate is {'missing' if gated else 'shown'} at {path}")

    bare_port = free_port()
    bare_env = dict(env, BENCH_PAGE_FILE=str(page_file), DJANGO_SETTINGS_MODULE="")
    bare_env.pop("DJANGO_SETTINGS_MODULE")
    bare = gunicorn("bench.bare_app:application", bare_port, tmp, "bare", args, bare_env)
    static_port = free_port()
    static, error = nginx(
        NGINX_STATIC.format(workers=os.cpu_count() or 1, tmp=tmp, port=static_port),
        tmp,
        "nginx-static",
        static_port,
    )
    if static is None:
        raise SystemExit(f"nginx refused the static config:\n{error}")
    if fetch(f"http://127.0.0.1:{bare_port}/")[2] != page_file.read_bytes():
        raise SystemExit("The bare Django view does not serve the home page's bytes.")

    def wanted(label):
        return not args.only or any(part in label for part in args.only)

    print("\nTiming:")
    search = base + pages["search"]
    print(f"  (the searches ask for {pages['word']!r})")
    app_rows = [
        ("home, cache hit", home, {}),
        ("home, cache miss (unique query)", home, {"unique": True}),
        ("section", base + pages["section"], {}),
        ("free article", base + pages["free"], {}),
        ("gated article, anonymous", base + pages["gated"], {}),
        ("gated article, subscriber", base + pages["gated"], {"headers": [cookie]}),
        ("home, subscriber", home, {"headers": [cookie]}),
        ("home, logged-in reader without POZIRK+", home, {"headers": [reader_cookie]}),
        (
            "section, logged-in reader without POZIRK+",
            base + pages["section"],
            {"headers": [reader_cookie]},
        ),
        # The same search again and again (the news of the hour): the page cache.
        ("search, repeated", search, {}),
        ("search, a query never asked before", search, {"unique": True}),
    ]
    static_url = f"http://127.0.0.1:{static_port}"
    rows = [
        measure("baseline: static", static, static_url + "/", args, tmp),
        measure("baseline: bare", bare, f"http://127.0.0.1:{bare_port}/", args, tmp),
    ]
    if wanted("gzip"):
        rows.append(measure("baseline: static, gzip", static, static_url + "/gzip", args, tmp))
    if wanted("brotli"):
        rows.append(measure("baseline: static, brotli", static, static_url + "/brotli", args, tmp))
    # Each row with a target is timed beside its baseline (`measure`).
    baselines = {
        "bare": (bare, f"http://127.0.0.1:{bare_port}/"),
        "static": (static, static_url + "/"),
        "static, gzip": (static, static_url + "/gzip"),
        "static, brotli": (static, static_url + "/brotli"),
    }
    against = {label: baseline for label, baseline, *_ in TARGETS}

    def beside(label):
        if label not in against:
            return None
        return (against[label], *baselines[against[label]])

    rows += [
        measure(label, app, url, args, tmp, paired=beside(label), **options)
        for label, url, options in app_rows
        if wanted(label)
    ]

    # The home page with no cache at all: a full render on every request,
    # whatever the page cache keys on. Its own gunicorn, the same flags.
    stop(app)
    label = "home, cache off (DummyCache)"
    if wanted(label):
        nocache_env = dict(env, DJANGO_SETTINGS_MODULE="bench.nocache_settings")
        nocache = gunicorn("newsroom.wsgi", app_port, tmp, "app-nocache", args, nocache_env)
        rows.append(measure(label, nocache, home, args, tmp, paired=beside(label)))
        stop(nocache)
    stop(bare)

    # A flood of new searches from one client, with the production limits.
    flood = None
    if wanted("flood"):
        limited = gunicorn("newsroom.wsgi", app_port, tmp, "app-limited", args, env)
        quiet, loaded, flood = measure_flood(limited, home, search, args, tmp)
        rows += [quiet, loaded]
        stop(limited)

    shipped_note = None
    if not wanted("home via shipped nginx"):
        pass
    elif SHIPPED_NGINX.exists():
        app = gunicorn("newsroom.wsgi", app_port, tmp, "app", args, env)
        conf, port = adapt_shipped(SHIPPED_NGINX.read_text(), tmp, app_port)
        if port is None:
            shipped_note = f"{SHIPPED_NGINX.relative_to(ROOT)}: no server block proxies to the app"
        else:
            front, error = nginx(conf, tmp, "nginx-shipped", port)
            if front is None:
                shipped_note = f"nginx refused {SHIPPED_NGINX.relative_to(ROOT)}: {error}"
            else:
                front_url = f"http://127.0.0.1:{port}{pages['home']}"
                label = "home via shipped nginx"
                rows.append(measure(label, front, front_url, args, tmp, paired=beside(label)))
                # What browsers ask for.
                for name, encoding in (("gzip", "gzip, deflate"), ("brotli", "gzip, deflate, br")):
                    label = f"home via shipped nginx, {name}"
                    rows.append(
                        measure(
                            label,
                            front,
                            front_url,
                            args,
                            tmp,
                            [f"Accept-Encoding: {encoding}"],
                            paired=beside(label),
                        )
                    )
                stop(front)
        stop(app)
    else:
        shipped_note = f"{SHIPPED_NGINX.relative_to(ROOT)} not found: shipped-nginx run skipped"
    stop(static)
    if shipped_note:
        print(f"  {shipped_note}")

    bare_row = rows[1]
    static_row = rows[0]
    report = table(rows, bare_row, static_row)
    checks_text = verdicts(rows, flood)
    print("\n" + report + "\n")
    print("Targets (from the issue):")
    print("\n".join(checks_text))
    if shipped_note:
        print(f"({shipped_note})")

    if args.write:
        command = "python bench/run.py " + " ".join(sys.argv[1:])
        commit = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
        ).stdout.strip()
        flags = (
            f"-k gthread --workers {args.workers} --threads {args.threads} "
            f"--worker-connections {args.worker_connections} --keep-alive {args.keep_alive}"
        )
        load = f"wrk -t {args.wrk_threads} -c {args.connections} -d {args.duration}s --latency"
        text = "\n".join(
            [
                "## Page throughput",
                "",
                f"Command: `{command}` on {datetime.now(UTC):%Y-%m-%d} "
                f"(commit {commit}{', with uncommitted changes' if dirty else ''}).",
                f"Machine: {info['cores']} cores ({info['cpu']}), {info['ram']} RAM, "
                f"{info['postgres']}, Redis; {info['versions']}.",
                f"{pages['articles']:,} articles from `generate_articles`. The app runs under",
                f"`gunicorn newsroom.wsgi {flags}` with debug off; each page gets a "
                f"{args.warmup} s warm-up, then {args.repeat} × "
                f"`{load}` on the same machine (the median run is shown).",
                "*Bare Django* is `bench/bare_app.py`",
                "(one view returning the home page's bytes, no database) under the same",
                "gunicorn flags; *static nginx* serves those bytes as a file (a worker per",
                "core, access log off). The worker CPU split is each worker's share of the",
                "server's CPU time during the run; the CPU columns are cores busy on average",
                "(*other*: the rest of the machine: kernel, the app behind nginx, other work).",
                "Every row with a target also had its baseline timed beside each of its runs",
                "(before it, then after it), and the targets are judged on the median of",
                "those pairs' ratios (*vs its baseline timed beside it*).",
                "",
                report,
                "",
                "Targets from the issue:",
                "",
                *checks_text,
                *(["", f"{shipped_note}."] if shipped_note else []),
                "",
            ]
        )
        write_section("## Page throughput", text)
        print(f"\nWritten to {RESULTS.relative_to(ROOT)}.")


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("Interrupted: every process the benchmark started has been stopped.")
