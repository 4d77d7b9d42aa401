"""A class across replicas: deploy/start.sh's set (PostgreSQL, N replicas, nginx), M learners through nginx.

    python benchmarks/scale.py [--replicas 8] [--learners 120] [--db-connections N]

Starts the set in a temporary folder on free loopback ports, runs benchmarks/classroom_ws.py against nginx
with M learners (join, join a class, all click Train at once, answer, raise a note, then every action at
once), and prints its figures (click -> result p50/p95, post -> board p95, errors, lost posts) beside what
only the set shows: the replicas' CPU-seconds a learner over the whole class, and PostgreSQL's connections at
their peak against its max_connections. Everything is stopped afterwards.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from tests.browser.harness import child_pids, cpu_seconds, free_port  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
START = ROOT / "deploy" / "start.sh"


def free_ports(count: int, taken: set[int]) -> int:
    """The first of ``count`` consecutive free loopback ports, none of them in ``taken``."""
    for base in range(20000, 60000, count + 1):
        ports = range(base, base + count)
        if taken.isdisjoint(ports) and all(_free(port) for port in ports):
            return base
    raise RuntimeError("no free ports")


def _free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def replicas_cpu(run_dir: Path) -> float:
    """CPU-seconds used so far by every replica and its helper processes."""
    total = 0.0
    for pid_file in run_dir.glob("replica-*.pid"):
        pid = int(pid_file.read_text().split()[0])
        for each in [pid, *child_pids(pid)]:
            try:
                total += cpu_seconds(each)
            except OSError:
                pass
    return total


def watch_connections(url: str, stop: threading.Event, peak: list[int]) -> None:
    """PostgreSQL's client connections, sampled every 0.2 s; the highest seen goes into ``peak``."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    engine = create_engine(url, poolclass=NullPool)
    while not stop.is_set():
        try:
            with engine.connect() as connection:
                count = connection.execute(text("SELECT count(*) FROM pg_stat_activity WHERE backend_type = "
                                                "'client backend'")).scalar()
            peak[0] = max(peak[0], int(count) - 1)  # not this watcher's own
        except Exception:  # the server full: the replicas' connections are the figure, not ours
            pass
        stop.wait(0.2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replicas", type=int, default=8)
    parser.add_argument("--learners", type=int, default=120)
    parser.add_argument("--db-connections", type=int, help="PostgreSQL's max_connections (start.sh's default)")
    parser.add_argument("--timeout", type=float, default=300.0)
    args = parser.parse_args()
    run_dir = Path(tempfile.mkdtemp(prefix="penguin-scale-"))
    run_dir.chmod(0o755)  # PostgreSQL runs as its own user and must reach its folder inside
    port, db_port = free_port(), free_port()
    command = ["bash", str(START), "start", "--dir", str(run_dir), "--replicas", str(args.replicas),
               "--port", str(port), "--replica-port", str(free_ports(args.replicas, {port, db_port})),
               "--db-port", str(db_port), "--per-address", str(max(300, 4 * args.learners))]  # all from here
    if args.db_connections:
        command += ["--db-connections", str(args.db_connections)]
    env = {**os.environ, "PENGUIN_PYTHON": os.path.realpath(sys.executable)}
    started = time.monotonic()
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        print(f"deploy/start.sh failed:\n{done.stdout[-1500:]}\n{done.stderr[-1500:]}")
        subprocess.run(["bash", str(START), "stop", "--dir", str(run_dir)], capture_output=True, timeout=300)
        return 2
    print(f"{args.replicas} replicas behind nginx with PostgreSQL started in {time.monotonic() - started:.0f} s")
    url = (run_dir / "database.url").read_text().strip()
    stop, peak = threading.Event(), [0]
    watcher = threading.Thread(target=watch_connections, args=(url, stop, peak), daemon=True)
    watcher.start()
    try:
        before = replicas_cpu(run_dir)
        bench = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "classroom_ws.py"), "--url",
                                f"http://127.0.0.1:{port}", "--learners", str(args.learners), "--warmup", "1",
                                "--timeout", str(args.timeout)], capture_output=True, text=True)
        used = replicas_cpu(run_dir) - before
        print(bench.stdout)
        if bench.returncode not in (0, 1):
            print(bench.stderr[-2000:])
        stop.set()
        watcher.join(5)
        from sqlalchemy import create_engine, text

        with create_engine(url).connect() as connection:
            limit = connection.execute(text("SHOW max_connections")).scalar()
        print(f"replicas: {args.replicas}; their CPU-seconds for the whole class: {used:.1f}, "
              f"{used / args.learners:.3f} a learner, {used / args.replicas:.1f} a replica")
        print(f"PostgreSQL connections at peak: {peak[0]} of max_connections {limit} "
              f"(target: under it, with headroom) {'met' if peak[0] < int(limit) else 'MISSED'}")
        return bench.returncode
    finally:
        stop.set()
        subprocess.run(["bash", str(START), "stop", "--dir", str(run_dir)], capture_output=True, timeout=300)


if __name__ == "__main__":
    sys.exit(main())
