"""What the weights fingerprint promises, and no more: the same kernels give the same fingerprint, anywhere.

OpenBLAS picks its matrix kernels by CPU and they round differently, so two
computers can disagree in the last bits. The Train page says so and names
this server's kernels; these tests hold it to that.
"""

import os
import platform
import subprocess
import sys

import pytest

LESSON_RUN = ("from penguin_core.engine.kernels import kernels; from penguin_core.training import train; "
              "from penguin_core.model import ModelSpec; from penguin_core.preparation import DataSpec, prepare; "
              "run = train(prepare(DataSpec()), ModelSpec()); "
              "print(kernels(), '|', run.network.fingerprint(), '|', round(run.test_metrics['accuracy'], 3))")


def lesson_run(coretype: str | None = None) -> tuple[str, str, str]:
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_CORETYPE"}
    if coretype:
        env["OPENBLAS_CORETYPE"] = coretype
    result = subprocess.run([sys.executable, "-c", LESSON_RUN], capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    return tuple(part.strip() for part in result.stdout.split("|"))


def test_separate_processes_on_this_server_give_the_same_fingerprint():
    assert lesson_run() == lesson_run()


@pytest.mark.skipif(platform.machine() != "x86_64", reason="OpenBLAS core types named here are x86-64's")
def test_other_kernels_are_named_and_reproducible_among_themselves():
    here = lesson_run()
    other = lesson_run("Sandybridge")
    assert "OpenBLAS Sandybridge" in other[0] and other == lesson_run("Sandybridge")
    if other[0] != here[0]:
        assert other[2] == here[2]  # the lesson's run: the same accuracy whatever the kernels


def test_the_train_page_names_this_servers_kernels_and_promises_no_more():
    from penguin_core.engine.kernels import kernels
    from tests.test_pages import trained

    caption = next(c.value for c in trained(epochs=3).caption if "fingerprint" in c.value)
    assert kernels() in caption and "any machine" not in caption and "same arithmetic kernels" in caption
