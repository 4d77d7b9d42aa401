"""Batch predictions from an uploaded CSV: every row back, each cell checked as a typed value, the file bounded."""

import csv
import io

import numpy as np

import pytest

from penguin_core import batch_prediction
from penguin_core.batch_prediction import predict_table, template_csv, to_csv_bytes
from penguin_core.data import load_penguins
from penguin_core.training import train
from penguin_core.errors import PenguinError
from penguin_core.model import ModelSpec
from penguin_core.prediction import predict_one
from penguin_core.preparation import DataSpec, prepare

HEADER = "bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g"
ADELIE = "39.1,18.7,181,3750"


@pytest.fixture(scope="module")
def run(scaled_data):
    return train(scaled_data, ModelSpec())


@pytest.fixture(scope="module")
def island_run():
    return train(prepare(DataSpec(categorical=("island", "sex"), standardize=True)), ModelSpec(epochs=20))


def table_of(run, text, **kwargs):
    return predict_table(run.network, text.encode() if isinstance(text, str) else text, run.profile, **kwargs)


def downloaded(result):
    """The downloaded CSV as a spreadsheet reads it: header and rows of text."""
    rows = list(csv.reader(io.StringIO(to_csv_bytes(result).decode("utf-8-sig"))))
    return rows[0], rows[1:]


def refuses_before_parsing(monkeypatch):
    def parse(*args, **kwargs):
        raise AssertionError("pandas was asked to parse a file that is over the limits")

    monkeypatch.setattr(batch_prediction.pd, "read_csv", parse)


def test_any_column_order_with_extra_columns_kept_and_predictions_appended(run):
    result = table_of(run, "body_mass_g,note,flipper_length_mm,bill_depth_mm,bill_length_mm,id\n"
                           "3750,first,181,18.7,39.1,A1\n5000,second,217,15.0,47.5,A2\n")
    table = result.table
    assert list(table.columns[:6]) == ["body_mass_g", "note", "flipper_length_mm", "bill_depth_mm",
                                       "bill_length_mm", "id"]
    assert list(table.columns[6:]) == ["predicted_species", "probability_Adelie", "probability_Chinstrap",
                                       "probability_Gentoo", "outside_training_range", "warnings", "problem"]
    assert list(table["note"]) == ["first", "second"] and list(table["id"]) == ["A1", "A2"]
    assert list(table["predicted_species"]) == ["Adelie", "Gentoo"]
    assert list(table.index) == [2, 3] and result.predicted == 2 and result.problems == []


def test_every_valid_row_gets_exactly_predict_ones_answer(run):
    penguins = load_penguins().head(40)
    features = list(run.network.features)
    result = table_of(run, penguins[features].to_csv(index=False))
    for i, (_, penguin) in enumerate(penguins.iterrows()):
        single = predict_one(run.network, penguin[features].to_dict(), run.profile)
        row = result.table.iloc[i]
        assert row["predicted_species"] == single.species
        for species, probability in single.probabilities.items():
            assert row[f"probability_{species}"] == pytest.approx(probability, abs=1e-6)
        assert row["warnings"] == " ".join(single.warnings)


def test_column_names_match_whatever_their_case_and_spaces(run):
    result = table_of(run, " Bill_Length_mm ,BILL_DEPTH_MM,flipper_length_mm,Body_Mass_g\n" + ADELIE + "\n")
    assert result.predicted == 1 and result.table.columns[0] == "Bill_Length_mm"


@pytest.mark.parametrize("text", [
    "bill_length_mm;bill_depth_mm;flipper_length_mm;body_mass_g\n39,1;18,7;181;3750\n",  # a European spreadsheet
    'bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g\n"39,1","18,7",181,3750\n',
    "bill_length_mm\tbill_depth_mm\tflipper_length_mm\tbody_mass_g\n39.1\t18.7\t181\t3750\n",
])
def test_a_decimal_comma_or_point_and_any_usual_separator_give_the_same_answer(run, text):
    expected = table_of(run, f"{HEADER}\n{ADELIE}\n").table["probability_Adelie"].iloc[0]
    result = table_of(run, text)
    assert result.predicted == 1 and result.table["probability_Adelie"].iloc[0] == pytest.approx(expected)


def test_a_missing_column_is_named_with_every_column_needed(run):
    with pytest.raises(PenguinError) as error:
        table_of(run, "bill_length_mm,flipper_length_mm,body_mass_g,notes\n39.1,181,3750,x\n")
    message = str(error.value)
    assert "no column bill_depth_mm" in message
    assert "bill_length_mm, bill_depth_mm, flipper_length_mm, body_mass_g" in message and "any order" in message


def test_a_column_written_twice_is_refused(run):
    with pytest.raises(PenguinError, match="2 columns called body_mass_g"):
        table_of(run, f"{HEADER},Body_mass_g\n{ADELIE},3800\n")


def test_a_bad_cell_names_its_column_and_row_and_the_other_rows_are_still_predicted(run):
    result = table_of(run, f"{HEADER}\n{ADELIE}\n39.1,abc,181,3750\n{ADELIE}\n")
    assert result.predicted == 2 and result.rows == 3
    bad = result.table.loc[3]
    assert bad["problem"] == "bill_depth_mm must be a number, got 'abc'."
    assert bad["predicted_species"] == "" and np.isnan(bad["probability_Adelie"])
    assert list(result.table["predicted_species"]) == ["Adelie", "", "Adelie"]
    assert result.problems == ["Column bill_depth_mm, row 3 of the file (header is row 1): bill_depth_mm must be a "
                               "number, got 'abc'. That penguin is not predicted."]


def test_many_bad_rows_are_listed_the_first_ten_then_how_many_more(run):
    rows = [ADELIE if i % 2 else "39.1,18.7,181,heavy" for i in range(30)]
    result = table_of(run, "\n".join([HEADER, *rows]))
    assert result.predicted == 15
    message = result.problems[0]
    assert message.startswith("Column body_mass_g, rows 2, 4, 6, 8, 10, 12, 14, 16, 18, 20 and 5 more of the file "
                              "(header is row 1)")
    assert "such as in row 2: body_mass_g must be a number, got 'heavy'." in message


@pytest.mark.parametrize("value, reason", [
    ("nan", "must be a finite number"), ("inf", "must be a finite number"), ("-5", "must be above 0"),
    ("0", "must be above 0"), ("1e9", "at most 100000 g"), ("", "body_mass_g is empty"),
    ("x" * 300, "must be a number, got a 300-character text"),
])
def test_values_a_single_prediction_refuses_are_refused_the_same_way(run, value, reason):
    result = table_of(run, f"{HEADER}\n39.1,18.7,181,{value}\n")
    assert result.predicted == 0 and reason in result.table.loc[2, "problem"]


def test_empty_rows_are_named_and_the_row_numbers_after_them_stay_right(run):
    result = table_of(run, f"{HEADER}\n{ADELIE}\n\n ,,,\n39.1,18.7,181,oops\n")
    assert list(result.table["problem"])[1:3] == ["This row is empty.", "This row is empty."]
    assert result.problems[0] == "Rows 3 and 4 of the file (header is row 1) are empty: nothing to predict there."
    assert "row 5 of the file" in result.problems[1] and result.table.loc[5, "problem"].startswith("body_mass_g")


def test_penguins_outside_the_training_range_are_flagged_naming_the_measurement(run):
    result = table_of(run, f"{HEADER}\n{ADELIE}\n39.1,18.7,181,7000\n")
    assert list(result.table["outside_training_range"]) == ["", "body_mass_g"]
    assert result.table.loc[3, "warnings"].startswith("Body mass (g) 7000 is")
    assert result.table.loc[2, "warnings"] == "" and result.flagged == 1


def test_without_a_training_profile_penguins_are_predicted_and_not_flagged(run):
    result = predict_table(run.network, f"{HEADER}\n39.1,18.7,181,7000\n".encode(), None)
    assert result.predicted == 1 and result.flagged == 0 and result.table.loc[2, "outside_training_range"] == ""


def test_island_and_sex_are_read_as_words_and_match_predict_one(island_run):
    network = island_run.network
    result = table_of(island_run, f"sex,island,{HEADER}\nMale,biscoe,{ADELIE}\nfemale,Atlantis,{ADELIE}\n")
    single = predict_one(network, {"bill_length_mm": 39.1, "bill_depth_mm": 18.7, "flipper_length_mm": 181,
                                   "body_mass_g": 3750, "island_Biscoe": 1, "island_Dream": 0,
                                   "island_Torgersen": 0, "sex_female": 0, "sex_male": 1}, island_run.profile)
    assert result.table.loc[2, "predicted_species"] == single.species
    assert result.table.loc[2, "probability_Gentoo"] == pytest.approx(single.probabilities["Gentoo"], abs=1e-6)
    assert result.table.loc[3, "problem"] == "island must be one of Biscoe, Dream, Torgersen, got 'Atlantis'."
    with pytest.raises(PenguinError, match="no column island or sex"):
        table_of(island_run, f"{HEADER}\n{ADELIE}\n")


def test_the_template_has_the_needed_columns_and_two_penguins_that_predict(run, island_run):
    header, *rows = template_csv(run.network).decode().splitlines()
    assert header == "name," + HEADER and len(rows) == 2
    result = table_of(run, template_csv(run.network))
    assert result.predicted == 2 and list(result.table["predicted_species"]) == ["Adelie", "Gentoo"]
    assert template_csv(island_run.network).decode().splitlines()[0] == f"name,{HEADER},island,sex"
    assert table_of(island_run, template_csv(island_run.network)).predicted == 2


def test_formulas_are_neutralized_in_the_download_numbers_are_not(run):
    text = (f'{HEADER},=note,comment\n'
            f'{ADELIE},"=HYPERLINK(""http://evil"",""x"")",+cmd\n'
            f'{ADELIE},@SUM(A1),"\tx"\n'
            f'{ADELIE},-2+3,"\rx"\n'
            f'{ADELIE},-5,+1.5\n'
            f'39.1,18.7,181,=1+1,safe,2e3\n')
    header, rows = downloaded(table_of(run, text))
    assert header[4:6] == ["'=note", "comment"]
    assert [row[4:6] for row in rows] == [["'=HYPERLINK(\"http://evil\",\"x\")", "'+cmd"], ["'@SUM(A1)", "'\tx"],
                                          ["'-2+3", "'\rx"], ["-5", "+1.5"], ["safe", "2e3"]]
    assert rows[4][3] == "'=1+1" and rows[4][-1] == "body_mass_g must be a number, got '=1+1'."
    assert rows[0][5:10] == ["'+cmd", "Adelie", *[f"{p:.4f}" for p in table_of(run, text).table.iloc[0, 7:10]]]


def test_the_download_reads_back_as_the_same_table_and_old_predictions_are_replaced(run):
    first = table_of(run, f"{HEADER},note\n{ADELIE},é\n39.1,18.7,181,x,second\n")
    again = table_of(run, to_csv_bytes(first))
    assert list(again.table.columns) == list(first.table.columns)
    assert list(again.table["note"]) == ["é", "second"]
    assert list(again.table["predicted_species"]) == ["Adelie", ""]
    assert any("were replaced by this model's" in p for p in again.problems)


def test_utf8_with_a_byte_order_mark_is_read(run):
    result = table_of(run, "\ufeff" + f"{HEADER},île\n{ADELIE},oui\n")
    assert result.predicted == 1 and result.table.columns[4] == "île"


@pytest.mark.parametrize("content, message", [
    (f"{HEADER},note\n{ADELIE},caf\xe9\n".encode("latin-1"), "not UTF-8 text: line 2 has a character"),
    (f"{HEADER}\n{ADELIE}\n".encode("utf-16"), "not UTF-8 text"),
    (b"", "The file is empty"),
    (f"{HEADER}\n".encode(), "a header but no penguins"),
    (f"{HEADER}\n{ADELIE}\n{ADELIE},extra\n".encode(), "Row 3 of the file (header is row 1) has 5 cells but the "
                                                        "header has 4"),
    (f'{HEADER}\n{ADELIE}\n"39.1,18.7,181,3750\n'.encode(), 'A quote (") opened in row 3 of the file'),
])
def test_a_file_that_cannot_be_read_says_why(run, content, message):
    with pytest.raises(PenguinError) as error:
        table_of(run, content)
    assert message in str(error.value)


def test_an_unquoted_decimal_comma_in_a_comma_file_is_explained(run):
    with pytest.raises(PenguinError, match="separate the columns with semicolons"):
        table_of(run, f"{HEADER}\n39,1,18.7,181,3750\n")


def test_a_file_over_the_size_limit_is_refused_before_parsing(run, monkeypatch):
    refuses_before_parsing(monkeypatch)
    content = (f"{HEADER}\n" + f"{ADELIE}\n" * 200_000).encode()
    assert len(content) > batch_prediction.MAX_BYTES
    with pytest.raises(PenguinError, match="at most 2 MB"):
        table_of(run, content)


def test_rows_beyond_the_limit_are_refused_before_parsing(run, monkeypatch):
    monkeypatch.setattr(batch_prediction, "MAX_ROWS", 3)
    assert table_of(run, f"{HEADER}\n" + f"{ADELIE}\n" * 3).predicted == 3
    refuses_before_parsing(monkeypatch)
    with pytest.raises(PenguinError, match="4 rows after its header; at most 3"):
        table_of(run, f"{HEADER}\r\n" + f"{ADELIE}\r\n" * 4)


def test_the_real_row_limit_is_ten_thousand(run, monkeypatch):
    refuses_before_parsing(monkeypatch)
    with pytest.raises(PenguinError, match="10,001 rows after its header; at most 10,000"):
        table_of(run, f"{HEADER}\n" + "1\n" * 10_001)


def test_columns_beyond_the_limit_are_refused_before_parsing(run, monkeypatch):
    refuses_before_parsing(monkeypatch)
    extra = ",".join(f"c{i}" for i in range(47))
    with pytest.raises(PenguinError, match="51 columns; at most 50"):
        table_of(run, f"{HEADER},{extra}\n{ADELIE}\n")


def test_a_long_cell_is_refused_before_parsing(run, monkeypatch):
    refuses_before_parsing(monkeypatch)
    with pytest.raises(PenguinError, match="Line 3 of the file has a cell longer than 500 characters"):
        table_of(run, f"{HEADER},note\n{ADELIE},ok\n{ADELIE},{'x' * 501}\n")


def test_a_long_quoted_cell_split_by_commas_is_still_caught(run):
    long = ",".join(["x" * 100] * 6)
    with pytest.raises(PenguinError, match="Row 3 of the file .header is row 1., column 5, has 605 characters"):
        table_of(run, f'{HEADER},note\n{ADELIE},ok\n{ADELIE},"{long}"\n')


def test_whatever_the_bytes_the_answer_is_a_table_or_a_learners_message(island_run):
    """Seeded random CSV-like files: never a traceback, and every table downloads."""
    import random

    rng = random.Random(7)
    pieces = [*island_run.network.features, "island", "sex", ",", ";", "\t", "\n", "\r", '"', " ", "39,1", "18.7",
              "Biscoe", "male", "=", "-", "nan", "1e400", "é", "\ufeff", "x", "'"]
    header = f"{HEADER},island,sex\n"
    for _ in range(150):
        text = (header if rng.random() < 0.7 else "") + "".join(rng.choices(pieces, k=rng.randint(0, 60)))
        content = text.encode() if rng.random() < 0.9 else rng.randbytes(rng.randint(0, 40))
        try:
            to_csv_bytes(table_of(island_run, content))
        except PenguinError:
            pass


def test_a_formula_after_spaces_is_neutralized_too(run):
    """Issue 22: " =1+1" (a leading space) was written as is; spreadsheets run it like "=1+1"."""
    header, rows = downloaded(table_of(run, f'{HEADER},note\n{ADELIE}," =1+1"\n{ADELIE}," -5"\n'))
    assert [row[4] for row in rows] == ["' =1+1", " -5"]
