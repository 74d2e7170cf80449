"""A bounded load run on loopback: gunicorn with 2 workers, 20 concurrent clients, 30 s per page.

Reports requests per second and errors for the municipality profile and for a trivial view
(/healthz) measured in the same run, and their ratio. Run by `make bench`; not a test.
"""

import http.client
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLIENTS = 20
SECONDS = float(os.environ.get("LOAD_SECONDS", "30"))
PAGES = ["/healthz", "/kommune/1870/levekar/"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def client(port: int, path: str, stop: float, counts: list[int]) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    while time.monotonic() < stop:
        try:
            connection.request("GET", path, headers={"Host": "127.0.0.1"})
            response = connection.getresponse()
            response.read()
            counts[0 if response.status == 200 else 1] += 1
        except (OSError, http.client.HTTPException):
            counts[1] += 1
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.close()


def run(port: int, path: str) -> tuple[float, int]:
    stop = time.monotonic() + SECONDS
    results = [[0, 0] for _ in range(CLIENTS)]
    threads = [threading.Thread(target=client, args=(port, path, stop, r)) for r in results]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start
    return sum(r[0] for r in results) / elapsed, sum(r[1] for r in results)


def wait_until_up(port: int) -> None:
    for _ in range(100):
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/healthz")
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("gunicorn did not start")


def main() -> None:
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "LAGSPILL_DEMO": "0",
        "LOG_LEVEL": "WARNING",
    }
    python = sys.executable
    subprocess.run([python, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)  # noqa: S603 (our own interpreter and fixed arguments)
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 (fixed arguments)
        [python, "-m", "gunicorn", "lagspill.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_until_up(port)
        for path in PAGES:  # warm both workers
            run_warm(port, path)
        results = {path: run(port, path) for path in PAGES}
    finally:
        server.terminate()
        server.wait()
    print(f"\nload run: gunicorn 2 workers, {CLIENTS} clients, {SECONDS:.0f} s per page")
    for path, (rps, errors) in results.items():
        print(f"  {path:28} {rps:8.1f} req/s  {errors} errors")
    trivial, page = results[PAGES[0]][0], results[PAGES[1]][0]
    print(f"  profile throughput / trivial view: {page / trivial:.2f}")


def run_warm(port: int, path: str) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    for _ in range(10):
        connection.request("GET", path, headers={"Host": "127.0.0.1"})
        connection.getresponse().read()
    connection.close()


if __name__ == "__main__":
    main()
