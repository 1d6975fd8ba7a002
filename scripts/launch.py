"""Start Reloop's processes together, and stop them together.

    python scripts/launch.py run     # runserver (DEBUG) + Celery worker + beat, SQLite unless DATABASE_URL
    python scripts/launch.py stack   # daphne + a worker per Celery queue + beat on PostgreSQL and Redis,
                                     # and nginx-rtmp for live video when it is installed

Before starting, it migrates, seeds the demo data (`seed_demo` is idempotent) and, for `stack`,
collects the static files. `stack` runs with DEBUG off, as production does: it sets DEMO=1 for the
demo data, and makes random secrets for the run where SECRET_KEY and the webhook secrets are unset. Each line a process prints is prefixed with its name. Ctrl-C (or SIGTERM)
stops every process it started, children included; if one of them exits on its own, the launcher
stops the others and exits with an error.
"""

import argparse
import contextlib
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
MANAGE = [PYTHON, str(ROOT / "manage.py")]
CELERY = [PYTHON, "-m", "celery", "-A", "marketplace"]
STOP_TIMEOUT = 15  # seconds a process gets to finish its current request or task, then SIGKILL
# The secrets with a public development value (settings.DEVELOPMENT_SECRETS), which the site and the
# worker refuse with DEBUG off: `stack` makes random ones for the run when they are not set.
SECRETS = ("SECRET_KEY", "CARRIER_WEBHOOK_SECRET", "PAYMENT_WEBHOOK_SECRET")

# The Celery queues (CELERY_TASK_QUEUES in the settings) and, for `stack`, the worker that consumes
# each: its queues and its number of processes. One worker per kind of work, so that photos piling up
# never wait in front of a payout. Media work is CPU-bound (decoding photos), so it gets the most
# processes; money and notifications mostly wait on a provider or a mail server. The notifications
# worker also takes Celery's default queue, which only Celery's own tasks use. `run` starts one worker
# for all of them.
QUEUES = ("media", "money", "notify", "celery")
WORKERS = {
    "media": (("media",), 3),
    "money": (("money",), 2),
    "notify": (("notify", "celery"), 2),
}

# The media server of live shows in `stack`, when nginx with the RTMP module is installed: RTMP in,
# HLS out (live/nginx-rtmp.conf).
MEDIA_RTMP_PORT = 1935
MEDIA_HTTP_PORT = 8080
RTMP_MODULE = Path("/usr/lib/nginx/modules/ngx_rtmp_module.so")

_print_lock = threading.Lock()


def media_server_installed() -> bool:
    return RTMP_MODULE.exists() and any(
        Path(folder, "nginx").exists() for folder in ("/usr/sbin", "/usr/bin")
    )


def say(line: str, name: str = "launch") -> None:
    with _print_lock:
        print(f"{name:<7}| {line}", flush=True)


def environment(profile: str) -> dict[str, str]:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    if profile == "run":
        env.setdefault("DEBUG", "1")
    else:
        env.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/reloop")
        env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
        env["DEBUG"] = "0"
        env["SERVE_MEDIA"] = "1"
        # The stack seeds the demo accounts (a published password, a superuser among them), which
        # seed_demo does with DEBUG off only on a site that says it is a demo.
        env["DEMO"] = "1"
        if media_server_installed():
            # The media server of live shows (nginx-rtmp): its callbacks carry this secret, and the
            # site sends encoders to it and viewers to its HLS.
            env.setdefault("LIVE_MEDIA_SECRET", secrets.token_urlsafe(32))
            env.setdefault("LIVE_RTMP_URL", f"rtmp://127.0.0.1:{MEDIA_RTMP_PORT}/live")
            env.setdefault("LIVE_PLAYBACK_URL", f"http://127.0.0.1:{MEDIA_HTTP_PORT}/hls/{{stream}}.m3u8")
        generated = [name for name in SECRETS if not env.get(name) and name not in _set_in_dotenv()]
        for name in generated:
            env[name] = secrets.token_urlsafe(50)
        if generated:
            say(
                f"{', '.join(generated)} not set: using random ones for this run (sign-ins end when it "
                "stops). Set them in the environment or .env to keep them (README: The full stack)."
            )
    return env


def _set_in_dotenv() -> set[str]:
    """The names a `.env` beside manage.py sets; the settings read it, below the environment."""
    path = ROOT / ".env"
    if not path.is_file():
        return set()
    names = set()
    for line in path.read_text().splitlines():
        name, equals, _value = line.strip().removeprefix("export ").partition("=")
        if equals and not name.startswith("#"):
            names.add(name.strip())
    return names


def with_port(env: dict[str, str], port: int) -> dict[str, str]:
    """Every process learns the port the site runs on: the settings build SITE_URL (the payment page's
    address, the sandbox's webhook URL, links in e-mails) from PORT unless SITE_URL is set."""
    return {**env, "PORT": str(port)}


def processes(profile: str, host: str, port: int) -> dict[str, list[str]]:
    if profile == "run":
        web = [*MANAGE, "runserver", f"{host}:{port}"]
    else:
        # daphne serves the ASGI application: pages, the API and the websockets.
        web = [PYTHON, "-m", "daphne", "--bind", host, "--port", str(port), "--access-log", "-"]
        web += ["--application-close-timeout", str(STOP_TIMEOUT - 5), "marketplace.asgi:application"]
    if profile == "run":
        workers = {"worker": worker(QUEUES, concurrency=2, hostname="reloop@%h")}
    else:
        workers = {
            name: worker(queues, concurrency=concurrency, hostname=f"{name}@%h")
            for name, (queues, concurrency) in WORKERS.items()
        }
    media = {}
    if profile == "stack" and media_server_installed():
        # The media server calls the site on this machine, whatever address the site listens on.
        hooks = f"http://127.0.0.1:{port}/live/media/"
        media["rtmp"] = [
            *MANAGE, "media_server", "--rtmp-port", str(MEDIA_RTMP_PORT), "--http-port", str(MEDIA_HTTP_PORT),
            "--hook-url", hooks,
        ]  # fmt: skip
    return {"web": web, **workers, "beat": [*CELERY, "beat", "--loglevel", "INFO"], **media}


def worker(queues: tuple[str, ...], *, concurrency: int, hostname: str) -> list[str]:
    """A Celery worker consuming `queues`. Workers on one machine need names of their own (`hostname`),
    or Celery's remote control cannot tell them apart."""
    command = [*CELERY, "worker", "--loglevel", "INFO", "--queues", ",".join(queues)]
    return [*command, "--concurrency", str(concurrency), "--hostname", hostname]


def check_services(env: dict[str, str]) -> None:
    """For `stack`: PostgreSQL and Redis must answer; the database is created when it is missing."""
    import environ
    import psycopg2
    import redis

    db = environ.Env.db_url_config(env["DATABASE_URL"])
    server = {"host": db["HOST"], "port": db["PORT"] or 5432, "user": db["USER"], "password": db["PASSWORD"]}
    try:
        conn = psycopg2.connect(dbname="postgres", connect_timeout=5, **server)
    except psycopg2.OperationalError as error:
        sys.exit(f"PostgreSQL at {db['HOST']}:{server['port']} does not answer ({error}). Set DATABASE_URL.")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]])
        if cursor.fetchone() is None:
            say(f"creating database {db['NAME']}")
            cursor.execute(f'CREATE DATABASE "{db["NAME"]}"')
    conn.close()
    try:
        redis.Redis.from_url(env["REDIS_URL"], socket_connect_timeout=5).ping()
    except redis.RedisError as error:
        sys.exit(f"Redis at {env['REDIS_URL']} does not answer ({error}). Set REDIS_URL.")


def prepare(profile: str, env: dict[str, str]) -> str:
    """Run the one-off steps in order; return what seed_demo printed (the demo logins)."""
    if profile == "stack":
        check_services(env)
        subprocess.run([*MANAGE, "collectstatic", "--noinput", "--verbosity", "0"], env=env, check=True)  # noqa: S603
    subprocess.run([*MANAGE, "migrate", "--noinput"], env=env, check=True)  # noqa: S603
    return seed_demo(env)


def seed_demo(env: dict[str, str]) -> str:
    """Run seed_demo, showing its progress, and return the demo logins it printed at the end."""
    command = [*MANAGE, "seed_demo"]
    lines: list[str] = []
    with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True) as process:  # noqa: S603
        for line in process.stdout:
            lines.append(line.rstrip("\n"))
            say(lines[-1], "seed")
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, command)
    # The logins are the "Demo logins" heading and the indented table under it.
    logins: list[str] = []
    for line in lines:
        if line.startswith("Demo logins") or (logins and line.startswith("  ")):
            logins.append(line)
        elif logins:
            break
    return "\n".join(logins)


def relay(name: str, stream) -> None:
    for line in stream:
        say(line.rstrip("\n"), name)


def start(name: str, command: list[str], env: dict[str, str]) -> subprocess.Popen:
    # Each process leads its own process group, so that stopping it also stops its children
    # (runserver's reloaded child, the worker's pool) and nothing is orphaned.
    process = subprocess.Popen(  # noqa: S603
        command,
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
        start_new_session=True,
    )
    threading.Thread(target=relay, args=(name, process.stdout), daemon=True).start()
    return process


def stop(running: dict[str, subprocess.Popen]) -> None:
    # SIGINT to the whole group is what Ctrl-C in a terminal would send: each program (runserver and
    # its reloader, the Celery worker and its pool, daphne) handles it as a clean shutdown.
    for process in running.values():
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)
    deadline = time.monotonic() + STOP_TIMEOUT
    for name, process in running.items():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            say(f"{name} did not stop in {STOP_TIMEOUT} s; killing it")
        # The group may outlive its leader (a pool child still finishing); make sure it is gone.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def wait_until_serving(
    url: str, running: dict[str, subprocess.Popen], stopping: list[int], timeout: float = 90
) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if stopping or any(process.poll() is not None for process in running.values()):
            return False
        try:
            with urllib.request.urlopen(url + "healthz", timeout=2):  # noqa: S310
                return True
        except urllib.error.HTTPError:
            return True  # it answers: a 503 says a part it uses is down, which the log shows
        except OSError:
            time.sleep(0.5)
    return False


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("profile", choices=["run", "stack"])
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    args = parser.parse_args()
    url = f"http://{args.host}:{args.port}/"

    env = with_port(environment(args.profile), args.port)
    try:
        logins = prepare(args.profile, env)
    except subprocess.CalledProcessError as error:
        say(f"manage.py {error.cmd[2]} failed with exit code {error.returncode}")
        return 1
    except KeyboardInterrupt:
        return 130

    stopping: list[int] = []
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda signum, _frame: stopping.append(signum))

    running: dict[str, subprocess.Popen] = {}
    exit_code = 0
    try:
        for name, command in processes(args.profile, args.host, args.port).items():
            running[name] = start(name, command, env)
        if wait_until_serving(url, running, stopping):
            say(f"Reloop is running at {url}  (API docs: {url}api/docs/, health: {url}healthz)")
            for line in logins.splitlines():
                say(line)
            say("Press Ctrl-C to stop.")
        while not stopping:
            exited = [name for name, process in running.items() if process.poll() is not None]
            if exited:
                say(f"{exited[0]} exited with code {running[exited[0]].returncode}; stopping the others")
                exit_code = 1
                break
            time.sleep(0.3)
    finally:
        say("stopping " + ", ".join(running))
        stop(running)
        say("stopped")
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
