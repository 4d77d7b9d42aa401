"""The figure builders, checked without a browser."""

import numpy as np
import pandas as pd

from penguin_core.data import load_penguins
from penguin_core.figures import (
    confusion_heatmap, network_diagram, pairplot_png, penguin_on_scatter, probability_bars, training_curves)
from penguin_core.evaluation import evaluate_run
from penguin_core.model import ModelSpec
from penguin_core.training import train


def history(losses, validation=False):
    return [{"epoch": i + 1, "loss": v, "accuracy": 0.5, **({"val_loss": v, "val_accuracy": 0.5} if validation else {})}
            for i, v in enumerate(losses)]


def test_training_curves_draw_loss_and_accuracy_for_each_run():
    figure = training_curves([("a", history([1.0, 0.5], validation=True)), ("b", history([0.9, 0.4]))], 10).to_dict()
    names = [trace["name"] for trace in figure["data"]]
    assert names == ["a training", "a validation", "a training", "a validation", "b training", "b training"]
    assert figure["layout"]["xaxis"]["range"] == [0, 10] and figure["layout"]["yaxis"]["type"] == "linear"


def test_loss_in_the_thousands_goes_on_a_log_scale_labelled_by_decades():
    axis = training_curves([("raw", history([1454.0, 3.0, 0.7]))]).to_dict()["layout"]["yaxis"]
    assert axis["type"] == "log" and axis["dtick"] == 1 and axis["tickformat"] == "~g"


def test_a_single_runs_validation_curve_has_its_own_colour_and_runs_compared_one_colour_each():
    one = training_curves([("a", history([1.0, 0.5], validation=True))]).to_dict()["data"]
    assert one[0]["line"]["color"] != one[1]["line"]["color"] and one[1]["line"]["dash"] == "dash"
    two = training_curves([("a", history([1.0], validation=True)), ("b", history([0.9], validation=True))]).to_dict()["data"]
    assert two[0]["line"]["color"] == two[1]["line"]["color"] != two[4]["line"]["color"]


def test_a_long_run_is_drawn_from_at_most_400_epochs_ending_with_the_last():
    trace = training_curves([("long", history(np.linspace(2, 0.1, 5000).tolist()))]).to_dict()["data"][0]
    assert len(trace["x"]) <= 400 and trace["x"][-1] == 5000 and trace["x"][0] == 1


def test_confusion_heatmap_keeps_rows_true_and_columns_predicted(scaled_data):
    confusion = evaluate_run(train(scaled_data, ModelSpec(epochs=5)), scaled_data).confusion
    heatmap = confusion_heatmap(confusion).to_dict()["data"][0]
    assert list(heatmap["y"]) == list(confusion.index) and list(heatmap["x"]) == list(confusion.columns)
    np.testing.assert_array_equal(np.asarray(heatmap["z"]), confusion.to_numpy())


def luminance(colour: str) -> float:
    r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_a_confusion_matrix_paints_the_largest_counts_darkest_with_a_colour_bar():
    """The diagonal (the right answers, the largest counts) must stand out: more is darker, and a bar says so."""
    heatmap = confusion_heatmap(pd.DataFrame([[30, 0], [1, 20]], index=["a", "b"], columns=["a", "b"])).to_dict()
    trace = heatmap["data"][0]
    scale = trace["colorscale"]
    assert scale[0][0] == 0 and scale[-1][0] == 1 and trace["zmin"] == 0
    assert luminance(scale[-1][1]) < luminance(scale[0][1]) - 0.5
    assert trace.get("showscale", True) and trace["colorbar"]["thickness"] > 0 and "%{z}" in trace["hovertemplate"]


def test_network_diagram_draws_every_neuron_up_to_a_limit():
    figure = network_diagram([4, 10, 3], ["bill_length_mm"] * 4, ["Adelie", "Chinstrap", "Gentoo"], ["relu"])
    assert [len(trace.x) for trace in figure.data[1:]] == [4, 10, 3]
    wide = network_diagram([4, 200, 3], ["bill_length_mm"] * 4, ["A", "B", "C"], ["relu"], max_drawn=12)
    assert len(wide.data[2].x) == 12 and "200 in all" in wide.layout.annotations[0].text


def test_probability_bars_and_the_penguin_on_the_scatter():
    bars = probability_bars({"Adelie": 0.8, "Chinstrap": 0.15, "Gentoo": 0.05}).to_dict()["data"][0]
    assert list(bars["text"]) == ["80.0%", "15.0%", "5.0%"]
    frame = load_penguins()
    figure = penguin_on_scatter(frame, "flipper_length_mm", "bill_length_mm",
                                {"flipper_length_mm": 181.0, "bill_length_mm": 39.1}).to_dict()
    star = figure["data"][-1]
    assert (star["x"][0], star["y"][0], star["name"]) == (181.0, 39.1, "your penguin")
    assert [trace["name"] for trace in figure["data"]] == ["Adelie", "Chinstrap", "Gentoo", "your penguin"]
    assert sum(len(trace["x"]) for trace in figure["data"][:3]) == len(frame)


def test_pairplot_is_a_png():
    assert pairplot_png(load_penguins()).startswith(b"\x89PNG")
