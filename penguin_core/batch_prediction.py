"""Predict many penguins at once from an uploaded CSV file.

The file comes from outside: it is bounded (bytes, rows, columns, cell
length) before pandas parses it, read as text only, and every measurement is
checked exactly as a typed one is (``prediction.measurement_vector``: decimal
commas, finite, within ``MAX_VALUE``). A bad cell costs its row, never the
file: every row comes back, the unusable ones without a prediction and with a
``problem`` saying why. Rows are numbered as a spreadsheet numbers them (the
header is row 1).

    result = predict_table(run.network, content, run.profile)
    result.table, result.problems      # a DataFrame, plain sentences
    to_csv_bytes(result)               # safe to open in a spreadsheet
"""

from __future__ import annotations

import codecs
import io
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from penguin_core.data import EXAMPLE_PENGUIN, FEATURES, feature_label
from penguin_core.errors import PenguinError
from penguin_core.prediction import Profile, measurement_vector, one_hot_groups
from penguin_core.text import spreadsheet_safe

MAX_BYTES = 2 * 2**20
MAX_ROWS = 10_000
MAX_COLUMNS = 50
MAX_CELL = 500
"""Characters in one cell (or column name)."""
SHOWN_VALUE = 40
"""A cell longer than this is described, not quoted, in a message."""
SHOWN_ROWS = 10
HEADER_NOTE = "of the file (header is row 1)"
EMPTY = "The file is empty: it needs a header row naming the columns, then one penguin a row."
PREDICTED, PROBLEM, OUTSIDE, WARNINGS = "predicted_species", "problem", "outside_training_range", "warnings"
_NUMBER = re.compile(r"[+-]?([0-9]+([.,][0-9]*)?|[.,][0-9]+)([eE][+-]?[0-9]+)?")
_EXAMPLES = ({**EXAMPLE_PENGUIN, "island": "Torgersen", "sex": "male"},
             {"bill_length_mm": 47.5, "bill_depth_mm": 15.0, "flipper_length_mm": 217.0, "body_mass_g": 5000.0,
              "island": "Biscoe", "sex": "female"})


@dataclass(frozen=True, eq=False)
class BatchResult:
    """``table``: the file's rows (index: their row in the file) and columns, then the prediction columns."""

    table: pd.DataFrame
    problems: list[str]
    predicted: int
    flagged: int

    @property
    def rows(self) -> int:
        return len(self.table)


def needed_columns(network) -> list[str]:
    """The columns a file must have for this network: its measurements, and island/sex as words."""
    groups = one_hot_groups(network.features)
    return [f for f in network.features if f in FEATURES] + list(groups)


def template_csv(network) -> bytes:
    """A file a learner can fill in: the needed columns, an extra one (kept as is) and two example rows."""
    groups = one_hot_groups(network.features)
    rows = []
    for name, example in zip(("Adelie example", "Gentoo example"), _EXAMPLES):
        row = {"name": name} | {f: f"{example[f]:g}" for f in network.features if f in FEATURES}
        rows.append(row | {g: example[g] if example.get(g) in values else values[0] for g, values in groups.items()})
    return pd.DataFrame(rows).to_csv(index=False).encode()


def predict_table(network, content: bytes, profile: Profile | None = None) -> BatchResult:
    """Every row of the CSV ``content`` with the network's prediction, or PenguinError when no row can be read."""
    text = _text(content)
    delimiter = _bounded(text)
    cells = _cells(text, delimiter)
    frame, columns, replaced = _named(cells, network)
    reasons = pd.DataFrame(index=frame.index)
    inputs = {}
    for name, column in columns.items():
        if name in FEATURES:
            inputs[name], reasons[name] = _measurements(frame[column].str.strip(), name)
    for group, values in one_hot_groups(network.features).items():
        chosen, reasons[group] = _choices(frame[columns[group]].str.strip(), group, values)
        inputs |= {f"{group}_{v}": (chosen == v).astype(float) for v in values}
    empty = frame.apply(lambda c: c.str.strip() == "").all(axis=1)
    joined = [" ".join(filter(None, row)) for row in zip(*(reasons[c].tolist() for c in reasons))]
    problem = pd.Series(joined, index=frame.index, dtype=object).where(~empty, "This row is empty.")
    valid = (problem == "").to_numpy()
    X = np.column_stack([inputs[f].to_numpy(float) for f in network.features])[valid]
    table = _predictions(frame, network, X, valid, profile)
    table[PROBLEM] = problem
    problems = replaced + _summary(empty, reasons)
    return BatchResult(table, problems, int(valid.sum()), int((table[WARNINGS] != "").sum()))


def to_csv_bytes(result: BatchResult) -> bytes:
    """The table as UTF-8 CSV (with a BOM, so spreadsheets read accents right), formulas neutralized."""
    table = result.table.rename(columns=_inert)
    for column in table.columns:
        if not pd.api.types.is_numeric_dtype(table[column]):
            table[column] = table[column].astype(str).map(_inert)
    # CRLF line ends, as RFC 4180 has them: then a cell holding a line break of either kind is quoted
    return table.to_csv(index=False, na_rep="", float_format="%.4f", lineterminator="\r\n").encode("utf-8-sig")


def _inert(text: str) -> str:
    """``spreadsheet_safe`` (an apostrophe before formula-like text, spaces before it included), numbers kept."""
    return text if _NUMBER.fullmatch(text.strip()) else spreadsheet_safe(text)


def _text(content: bytes) -> str:
    if not isinstance(content, (bytes, bytearray, memoryview)):
        raise PenguinError("Expected the bytes of a CSV file.")
    if len(content) > MAX_BYTES:
        raise PenguinError(f"The file is {len(content) / 2**20:.1f} MB; a CSV of penguins may be at most "
                           f"{MAX_BYTES // 2**20} MB ({MAX_ROWS:,} rows).")
    utf8 = 'Save it from your spreadsheet as "CSV UTF-8" (comma separated) and upload it again.'
    if b"\x00" in content:
        raise PenguinError(f"The file is not UTF-8 text (it holds zero bytes: binary or UTF-16). {utf8}")
    content = bytes(content).removeprefix(codecs.BOM_UTF8)
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError as error:
        line = content.count(b"\n", 0, error.start) + 1
        raise PenguinError(f"The file is not UTF-8 text: line {line} has a character that cannot be read. "
                           f"{utf8}") from None


def _bounded(text: str) -> str:
    """The column separator, once the text's rows, columns and cells are known to be within the limits."""
    if not text.strip():
        raise PenguinError(EMPTY)
    lines = text.count("\n") + text.count("\r") - text.count("\r\n") + (not text.endswith(("\n", "\r")))
    if lines > MAX_ROWS + 1:
        raise PenguinError(f"The file has {lines - 1:,} rows after its header; at most {MAX_ROWS:,} are predicted "
                           "at once. Split it into smaller files.")
    header = re.match(r"[^\r\n]*", text).group()
    delimiter = next((d for d in ",;\t" if d in header), ",")
    if header.count(delimiter) >= MAX_COLUMNS:
        raise PenguinError(f"The file has {header.count(delimiter) + 1} columns; at most {MAX_COLUMNS} are read.")
    separator = re.escape(delimiter)  # a cell starts the text or follows a separator: each is scanned once
    long = re.search(f"(?:^|(?<=[{separator}\r\n]))[^{separator}\r\n]{{{MAX_CELL + 1}}}", text)
    if long:
        line = text.count("\n", 0, long.start()) + 1
        raise PenguinError(f"Line {line} of the file has a cell longer than {MAX_CELL} characters; cells may hold "
                           f"at most {MAX_CELL}.")
    return delimiter


def _cells(text: str, delimiter: str) -> pd.DataFrame:
    """Every cell as text, the header included (row 0); nothing converted by pandas."""
    try:
        cells = pd.read_csv(io.StringIO(text), sep=delimiter, header=None, dtype=str, na_filter=False,
                            skip_blank_lines=False, engine="c", on_bad_lines="error")
    except pd.errors.ParserError as error:
        raise PenguinError(_parser_message(str(error), delimiter)) from None
    except pd.errors.EmptyDataError:  # nothing but a byte order mark, say
        raise PenguinError(EMPTY) from None
    longest = cells.apply(lambda c: c.str.len()).to_numpy()
    if longest.max() > MAX_CELL:  # a quoted cell can hold separators and line breaks: measured again here
        row, column = np.unravel_index(longest.argmax(), longest.shape)
        raise PenguinError(f"Row {row + 1} {HEADER_NOTE}, column {column + 1}, has {longest.max():,} characters; "
                           f"cells may hold at most {MAX_CELL}.")
    if len(cells) < 2:
        raise PenguinError("The file has a header but no penguins under it.")
    return cells


def _parser_message(message: str, delimiter: str) -> str:
    fields = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", message)
    if fields:
        expected, row, saw = fields.groups()
        comma = (" A decimal comma (39,1) in a comma-separated file splits the number: separate the columns "
                 "with semicolons, or write 39.1." if delimiter == "," else "")
        return f"Row {row} {HEADER_NOTE} has {saw} cells but the header has {expected}.{comma}"
    quote = re.search(r"EOF inside string starting at row (\d+)", message)
    if quote:
        return f"A quote (\") opened in row {int(quote.group(1)) + 1} {HEADER_NOTE} is never closed."
    return "The file could not be read as a table: one header row, then one penguin a row, cells separated by commas."


def _named(cells: pd.DataFrame, network) -> tuple[pd.DataFrame, dict[str, str], list[str]]:
    """The rows under the header with the file's column names, where each needed column is, and a note on
    columns of an earlier prediction that this one replaces."""
    written = [name.strip() for name in cells.iloc[0]]
    names = []
    for i, name in enumerate(written):
        name = name or f"unnamed_{i + 1}"
        names.append(name if name not in names else f"{name} ({i + 1})")
    needed = needed_columns(network)
    columns = {}
    for need in needed:
        found = [names[i] for i, name in enumerate(written) if name.casefold() == need.casefold()]
        if len(found) > 1:
            raise PenguinError(f"The file has {len(found)} columns called {need}: keep one.")
        if found:
            columns[need] = found[0]
    missing = [n for n in needed if n not in columns]
    if missing:
        raise PenguinError(f"The file has no column {' or '.join(missing)}. This model needs the columns "
                           f"{', '.join(needed)} (any order; other columns are kept), named in the first row.")
    frame = cells.iloc[1:].set_axis(names, axis=1)
    frame.index = pd.RangeIndex(2, len(cells) + 1, name="row")
    ours = {PREDICTED, PROBLEM, OUTSIDE, WARNINGS} | {f"probability_{s}" for s in network.species}
    old = [n for n in names if n in ours]
    replaced = [f"The file's own {', '.join(old)} column(s) were replaced by this model's."] if old else []
    return frame.drop(columns=old), columns, replaced


def _measurements(cells: pd.Series, name: str) -> tuple[pd.Series, pd.Series]:
    """Each cell as a float (NaN when unusable) and the reason it is unusable ('' when fine)."""
    values, reasons = {}, {}
    for text in cells.unique():  # a column repeats its values: each distinct one is checked once
        values[text], reasons[text] = np.nan, ""
        if not text:
            reasons[text] = f"{name} is empty."
        elif len(text) > SHOWN_VALUE:
            reasons[text] = f"{name} must be a number, got a {len(text)}-character text."
        else:
            try:
                values[text] = measurement_vector((name,), {name: text})[0]
            except PenguinError as error:
                reasons[text] = f"{name} {str(error).removeprefix(feature_label(name) + ' ')}"
    return cells.map(values), cells.map(reasons)


def _choices(cells: pd.Series, group: str, values: list[str]) -> tuple[pd.Series, pd.Series]:
    """Each cell as one of ``values`` (any case; '' when unusable) and the reason it is unusable."""
    known = {v.casefold(): v for v in values}
    chosen = cells.map(lambda text: known.get(text.casefold(), ""))
    shown = cells.map(lambda text: repr(text) if len(text) <= SHOWN_VALUE else f"a {len(text)}-character text")
    reasons = (f"{group} must be one of {', '.join(values)}, got " + shown + ".").where(chosen == "", "")
    return chosen, reasons.where(cells != "", f"{group} is empty.")


def _predictions(frame: pd.DataFrame, network, X: np.ndarray, valid: np.ndarray, profile) -> pd.DataFrame:
    """``frame`` with the species, one probability per species and the training-range flags appended."""
    table = frame.copy()
    probabilities = np.full((len(frame), len(network.species)), np.nan)
    if len(X):
        probabilities[valid] = network.predict_proba(X)
    species = np.array(network.species, dtype=object)[np.nan_to_num(probabilities).argmax(axis=1)]
    table[PREDICTED] = np.where(valid, species, "")
    for k, name in enumerate(network.species):
        table[f"probability_{name}"] = probabilities[:, k]
    table[OUTSIDE], table[WARNINGS] = "", ""
    if profile is not None and tuple(profile.features) == tuple(network.features) and len(X):
        below, above = X < profile.minimum, X > profile.maximum
        table.loc[valid, OUTSIDE] = ["; ".join(f for f, out in zip(network.features, row) if out)
                                     for row in below | above]
        table.loc[valid, WARNINGS] = [" ".join(profile.warnings(x)) for x in X]
    return table


def _summary(empty: pd.Series, reasons: pd.DataFrame) -> list[str]:
    """One sentence for the empty rows and one for each column with unusable cells, naming the rows."""
    sentences = []
    if empty.any():
        rows = list(empty.index[empty])
        sentences.append(f"R{_rows(rows)[1:]} {'is' if len(rows) == 1 else 'are'} empty: nothing to "
                         "predict there.")
    for column in reasons.columns:
        bad = reasons[column][(reasons[column] != "") & ~empty]
        if len(bad) == 1:
            sentences.append(f"Column {column}, {_rows(list(bad.index))}: {bad.iloc[0]} That penguin is not "
                             "predicted.")
        elif len(bad):
            sentences.append(f"Column {column}, {_rows(list(bad.index))}: values that cannot be used, such as in "
                             f"row {bad.index[0]}: {bad.iloc[0]} Those penguins are not predicted; the {PROBLEM} "
                             "column says why for each.")
    return sentences


def _rows(rows: list[int]) -> str:
    """'row 3 of the file (header is row 1)', 'rows 3, 5 and 9 …', or the first ten and how many more."""
    if len(rows) == 1:
        return f"row {rows[0]} {HEADER_NOTE}"
    shown = ", ".join(map(str, rows[:SHOWN_ROWS]))
    if len(rows) <= SHOWN_ROWS:
        shown = f"{', '.join(map(str, rows[:-1]))} and {rows[-1]}"
    else:
        shown += f" and {len(rows) - SHOWN_ROWS:,} more"
    return f"rows {shown} {HEADER_NOTE}"
