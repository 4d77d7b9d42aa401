import importlib.metadata

from penguin_core import environment
from penguin_core.environment import check_environment


def test_every_library_is_listed_with_its_installed_version():
    rows = {row["library"]: row for row in check_environment()}
    assert rows["pandas"]["version"] == importlib.metadata.version("pandas")
    assert rows["palmerpenguins"]["version"] == importlib.metadata.version("palmerpenguins")
    assert all(row["imports"] for row in rows.values())


def test_a_missing_library_is_reported_not_given_another_ones_version(monkeypatch):
    monkeypatch.setattr(environment, "PACKAGES", [("not_a_real_module", ("not-a-real-dist",))])
    row = check_environment()[-1]
    assert row["imports"] is False and row["version"] == "not installed"
    assert "ModuleNotFoundError" in row["problem"]
