"""Compare runs side by side (step 9, tune): curves overlaid, the settings that differ, test scores, and
the whole history as CSV. Runs in, tables and figures out, so the Compare runs page only draws.

A learner tunes by changing one setting and training again; the comparison
says which settings differ and what that did on the test set, so the
difference is read from the runs rather than remembered.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from penguin_core.evaluation import Evaluation, evaluation_of
from penguin_core.figures import RUN_COLORS, confusion_heatmap, training_curves
from penguin_core.preparation import prepared
from penguin_core.run import Run
from penguin_core.settings import SETTINGS
from penguin_core.text import html_literal, spreadsheet_safe

MAX_COMPARED = len(RUN_COLORS)
"""The most runs drawn together: one colour a run, never two runs sharing one."""


def run_settings(run: Run) -> dict[str, object]:
    """The run's settings as one flat row, every row of the settings table in its order (plain values: text,
    numbers, yes/no)."""
    return {row.spoken: row.show(getattr(run.data_spec if row.part == "data" else run.model_spec, row.field))
            for row in SETTINGS}


def run_labels(runs: list[Run]) -> list[str]:
    """One distinct label a run (its name; a second run of the same name gets " (2)"), for columns and legends."""
    labels: list[str] = []
    for run in runs:
        base = run.name or "unnamed run"
        label, n = base, 1
        while label in labels:
            n += 1
            label = f"{base} ({n})"
        labels.append(label)
    return labels


def evaluations(runs: list[Run]) -> list[Evaluation]:
    """Each run measured on its own test set (computed, not read from the run)."""
    return [evaluation_of(run) for run in runs]


def compare_curves(runs: list[Run], height: int = 380):
    """Loss and accuracy of every run overlaid: one colour a run, validation dashed when the run has it."""
    return training_curves([(label, run.history) for label, run in zip(run_labels(runs), runs)], height=height)


@dataclass(frozen=True, eq=False)
class SettingsTable:
    """table: one row a setting, one column a run, as text, after a first column "differs" (≠ where they do);
    differs: True for the cells of the settings that differ between the runs (same shape as table)."""

    table: pd.DataFrame
    differs: pd.DataFrame


def settings_table(runs: list[Run]) -> SettingsTable:
    """The runs' settings side by side, and which of them differ."""
    values = pd.DataFrame({label: run_settings(run) for label, run in zip(run_labels(runs), runs)})
    values.index.name = "setting"
    differ = values.apply(lambda row: len({repr(v) for v in row}) > 1, axis=1)
    table = values.map(_shown)
    table.insert(0, "differs", differ.map({True: "≠", False: ""}))
    mask = pd.DataFrame({column: differ for column in table.columns}, index=table.index)
    return SettingsTable(table, mask)


def _shown(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def metrics_table(runs: list[Run], measured: list[Evaluation]) -> pd.DataFrame:
    """Test scores side by side: one row a score, one column a run, as text."""
    columns = {}
    for label, run, evaluation in zip(run_labels(runs), runs, measured):
        recall = {f"recall {species}": f"{value:.0%}" for species, value in evaluation.per_class["recall"].items()}
        columns[label] = {
            "test accuracy": f"{evaluation.accuracy:.1%}", "test loss": f"{evaluation.loss:.3g}", **recall,
            "never predicts": ", ".join(evaluation.never_predicted) or "—",
            "epochs done": f"{run.epochs_done}/{run.model_spec.epochs}",
            "weights fingerprint": run.network.fingerprint(), "compute time": f"{run.seconds:.2f} s"}
    table = pd.DataFrame(columns)
    table.index.name = "on the test set"
    return table


def confusion_figures(runs: list[Run], measured: list[Evaluation], height: int = 300) -> list:
    """One confusion matrix a run, titled with its name (escaped: Plotly renders HTML) and test accuracy."""
    return [confusion_heatmap(evaluation.confusion, height=height,
                              title=f"{html_literal(label)}: {evaluation.accuracy:.1%}")
            for label, evaluation in zip(run_labels(runs), measured)]


def history_rows(runs: list[Run]) -> pd.DataFrame:
    """One row a run: name, settings, epochs done, test scores, fingerprint and compute time."""
    rows = []
    for run, evaluation in zip(runs, evaluations(runs)):
        recall = {f"recall {species}": round(float(value), 4)
                  for species, value in evaluation.per_class["recall"].items()}
        rows.append({"name": run.name, **run_settings(run), "epochs done": run.epochs_done,
                     "test accuracy": round(evaluation.accuracy, 4), "test loss": round(evaluation.loss, 4),
                     **recall, "fingerprint": run.network.fingerprint(), "seconds": round(run.seconds, 3)})
    return pd.DataFrame(rows)


def history_csv(runs: list[Run]) -> str:
    """``history_rows`` as CSV that a spreadsheet opens as data: text that would start a formula gets a
    leading apostrophe."""
    return history_rows(runs).map(spreadsheet_safe).to_csv(index=False)
