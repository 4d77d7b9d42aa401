"""The Predict page's CSV section through AppTest: template, upload, table, download, and files it refuses."""

import pytest

from tests.test_pages import go, lab, no_exception, open_app, plain, trained

HEADER = "bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g"
TITLE = "Many penguins at once: upload a CSV"


@pytest.fixture(scope="module")
def session():
    """One trained session on the Predict page, shared: each test uploads its own file."""
    at = trained(epochs=5)
    go(at, "predict").run()
    return at


def upload_csv(at, content, name="penguins.csv"):
    at.file_uploader(key="predict_batch_upload").upload(name, content, "text/csv").run()
    no_exception(at)
    return at


def download_labels(at):
    return [b.proto.label for b in at.get("download_button")]


def test_without_a_model_the_section_says_to_train_one_first():
    at = open_app("predict")
    no_exception(at)
    assert TITLE in [h.value for h in at.header]
    assert any("train one first" in i.value for i in at.info)
    assert [u.key for u in at.file_uploader] == ["predict_upload"] and not download_labels(at)


def test_the_section_offers_a_template_and_names_the_columns(session):
    assert TITLE in [h.value for h in session.header]
    assert "Download a template (.csv)" in download_labels(session)
    assert any("`bill_length_mm`" in c.value and "`body_mass_g`" in c.value and "island" not in c.value
               for c in session.markdown)
    assert session.file_uploader(key="predict_batch_upload").allowed_type == [".csv"]


def test_an_uploaded_csv_is_predicted_shown_and_offered_for_download(session):
    content = f"{HEADER},note\n39.1,18.7,181,3750,first\n39.1,abc,181,3750,second\n47.5,15,217,5000,third\n"
    at = upload_csv(session, content.encode())
    assert any("Predicted 2 of 3 penguins" in s.value for s in at.success)
    assert any("Column bill_depth_mm, row 3 of the file (header is row 1)" in plain(w.value) for w in at.warning)
    table = at.dataframe[0].value
    assert list(table["note"]) == ["first", "second", "third"]
    assert table["predicted_species"].iloc[1] == "" and table["predicted_species"].iloc[0] in ("Adelie", "Chinstrap",
                                                                                                 "Gentoo")
    assert "Download the predictions (.csv)" in download_labels(at)


def test_a_refused_file_shows_why_and_keeps_the_model(session):
    before = lab(session).run
    at = upload_csv(session, "bill_length_mm,body_mass_g\n39.1,3750\n".encode(), "short.csv")
    assert any(plain(e.value).startswith("short.csv was not read. The file has no column bill_depth_mm or "
                                         "flipper_length_mm") for e in at.error)
    assert lab(at).run is before and "Download the predictions (.csv)" not in download_labels(at)
    at = upload_csv(session, f"{HEADER}\n39.1,18.7,181,3750\n".encode("utf-16"), "wide.csv")
    assert any("not UTF-8 text" in plain(e.value) for e in at.error)


def test_text_from_the_file_is_shown_as_text_not_markdown(session):
    at = upload_csv(session, f"{HEADER}\n39.1,18.7,181,![x](http://evil.example/a.png)\n".encode(), "**bold**.csv")
    shown = next(w.value for w in at.warning if "body_mass_g" in plain(w.value))
    assert "](" not in shown and "![x]" in plain(shown)
    at = upload_csv(session, b"\xff\xfe", "[link](http://evil.example).csv")
    shown = at.error[0].value
    assert "](" not in shown and plain(shown).startswith("[link](http://evil.example).csv was not read")


def test_out_of_range_penguins_are_pointed_out(session):
    at = upload_csv(session, f"{HEADER}\n39.1,18.7,181,9000\n".encode())
    assert any("1 of them are unlike the training penguins" in w.value for w in at.warning)
    assert at.dataframe[0].value["outside_training_range"].iloc[0] == "body_mass_g"


def test_the_file_is_read_once_not_on_every_rerun(session, monkeypatch):
    import penguin_core.batch_prediction

    calls = []
    real = penguin_core.batch_prediction.predict_table
    monkeypatch.setattr(penguin_core.batch_prediction, "predict_table",
                        lambda *a, **k: calls.append(1) or real(*a, **k))
    at = upload_csv(session, f"{HEADER}\n40.1,18.7,181,3750\n".encode())
    at.run()
    at.run()  # the file stays in the uploader: every rerun sees it
    assert len(calls) == 1 and any("Predicted 1 of 1" in s.value for s in at.success)


def test_a_bad_typed_penguin_no_longer_hides_the_csv_section():
    at = trained(epochs=3)
    go(at, "predict").run()
    at.toggle(key="predict_typed").set_value(True).run()
    at.text_input(key="predict_text_body_mass_g").input("abc").run()
    no_exception(at)
    assert any("must be a number" in plain(e.value) for e in at.error)
    assert TITLE in [h.value for h in at.header]
    upload_csv(at, f"{HEADER}\n39.1,18.7,181,3750\n".encode())
    assert any("Predicted 1 of 1" in s.value for s in at.success)


def test_a_model_with_island_and_sex_asks_for_them_as_words():
    from penguin_core.training import train
    from penguin_core.model import ModelSpec
    from penguin_core.preparation import DataSpec, prepare

    at = trained(epochs=3)
    lab(at).run = train(prepare(DataSpec(categorical=("island", "sex"))), ModelSpec(epochs=3))
    go(at, "predict").run()
    no_exception(at)
    assert any("`island` one of Biscoe, Dream, Torgersen; `sex` one of female, male" in c.value for c in at.markdown)
    upload_csv(at, f"island,sex,{HEADER}\nDream,female,39.1,18.7,181,3750\n".encode())
    assert any("Predicted 1 of 1" in s.value for s in at.success)
