"""A throwaway PostgreSQL server for the tests that need one: initdb in a temporary folder, a free port.

Debian's ``postgresql`` package provides the binaries (the test command installs it); the server runs
as the ``postgres`` user when the tests run as root, as PostgreSQL requires.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
import time

from tests.browser.harness import free_port


def binaries() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return os.path.dirname(found[-1]) if found else None


@contextlib.contextmanager
def postgres_server(max_connections: int = 100):
    """Yields a SQLAlchemy URL of a fresh, empty database; the server is gone afterwards."""
    bin_dir = binaries()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
    folder = tempfile.mkdtemp(prefix="penguin-pg-")
    runuser = shutil.which("runuser", path=os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"]))
    as_user = [runuser or "runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_user:
        shutil.chown(folder, "postgres", "postgres")
    data, port = os.path.join(folder, "data"), free_port()
    run = lambda *args: subprocess.run([*as_user, *args], check=True, capture_output=True, timeout=120)  # noqa: E731
    run(f"{bin_dir}/initdb", "-D", data, "-U", "lab", "--auth=trust", "-E", "UTF8")
    run(f"{bin_dir}/pg_ctl", "-D", data, "-o", f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 "
        f"-c max_connections={max_connections} -c superuser_reserved_connections=0",
        "-l", os.path.join(folder, "log"), "-w", "start")
    try:
        for _ in range(50):
            with contextlib.suppress(subprocess.CalledProcessError):
                run(f"{bin_dir}/createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "lab", "lab")
                break
            time.sleep(0.1)
        yield f"postgresql+psycopg://lab@127.0.0.1:{port}/lab"
    finally:
        subprocess.run([*as_user, f"{bin_dir}/pg_ctl", "-D", data, "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)
