"""The lesson's split without scikit-learn: exactly scikit-learn's indices, for every setting the app offers."""

import itertools

import pandas as pd
import pytest
from sklearn.model_selection import train_test_split

from penguin_core.data import load_penguins
from penguin_core.splitting import split_indices


@pytest.mark.parametrize("test_size, random_state, stratify, shuffle", [
    (size, seed, stratify, shuffle)
    for size, seed, (stratify, shuffle) in itertools.product(
        [0.05, 0.1, 0.2, 0.25, 0.33, 0.5, 0.75, 0.9], [0, 1, 7, 42], [(True, True), (False, True), (False, False)])
])
def test_the_same_rows_as_scikit_learn(test_size, random_state, stratify, shuffle):
    frame = load_penguins()
    X, y = frame.drop(columns=["species"]), pd.get_dummies(frame.species, dtype=float)
    expected = train_test_split(X, y, test_size=test_size, random_state=random_state, shuffle=shuffle,
                                stratify=y if stratify else None)
    train, test = split_indices(len(X), test_size, random_state, shuffle, y.to_numpy() if stratify else None)
    assert list(X.index[train]) == list(expected[0].index) and list(X.index[test]) == list(expected[1].index)


def test_the_server_never_imports_scikit_learn_or_matplotlib_to_prepare_train_and_evaluate():
    import subprocess
    import sys

    code = ("import sys\n"
            "from penguin_core.preparation import prepare, DataSpec\n"
            "from penguin_core.training import train\n"
            "from penguin_core.evaluation import evaluate_run\n"
            "from penguin_core.model import ModelSpec\n"
            "data = prepare(DataSpec(validation_size=0.2)); evaluate_run(train(data, ModelSpec(epochs=2)), data)\n"
            "print(sorted(m for m in ('sklearn', 'scipy', 'matplotlib', 'seaborn') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "[]", result.stderr
