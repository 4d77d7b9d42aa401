"""A sandbox child killed from outside before it answers (``python -m tests.sandbox_killed``)."""

import os
import signal

os.kill(os.getpid(), signal.SIGKILL)
