import os

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from penguin_core.preparation import DataSpec, prepare  # noqa: E402


@pytest.fixture(scope="session")
def lesson_data():
    """The lesson's split: unscaled, no validation set."""
    return prepare(DataSpec())


@pytest.fixture(scope="session")
def scaled_data():
    """Standardized, with a validation set, so every metric is there."""
    return prepare(DataSpec(standardize=True, validation_size=0.2))
