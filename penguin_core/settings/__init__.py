"""Every setting declared once (``table.SETTINGS``) and what a setting may accept (``constraints``).

    from penguin_core.settings import SETTINGS, setting
    setting("lr").parse("0.01")            # 0.01, checked against the row's bounds
    setting("epochs").check(99999)         # PenguinError: Epochs must be a whole number from 1 to 5000, ...
"""

from penguin_core.settings.base import Settings
from penguin_core.settings.constraints import Flag, Interval, Options, Subset
from penguin_core.settings.layers import HiddenLayer, Layers
from penguin_core.settings.table import BY_FIELD, BY_NAME, LOSSES, SETTINGS, Setting, setting, settings_of

__all__ = ["BY_FIELD", "BY_NAME", "Flag", "HiddenLayer", "Interval", "LOSSES", "Layers", "Options", "SETTINGS",
           "Setting", "Settings", "Subset", "setting", "settings_of"]
