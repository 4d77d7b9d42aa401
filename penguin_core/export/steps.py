"""The exported run in pieces, shared by the script and the notebook: the settings, the imports, the lesson's steps.

Only the settings piece depends on the run; the steps are the lesson's code,
reading the settings by name.
"""

from __future__ import annotations

from dataclasses import dataclass

from penguin_core.export.settings_block import settings_code
from penguin_core.model import ModelSpec
from penguin_core.preparation import DataSpec

INTRO = ("A penguin classifier trained the lesson's way with Keras, exported from Penguin Lab. It trains with "
         "the settings below, shows the training curves and the confusion matrix (also saved as PNG files) and "
         "saves the model as penguin_model.keras. The numbered steps are the lesson's ten.")
REQUIREMENTS = "pip install tensorflow scikit-learn seaborn palmerpenguins"
"""What the code needs besides Python (pandas, matplotlib and NumPy come with these)."""


@dataclass(frozen=True)
class Piece:
    """One step of the run: a title, why it is done (prose), and its code."""

    title: str
    why: str
    code: str


IMPORTS = """\
import keras
import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from palmerpenguins import load_penguins
from sklearn.metrics import confusion_matrix
from sklearn.model_selection import train_test_split"""

STEPS = (
    Piece("2. Identify inputs and outputs", "The penguins come with the palmerpenguins package: nothing is "
          "downloaded. Sorted by species, the rows are in the lesson's order (seaborn's copy), so the split below "
          "picks the same penguins as Penguin Lab.", """\
penguins = load_penguins().sort_values("species", kind="stable", ignore_index=True)
penguins["species"] = penguins["species"].astype("category")
print("penguins:", penguins.shape)"""),
    Piece("3. Prepare the data", "Keep the species and the chosen columns, drop the penguins with a missing "
          "value, and one-hot encode the species (the target), as the lesson does.", """\
penguins_filtered = penguins[["species", *FEATURES, *CATEGORICAL]].dropna()
penguins_filtered = pd.get_dummies(penguins_filtered, columns=CATEGORICAL, dtype=float)
penguins_features = penguins_filtered.drop(columns=["species"])
target = pd.get_dummies(penguins_filtered["species"], dtype=float)
print("penguins_filtered:", penguins_filtered.shape)"""),
    Piece("3. Split into training and test sets", "scikit-learn's train_test_split with the lesson's arguments; "
          "a validation set, when asked for, is carved off the training part the same way.", """\
X_train, X_test, y_train, y_test = train_test_split(
    penguins_features, target, test_size=TEST_SIZE, random_state=RANDOM_STATE, shuffle=SHUFFLE,
    stratify=target if STRATIFY else None)
X_val = y_val = None
if VALIDATION_SIZE:
    X_train, X_val, y_train, y_val = train_test_split(
        X_train, y_train, test_size=VALIDATION_SIZE, random_state=RANDOM_STATE, shuffle=SHUFFLE,
        stratify=y_train if STRATIFY else None)
print("X_train:", X_train.shape, "X_test:", X_test.shape)
print(y_train.sum())"""),
    Piece("4. Build an architecture from scratch", "An input for each column, an optional Normalization layer "
          "(the training part's mean and variance, so the model takes raw measurements), the hidden Dense layers "
          "and one softmax output per species. The seed fixes the initial weights and the shuffles.", """\
keras.utils.set_random_seed(SEED)
inputs = keras.Input(shape=(X_train.shape[1],), name="measurements")
x = inputs
if STANDARDIZE:
    x = keras.layers.Normalization(mean=X_train.mean().tolist(), variance=X_train.var(ddof=0).tolist(),
                                   name="standardize")(x)
for number, (units, activation) in enumerate(HIDDEN_LAYERS, start=1):
    x = keras.layers.Dense(units, activation=activation, name=f"hidden_{number}")(x)
outputs = keras.layers.Dense(3, activation="softmax", name="species")(x)
model = keras.Model(inputs=inputs, outputs=outputs, name="penguin_classifier")
model.summary()"""),
    Piece("5. Choose a loss function and optimizer", "Categorical cross-entropy suits a one-hot target; the "
          "optimizer takes the learning rate (and SGD its momentum).", """\
OPTIMIZERS = {"adam": keras.optimizers.Adam, "sgd": keras.optimizers.SGD,
              "rmsprop": keras.optimizers.RMSprop, "adagrad": keras.optimizers.Adagrad}
options = {"momentum": MOMENTUM} if OPTIMIZER == "sgd" else {}
model.compile(optimizer=OPTIMIZERS[OPTIMIZER](learning_rate=LEARNING_RATE, **options), loss=LOSS,
              metrics=["accuracy"])"""),
    Piece("6. Train the model", "One line per epoch; the validation set, if any, is measured after each.", """\
history = model.fit(X_train, y_train, epochs=EPOCHS, batch_size=BATCH_SIZE, verbose=2,
                    validation_data=None if X_val is None else (X_val, y_val))"""),
    Piece("6. Watch the training curves", "Loss and accuracy per epoch (and their validation twins).", """\
history_df = pd.DataFrame.from_dict(history.history)
figure, (loss_axes, accuracy_axes) = plt.subplots(1, 2, figsize=(11, 4))
sns.lineplot(data=history_df.filter(like="loss"), ax=loss_axes).set(xlabel="epoch", title="loss")
sns.lineplot(data=history_df.filter(like="accuracy"), ax=accuracy_axes).set(xlabel="epoch", title="accuracy")
figure.savefig("penguin_history.png")
plt.show()"""),
    Piece("8. Measure performance", "Accuracy on the test set, and the confusion matrix: which species are "
          "taken for which.", """\
test_loss, test_accuracy = model.evaluate(X_test, y_test, verbose=0)
print(f"Test accuracy: {test_accuracy:.1%}")
y_pred = model.predict(X_test, verbose=0)
prediction = pd.DataFrame(y_pred, columns=target.columns)
predicted_species = prediction.idxmax(axis="columns")
true_species = y_test.idxmax(axis="columns")
matrix = confusion_matrix(true_species, predicted_species, labels=list(target.columns))
confusion_df = pd.DataFrame(matrix, index=y_test.columns.values, columns=y_test.columns.values)
confusion_df.index.name = "True Label"
confusion_df.columns.name = "Predicted Label"
figure, axes = plt.subplots()
sns.heatmap(confusion_df, annot=True, ax=axes)
figure.savefig("penguin_confusion_matrix.png")
plt.show()"""),
    Piece("10. Share the model", "One .keras file holds the architecture (scaling included) and the weights. "
          "Load it with keras.saving.load_model; a model of the lesson's four measurements can also be "
          "uploaded on Penguin Lab's Predict page.", """\
model.save("penguin_model.keras")
print("Saved penguin_model.keras")"""),
)


def pieces(data_spec: DataSpec, model_spec: ModelSpec) -> list[Piece]:
    """Settings, imports, then the lesson's steps, in the order they run."""
    return [Piece("Your settings", "As Penguin Lab had them for this run: change them here and run again.",
                  settings_code(data_spec, model_spec)),
            Piece("Imports", "TensorFlow takes a few seconds to load.", IMPORTS), *STEPS]
