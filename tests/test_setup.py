"""What a new machine meets: the requirements install on every platform TensorFlow supports, the app's
install carries no test tools, and the server's settings are the deliberate ones."""

import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
PLATFORMS = {  # (sys_platform, platform_machine) -> the TensorFlow distribution with a 2.21 wheel there
    ("linux", "x86_64"): "tensorflow-cpu", ("win32", "AMD64"): "tensorflow-cpu",
    ("linux", "aarch64"): "tensorflow", ("darwin", "arm64"): "tensorflow",
}


def requirements(path: Path) -> list[Requirement]:
    lines = [line.split(" #")[0].strip() for line in path.read_text().splitlines()]
    return [Requirement(line) for line in lines if line and not line.startswith("#")]


@pytest.mark.parametrize("platform, machine", PLATFORMS)
def test_exactly_one_tensorflow_installs_on_each_platform(platform, machine):
    environment = {"sys_platform": platform, "platform_machine": machine, "python_version": "3.11"}
    chosen = [r.name for r in requirements(ROOT / "requirements.txt")
              if r.name.startswith("tensorflow") and (r.marker is None or r.marker.evaluate(environment))]
    assert chosen == [PLATFORMS[(platform, machine)]]


def test_every_runtime_requirement_is_pinned_and_test_tools_are_apart():
    runtime = requirements(ROOT / "requirements.txt")
    assert all(str(r.specifier).startswith("==") for r in runtime)
    assert not {"pytest", "playwright"} & {r.name for r in runtime}
    assert {"pytest", "playwright"} <= {r.name for r in requirements(ROOT / "tests" / "requirements.txt")}


def test_the_server_shows_no_traceback_and_listens_on_this_computer_only_by_default():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == "none"
    assert config["server"]["address"] == "localhost"
    assert config["server"]["maxUploadSize"] <= 5


def test_the_readme_starts_with_the_two_commands_and_says_how_to_serve_a_class():
    readme = (ROOT / "README.md").read_text()
    commands = [line.strip() for line in readme.split("---")[0].splitlines() if line.startswith("    ")]
    assert "streamlit run app.py" in commands[0] and "pytest" not in commands[0]
    assert commands[1] == "bash tests/run.sh"
    assert "--server.address 0.0.0.0" in readme and "Python 3.11" in readme
