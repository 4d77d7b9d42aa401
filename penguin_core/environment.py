"""The lesson's 'test your environment' step: does each library import, and which version is it?"""

from __future__ import annotations

import importlib
import importlib.metadata
import platform

from penguin_core.keras_model import quiet_tensorflow

PACKAGES = [  # (import name, distribution name)
    ("streamlit", "streamlit"), ("tensorflow", "tensorflow-cpu"), ("keras", "keras"), ("numpy", "numpy"),
    ("pandas", "pandas"), ("sklearn", "scikit-learn"), ("seaborn", "seaborn"), ("plotly", "plotly"),
    ("palmerpenguins", "palmerpenguins"),
]


def check_environment() -> list[dict]:
    """One row per library: name, version, whether it imports, and the error when it does not."""
    quiet_tensorflow()
    rows = [{"library": "python", "version": platform.python_version(), "imports": True, "problem": ""}]
    for module, distribution in PACKAGES:
        try:
            importlib.import_module(module)
            version = _installed_version(module, distribution)
            rows.append({"library": module, "version": version, "imports": True, "problem": ""})
        except Exception as error:  # any import failure is what this page reports
            rows.append({"library": module, "version": _installed_version(module, distribution),
                         "imports": False, "problem": f"{type(error).__name__}: {error}"})
    return rows


def _installed_version(module: str, distribution: str) -> str:
    for name in (distribution, module, "tensorflow"):
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return "not installed"
