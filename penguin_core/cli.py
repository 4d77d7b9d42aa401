"""The command line: the lesson's run and a prediction, without the app.

    python -m penguin_core train --hidden 10 --activation relu --epochs 100 --save model.keras
    python -m penguin_core train --std 1 --hidden 16-relu 8-tanh --lr 0.01 --test 0.3   (any setting, as in a link)
    python -m penguin_core predict model.keras --bill-length 39.1 --bill-depth 18.7 \\
        --flipper-length 181 --body-mass 3750
"""

from __future__ import annotations

import argparse
import os
import sys

from penguin_core.data import FEATURES
from penguin_core.errors import PenguinError
from penguin_core.evaluation import evaluate_run
from penguin_core.model import ModelSpec
from penguin_core.preparation import DataSpec, prepare
from penguin_core.settings import SETTINGS, setting

OPTION_OF_FEATURE = {name: "--" + name.rsplit("_", 1)[0].replace("_", "-") for name in FEATURES}
"""bill_length_mm -> --bill-length, body_mass_g -> --body-mass."""


def _reader(row):
    """Reads an option's text as the settings table's row does (argparse names a refused value)."""
    def read(text: str):
        try:
            return row.parse(text)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None
    read.__name__ = row.spoken
    return read


def main(argv: list[str] | None = None) -> int:
    """Run a command; every failure is one line on stderr and exit status 1 (2 for a usage mistake)."""
    args = _parser().parse_args(argv)
    try:
        return args.command(args)
    except PenguinError as error:
        message = str(error)
    except OSError as error:
        message = f"{error.strerror or error}: {error.filename or ''}".rstrip(": ")
    except KeyboardInterrupt:
        message = "interrupted"
    except Exception as error:  # a bug: one line here, the traceback on request
        if os.environ.get("PENGUIN_DEBUG"):
            raise
        message = f"unexpected {type(error).__name__}: {error} (set PENGUIN_DEBUG=1 to see where)"
    print(f"error: {' '.join(message.split())}", file=sys.stderr)
    return 1


def train_command(args) -> int:
    from penguin_core.training import Training

    if args.save:
        from penguin_core.sharing import check_save_path

        check_save_path(args.save)
    data_spec, model_spec = _specs(args)
    data = prepare(data_spec)
    print(f"Training set {data.X_train.shape}, test set {data.X_test.shape}; "
          f"{model_spec.count_params(len(data.features), len(data.species))} trainable parameters")
    training = Training(data, model_spec)
    for record in training:
        metrics = " - ".join(f"{k}: {v:.4f}" for k, v in record.items() if k != "epoch")
        print(f"Epoch {record['epoch']}/{model_spec.epochs} - {metrics}")
    run = training.run()
    evaluation = evaluate_run(run, data)
    print(f"Test accuracy: {evaluation.accuracy:.4f} - test loss: {evaluation.loss:.4f}")
    print(evaluation.confusion.to_string())
    if evaluation.never_predicted:
        print(f"Never predicted: {', '.join(evaluation.never_predicted)} (try --standardize)")
    if args.save:
        from penguin_core.sharing import save_model

        save_model(run, args.save)
        print(f"Saved {args.save}")
    return 0


def _specs(args) -> tuple[DataSpec, ModelSpec]:
    """The settings the options give (every row of the settings table; the lesson's for the rest)."""
    given = {row.field: getattr(args, row.field) for row in SETTINGS if getattr(args, row.field) is not None}
    if "hidden" in given or args.activation:
        given["hidden"] = _layers(given.get("hidden", [str(layer.units) for layer in ModelSpec().hidden]),
                                  args.activation)
    model = ModelSpec().with_optimizer(given["optimizer"]) if "optimizer" in given else ModelSpec()
    parts = {"data": {}, "model": {}}
    for field, value in given.items():
        parts[setting(field).part][field] = value
    return DataSpec(**parts["data"]), model.replace(**parts["model"])


def _layers(tokens: list[str], activations: list[str] | None):
    """``--hidden 16 8 --activation tanh`` or ``--hidden 16-relu 8-tanh``, as the hidden layers setting."""
    activations = activations or []
    if activations and len(activations) not in (1, len(tokens)):
        raise PenguinError(f"Give one --activation for all layers or one per layer ({len(tokens)}).")
    named = [token if "-" in token or not activations else f"{token}-{activations[min(i, len(activations) - 1)]}"
             for i, token in enumerate(tokens)]
    try:
        return setting("hidden").parse(",".join(named) or "none")
    except ValueError as error:
        raise PenguinError(f"--hidden: {error}") from None


def predict_command(args) -> int:
    from penguin_core.prediction import predict_one
    from penguin_core.sharing import load_model

    run = load_model(args.model)
    measurements = {name: getattr(args, name) for name in FEATURES if getattr(args, name) is not None}
    prediction = predict_one(run.network, measurements, run.profile)
    print(f"Species: {prediction.species}")
    for species, probability in prediction.probabilities.items():
        print(f"  {species:<10} {probability:.4f}")
    for warning in prediction.warnings:
        print(f"warning: {warning}")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m penguin_core", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(required=True)
    train = commands.add_parser("train", help="train the lesson's classifier and print its progress",
                                description="Every setting of the lab, as in its address; the lesson's by default.")
    for row in SETTINGS:
        names = dict.fromkeys(f"--{name.replace('_', '-')}" for name in (row.field, row.name))
        accepts = f"{row.accepts.describe()}; default {row.format_value(row.default)}"
        if row.field == "hidden":
            train.add_argument(*names, dest="hidden", nargs="*", metavar="UNITS[-ACTIVATION]",
                               help=f"{row.help} E.g. 16 8, or 16-relu 8-tanh ({accepts}).")
        elif row.widget in ("toggle", "checkbox"):
            train.add_argument(*names, dest=row.field, nargs="?", const=True, type=_reader(row), metavar="1|0",
                               help=f"{row.help} ({accepts}).")
        else:
            train.add_argument(*names, dest=row.field, type=_reader(row), metavar=row.name.upper(),
                               help=f"{row.help} ({accepts}).")
    train.add_argument("--activation", nargs="+", choices=setting("hidden").accepts.activations,
                       help="the activation of every hidden layer given by --hidden as units alone (one, or one a layer)")
    train.add_argument("--save", metavar="FILE.keras")
    train.set_defaults(command=train_command)
    predict = commands.add_parser("predict", help="predict one penguin's species with a saved model")
    predict.add_argument("model", metavar="FILE.keras")
    for name, option in OPTION_OF_FEATURE.items():
        label, unit = FEATURES[name]
        predict.add_argument(option, dest=name, metavar=unit.upper(), help=f"{label.lower()} in {unit}")
    predict.set_defaults(command=predict_command)
    return parser
