"""Export as code: a script and a notebook reproduce the run with Keras, the lesson's way; the Share page offers them.

The exported code trains for the settings' EPOCHS, so these tests export runs
of 2 or 3 epochs. The script and the notebook run in child processes (Python,
and a Jupyter kernel from this Python) with MPLBACKEND=Agg, in a temporary
folder; TensorFlow's import makes each take some 10 s.
"""

import ast
import json
import os
import subprocess
import sys

import numpy as np
import pytest

from penguin_core.errors import PenguinError
from penguin_core.export import notebook_json, pieces, script_text, settings_code
from penguin_core.experiments.odds import lesson_odds
from penguin_core.export.settings_block import literal
from penguin_core.export.steps import IMPORTS
from penguin_core.model import OPTIMIZERS, HiddenLayer, ModelSpec
from penguin_core.preparation import DataSpec, prepared
from tests.test_pages import go, lab, no_exception, open_app, trained

LESSON = (DataSpec(), ModelSpec(epochs=3))
TUNED = (DataSpec(standardize=True, test_size=0.3, validation_size=0.2, categorical=("island",)),
         ModelSpec(hidden=(HiddenLayer(16, "relu"), HiddenLayer(8, "tanh")), optimizer="sgd", learning_rate=0.05,
                   momentum=0.5, epochs=3))
BARE = (DataSpec(features=("flipper_length_mm", "bill_length_mm"), categorical=("sex",), stratify=False,
                 test_size=0.25),
        ModelSpec(hidden=(), optimizer="rmsprop", batch_size=16, epochs=2))

RUN_AND_LOAD = """
import json, os, runpy, sys
for folder in sys.argv[1:]:  # one child process for every script: TensorFlow is imported once
    os.chdir(folder)
    runpy.run_path("penguin_run.py", run_name="__main__")
    import keras
    model = keras.saving.load_model("penguin_model.keras")
    layer = next((layer for layer in model.layers if layer.name == "standardize"), None)
    scaling = None if layer is None else [keras.ops.convert_to_numpy(v).ravel().tolist()
                                          for v in (layer.mean, layer.variance)]
    print("LOADED", json.dumps({"parameters": model.count_params(), "scaling": scaling}))
"""
SCRIPT_RUNS = {"lesson": LESSON, "tuned": TUNED}


def child_env():
    return {**os.environ, "MPLBACKEND": "Agg"}


def assignments(code: str) -> dict:
    """Each ``NAME = value`` of the settings block, read as a literal (ValueError if any is not one)."""
    tree = ast.parse(code)
    assert all(isinstance(node, ast.Assign) for node in tree.body)
    return {node.targets[0].id: ast.literal_eval(node.value) for node in tree.body}


def test_the_settings_block_holds_the_learners_settings_as_literals():
    data_spec, model_spec = TUNED
    values = assignments(settings_code(data_spec, model_spec))
    assert values == {
        "FEATURES": list(data_spec.features), "CATEGORICAL": ["island"], "TEST_SIZE": 0.3, "VALIDATION_SIZE": 0.2,
        "RANDOM_STATE": 0, "SHUFFLE": True, "STRATIFY": True, "STANDARDIZE": True,
        "HIDDEN_LAYERS": [(16, "relu"), (8, "tanh")], "OPTIMIZER": "sgd", "LEARNING_RATE": 0.05, "MOMENTUM": 0.5,
        "LOSS": "categorical_crossentropy", "BATCH_SIZE": 32, "EPOCHS": 3, "SEED": 2,
    }
    assert "fingerprint" in settings_code(*LESSON)  # says the Keras run is not the app's to the bit
    script = script_text(*LESSON)
    assert all(f'"{name}": keras.optimizers.' in script for name in OPTIMIZERS)  # every optimizer the lab offers


def test_an_unscaled_script_says_plainly_how_far_its_keras_run_may_swing():
    """The issue: the exported unscaled script got 29.0% in Keras where the app got 65.2%, though Share promised
    numbers "close to yours"."""
    raw = lesson_odds(False)
    unscaled = " ".join(settings_code(DataSpec(), ModelSpec()).split()).replace("# ", "")
    assert f"give {raw.lowest:.0%} to {raw.highest:.0%} test accuracy over 20 seeds" in unscaled
    assert "expect its number anywhere in that range" in unscaled
    assert "swings" not in settings_code(DataSpec(standardize=True), ModelSpec())


def test_a_value_is_written_so_that_it_cannot_break_out_of_its_literal():
    hostile = "x'] ; import os; os.system('touch pwned') #\n"
    assert ast.literal_eval(literal([hostile, (1, 2.5)])) == [hostile, (1, 2.5)]
    assert literal(np.float64(0.2)) == "0.2" and literal(np.int64(7)) == "7"  # NumPy numbers as plain ones
    with pytest.raises(ValueError):
        literal(float("nan"))  # 'nan' would be a name, not a number
    with pytest.raises(TypeError):
        literal(object())


@pytest.mark.parametrize("spec", [LESSON, TUNED, BARE, (DataSpec(shuffle=False, stratify=False), ModelSpec())],
                         ids=["lesson", "tuned", "bare", "unshuffled"])
def test_the_exported_preparation_picks_the_apps_penguins(spec):
    """The script's load, clean and split (scikit-learn's own) give the app's parts, row for row."""
    data_spec, model_spec = spec
    namespace = {}
    drawing = ("import keras", "import matplotlib.pyplot as plt", "import seaborn as sns", "from sklearn.metrics")
    exec("\n".join(line for line in IMPORTS.splitlines() if not line.startswith(drawing)), namespace)
    for piece in pieces(data_spec, model_spec):
        if "keras." in piece.code:
            break
        exec(piece.code, namespace)
    data = prepared(data_spec)
    for part in ("X_train", "X_test", "y_train", "y_test", "X_val", "y_val"):
        ours, apps = namespace[part], getattr(data, part)
        if apps is None:
            assert ours is None
            continue
        assert list(ours.index) == list(apps.index) and list(ours.columns) == list(apps.columns), part
        np.testing.assert_array_equal(ours.to_numpy(float), apps.to_numpy(float))


@pytest.fixture(scope="module")
def script_runs(tmp_path_factory):
    """Each of SCRIPT_RUNS exported, then run in a folder of its own: name -> (folder, printed, what was loaded)."""
    folders = {name: tmp_path_factory.mktemp(name) for name in SCRIPT_RUNS}
    for name, folder in folders.items():
        (folder / "penguin_run.py").write_text(script_text(*SCRIPT_RUNS[name]))
    result = subprocess.run([sys.executable, "-c", RUN_AND_LOAD, *map(str, folders.values())], env=child_env(),
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    printed = result.stdout.split("LOADED ")
    return {name: (folder, out, json.loads(loaded.splitlines()[0]))
            for (name, folder), out, loaded in zip(folders.items(), printed, printed[1:])}


@pytest.mark.parametrize("name", SCRIPT_RUNS)
def test_the_exported_script_trains_and_saves_the_apps_network(name, script_runs):
    data_spec, model_spec = SCRIPT_RUNS[name]
    folder, printed, loaded = script_runs[name]
    assert f"Epoch {model_spec.epochs}/{model_spec.epochs}" in printed and "Test accuracy:" in printed
    assert {"penguin_history.png", "penguin_confusion_matrix.png", "penguin_model.keras"} <= set(os.listdir(folder))
    data = prepared(data_spec)
    assert loaded["parameters"] == model_spec.count_params(len(data.features))
    if data_spec.standardize:  # the same Normalization as the app's: the training part's mean and variance
        np.testing.assert_allclose(loaded["scaling"], [data.scaling.mean, data.scaling.variance], rtol=1e-5)
    else:
        assert loaded["scaling"] is None
        from penguin_core.uploads import read_model

        run = read_model((folder / "penguin_model.keras").read_bytes())  # the Predict page takes it
        assert run.network.features == data.features and run.model_spec.hidden == model_spec.hidden


@pytest.fixture
def kernel_name(tmp_path, monkeypatch):
    """A Jupyter kernel of this very Python, found through JUPYTER_PATH (nothing installed for the user)."""
    from ipykernel.kernelspec import write_kernel_spec

    name = "penguin-lab-tests"
    write_kernel_spec(str(tmp_path / "jupyter" / "kernels" / name))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    return name


def test_the_notebook_is_valid_runs_and_is_made_of_the_scripts_pieces(tmp_path, kernel_name):
    import nbformat
    from nbclient import NotebookClient

    data_spec, model_spec = BARE
    notebook = nbformat.reads(notebook_json(data_spec, model_spec), as_version=4)
    nbformat.validate(notebook)
    code = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
    assert code == [piece.code for piece in pieces(data_spec, model_spec)]
    assert all(piece.code in script_text(data_spec, model_spec) for piece in pieces(data_spec, model_spec))
    notebook.cells.append(nbformat.v4.new_code_cell(
        'print("PARAMETERS", keras.saving.load_model("penguin_model.keras").count_params())'))
    NotebookClient(notebook, kernel_name=kernel_name, timeout=240,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    printed = "".join(output.get("text", "") for cell in notebook.cells if cell.cell_type == "code"
                      for output in cell.outputs)
    assert "Test accuracy:" in printed
    assert f"PARAMETERS {model_spec.count_params(len(prepared(data_spec).features))}" in printed
    assert (tmp_path / "penguin_model.keras").exists()


def test_the_same_settings_give_the_same_notebook():
    assert notebook_json(*LESSON) == notebook_json.__wrapped__(*LESSON)


def test_without_nbformat_the_notebook_is_a_learners_message(monkeypatch):
    monkeypatch.setitem(sys.modules, "nbformat", None)
    with pytest.raises(PenguinError, match="script holds the same code"):
        notebook_json.__wrapped__(*LESSON)


def test_before_training_the_share_page_says_to_train_first():
    at = open_app("share")
    no_exception(at)
    assert "code that trains it again" in at.info[0].value
    assert not at.get("download_button")
    assert "Take the run away as code" not in [h.value for h in at.header]


def test_after_training_the_share_page_offers_the_script_and_the_notebook(monkeypatch):
    import penguin_core.keras_worker
    from streamlit.runtime.media_file_manager import MediaFileManager

    monkeypatch.setattr(penguin_core.keras_worker, "model_bytes", lambda run: b"a model")  # no Keras worker to wait for

    downloads = {}
    real_add = MediaFileManager.add

    def add(self, data, mimetype, coordinates, file_name=None, is_for_static_download=False):
        downloads[file_name] = data.encode() if isinstance(data, str) else data
        return real_add(self, data, mimetype, coordinates, file_name, is_for_static_download)

    monkeypatch.setattr(MediaFileManager, "add", add)
    at = trained(epochs=3)
    run = lab(at).run
    run.name = "x'\nimport os; os.system('touch pwned')  #"
    go(at, "share").run()
    no_exception(at)
    assert "Take the run away as code" in [h.value for h in at.header]
    labels = [b.proto.label for b in at.get("download_button")]
    assert {"Download the script (.py)", "Download the notebook (.ipynb)"} <= set(labels)
    script = script_text(run.data_spec, run.model_spec)
    assert downloads["penguin_run.py"] == script.encode()
    assert json.loads(downloads["penguin_run.ipynb"]) == json.loads(notebook_json(run.data_spec, run.model_spec))
    assert script.strip() in [c.value.strip() for c in at.code] and "EPOCHS = 3" in script
    assert "pwned" not in script and "import os" not in script  # the run's name never enters the code
    assert not any("stopped early" in c.value for c in at.caption)
    run.history = run.history[:1]  # as if the learner had pressed Stop after one epoch
    at.run()
    assert any("stopped early (1 of 3 epochs)" in c.value for c in at.caption)
