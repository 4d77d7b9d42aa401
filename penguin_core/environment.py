"""The lesson's 'test your environment' step: does each library import, and which version is it?"""

from __future__ import annotations

import importlib
import importlib.metadata
import os
import platform

from penguin_core.keras_model import TENSORFLOW_LOGGING

PACKAGES = [  # (import name, the distributions that may provide it)
    ("streamlit", ("streamlit",)), ("tensorflow", ("tensorflow-cpu", "tensorflow")), ("keras", ("keras",)),
    ("numpy", ("numpy",)), ("pandas", ("pandas",)), ("sklearn", ("scikit-learn",)), ("seaborn", ("seaborn",)),
    ("plotly", ("plotly",)), ("palmerpenguins", ("palmerpenguins",)),
]


def check_environment() -> list[dict]:
    """One row per library: name, version, whether it imports, and the error when it does not."""
    for name, value in TENSORFLOW_LOGGING.items():
        os.environ.setdefault(name, value)
    rows = [{"library": "python", "version": platform.python_version(), "imports": True, "problem": ""}]
    for module, distributions in PACKAGES:
        try:
            importlib.import_module(module)
            rows.append({"library": module, "version": _installed_version(distributions), "imports": True,
                         "problem": ""})
        except Exception as error:  # any import failure is what this page reports
            rows.append({"library": module, "version": _installed_version(distributions),
                         "imports": False, "problem": f"{type(error).__name__}: {error}"})
    return rows


def _installed_version(distributions: tuple[str, ...]) -> str:
    """The installed version of the first distribution found (pip's, not the module's own __version__)."""
    for name in distributions:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return "not installed"
