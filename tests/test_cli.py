import os
import subprocess
import sys

import pytest

from tests.conftest import TENSORFLOW_LOGGING


def cli(*args, noisy=False):
    """The command as a learner's shell runs it: TensorFlow's logging variables unset (or set to log everything)."""
    env = {k: v for k, v in os.environ.items() if k not in TENSORFLOW_LOGGING}
    if noisy:
        env["TF_CPP_MIN_LOG_LEVEL"] = "0"
    return subprocess.run([sys.executable, "-m", "penguin_core", *args], capture_output=True, text=True,
                          timeout=300, env=env)


@pytest.fixture(scope="module")
def saved_model(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "model.keras"
    result = cli("train", "--epochs", "40", "--standardize", "--save", str(path))
    assert result.returncode == 0, result.stderr
    return path, result.stdout


def test_train_prints_the_lessons_run(saved_model):
    path, out = saved_model
    assert "Training set (273, 4), test set (69, 4); 83 trainable parameters" in out
    assert "Epoch 1/40 - loss:" in out and "Epoch 40/40 - loss:" in out
    assert "Test accuracy:" in out and "predicted species" in out and path.exists()


def test_train_is_reproducible_from_the_command_line():
    first, second = cli("train", "--epochs", "5"), cli("train", "--epochs", "5")
    assert first.returncode == 0 and first.stdout == second.stdout
    assert "loss: 1" in first.stdout.splitlines()[1]  # unscaled: the loss starts in the thousands


def test_predict_prints_species_and_probabilities(saved_model):
    path, _ = saved_model
    result = cli("predict", str(path), "--bill-length", "39.1", "--bill-depth", "18.7",
                 "--flipper-length", "181", "--body-mass", "3750")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Species: Adelie") and "Chinstrap" in result.stdout


@pytest.mark.parametrize("args, message", [
    (["--bill-length", "abc", "--bill-depth", "18.7", "--flipper-length", "181", "--body-mass", "3750"],
     "error: Bill length (mm) must be a number, got 'abc'."),
    (["--bill-length", "39", "--bill-depth", "-1", "--flipper-length", "181", "--body-mass", "3750"],
     "error: Bill depth (mm) must be above 0"),
])
@pytest.mark.parametrize("noisy", [False, True])
def test_bad_values_give_one_line_and_no_traceback(saved_model, args, message, noisy):
    result = cli("predict", str(saved_model[0]), *args, noisy=noisy)
    assert result.returncode == 1
    assert result.stderr.startswith(message) and len(result.stderr.strip().splitlines()) == 1


def test_a_refused_file_gives_one_line(tmp_path):
    bogus = tmp_path / "bogus.keras"
    bogus.write_text("not a model")
    result = cli("predict", str(bogus), "--bill-length", "39")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip() == "error: This file is not a Keras model: a .keras file is a zip archive saved by model.save()."


@pytest.mark.parametrize("noisy", [False, True])
def test_saving_prints_no_tensorflow_notices_whatever_the_shell_says(tmp_path, noisy):
    """Saving imports TensorFlow, which prints start-up notices on some CPUs unless told not to."""
    result = cli("train", "--epochs", "2", "--save", str(tmp_path / "m.keras"), noisy=noisy)
    assert result.returncode == 0 and result.stderr == ""


def test_an_unwritable_destination_is_one_line_before_any_training(tmp_path):
    result = cli("train", "--epochs", "2", "--save", str(tmp_path / "missing" / "m.keras"))
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith("error: Cannot write") and len(result.stderr.splitlines()) == 1


def test_importing_keras_in_a_notebook_prints_nothing_to_stderr():
    code = "from penguin_core.keras_model import import_keras; import_keras()"
    env = {k: v for k, v in os.environ.items() if k not in TENSORFLOW_LOGGING} | {"TF_CPP_MIN_LOG_LEVEL": "0"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 0 and result.stderr == ""
