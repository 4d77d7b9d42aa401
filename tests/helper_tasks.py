"""Tasks that misbehave on purpose, for the tests of ``penguin_core.isolation``.

    python -m tests.helper_tasks worker    # a Worker's other end
    python -m tests.helper_tasks sandbox   # a sandbox child
    python -m tests.helper_tasks "dies at start"  # a Worker whose imports fail
"""

import os
import sys
import tempfile
import time

from penguin_core.errors import PenguinError


def allocate(megabytes):
    block = bytearray(megabytes * 2**20)
    for i in range(0, len(block), 4096):  # touch every page, so it is resident
        block[i] = 1
    time.sleep(30)
    return len(block)


def leave_a_file():
    """Start writing a temporary file, then hang (as a save killed half-way would)."""
    handle, path = tempfile.mkstemp(suffix=".keras")
    os.write(handle, b"half a model")
    time.sleep(60)
    return path


def refuse():
    raise PenguinError("that is not allowed")


def bug():
    raise KeyError("/secret/server/path")


WORKER_TASKS = {"echo": lambda value: value, "sleep": time.sleep, "allocate": allocate, "crash": lambda: os._exit(3),
                "refuse": refuse, "leave_a_file": leave_a_file, "bug": bug, "pid": os.getpid}


def sandboxed(payload: bytes):
    if payload == b"sleep":
        time.sleep(60)
    if payload == b"eat":
        return len(bytearray(3 * 2**30))
    if payload == b"write":
        with open("written.txt", "w") as handle:
            handle.write("x" * 100)
        return "wrote a file"
    if payload == b"refuse":
        raise PenguinError("not this one")
    return payload.decode()


if __name__ == "__main__":
    if sys.argv[1:] == ["worker"]:
        from penguin_core.isolation.worker import serve

        serve(WORKER_TASKS)
    elif sys.argv[1:] == ["dies at start"]:  # as the Keras worker on a server without TensorFlow
        sys.exit("ModuleNotFoundError: No module named 'tensorflow'")
    else:
        from penguin_core.isolation.sandbox import serve_isolated

        serve_isolated(sandboxed, 1000)
