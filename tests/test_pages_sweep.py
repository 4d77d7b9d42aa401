"""The Sweep page through AppTest: run a sweep, see its chart and words, its runs join the history; refusals."""

from tests.test_pages import lab, open_app


def test_a_sweep_of_standardization_shows_its_chart_words_and_joins_the_history():
    at = open_app("sweep")
    assert any("Choose a setting" in i.value for i in at.info)
    at.selectbox(key="sweep_axis_1").select("standardize").run()
    at.slider(key="sweep_seeds").set_value(2).run()
    at.button(key="sweep_run").click().run()
    assert not at.exception and not at.error
    chart = [c for c in at.get("plotly_chart")]
    assert chart, "the sweep's chart is drawn"
    words = " ".join(m.value.replace("\\", "") for m in at.markdown)
    assert "Best: standardization on" in words
    names = [run.name for run in lab(at).history]
    assert len(names) == 4 and all(n.startswith("sweep: standardization") for n in names)
    assert lab(at).run is None  # the sweep did not replace the current model
    at.run()
    assert len(lab(at).history) == 4  # kept once, not at every rerun


def test_a_grid_and_a_refused_value():
    at = open_app("sweep")
    at.text_input(key="sweep_values_units").input("2, many").run()
    at.button(key="sweep_run").click().run()
    assert any("not a whole number" in e.value for e in at.error)
    at.text_input(key="sweep_values_units").input("2, 10").run()
    at.toggle(key="sweep_grid").set_value(True).run()
    at.selectbox(key="sweep_axis_2").select("optimizer").run()
    at.slider(key="sweep_seeds").set_value(1).run()
    at.button(key="sweep_run").click().run()
    assert not at.exception
    assert any("no measure of the noise" in m.value.replace("\\", "") for m in at.markdown)
    assert len(lab(at).history) == 4


def test_a_tailored_link_keeps_fixed_settings_out_of_the_sweep():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file("../app.py", default_timeout=60)
    at.query_params.update({"fix": "std", "std": "1", "hide": "lr"})
    at.run()
    at.switch_page("pages/lab/sweep.py").run()
    options = at.selectbox(key="sweep_axis_1").options
    assert "standardization" not in options and "learning rate" not in options and "hidden units (every hidden layer)" in options
    assert any("Your instructor hid or fixed" in c.value for c in at.caption)
