"""The command line: the lesson's run and a prediction, without the app.

    python -m penguin_core train --hidden 10 --activation relu --epochs 100 --save model.keras
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
from penguin_core.model import DEFAULT_LEARNING_RATES, OPTIMIZERS, HiddenLayer, ModelSpec
from penguin_core.engine.activations import ACTIVATIONS
from penguin_core.preparation import DataSpec, prepare

OPTION_OF_FEATURE = {name: "--" + name.rsplit("_", 1)[0].replace("_", "-") for name in FEATURES}
"""bill_length_mm -> --bill-length, body_mass_g -> --body-mass."""


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
    from penguin_core.engine.training import Training

    activations = args.activation * len(args.hidden) if len(args.activation) == 1 else args.activation
    if len(activations) != len(args.hidden):
        raise PenguinError(f"Give one --activation for all layers or one per layer ({len(args.hidden)}).")
    if args.save:
        from penguin_core.sharing import check_save_path

        check_save_path(args.save)
    data = prepare(DataSpec(standardize=args.standardize, validation_size=args.validation))
    spec = ModelSpec(
        hidden=tuple(HiddenLayer(u, a) for u, a in zip(args.hidden, activations)),
        optimizer=args.optimizer, learning_rate=args.learning_rate or DEFAULT_LEARNING_RATES[args.optimizer],
        batch_size=args.batch_size, epochs=args.epochs, seed=args.seed,
    )
    print(f"Training set {data.X_train.shape}, test set {data.X_test.shape}; "
          f"{spec.count_params(len(data.features), len(data.species))} trainable parameters")
    training = Training(data, spec)
    for record in training:
        metrics = " - ".join(f"{k}: {v:.4f}" for k, v in record.items() if k != "epoch")
        print(f"Epoch {record['epoch']}/{spec.epochs} - {metrics}")
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
    train = commands.add_parser("train", help="train the lesson's classifier and print its progress")
    train.add_argument("--hidden", type=int, nargs="*", default=[10], help="units per hidden layer (default: 10)")
    train.add_argument("--activation", nargs="+", default=["relu"], choices=ACTIVATIONS)
    train.add_argument("--optimizer", default="adam", choices=OPTIMIZERS)
    train.add_argument("--learning-rate", type=float, default=None, help="default: Keras' default for the optimizer")
    train.add_argument("--batch-size", type=int, default=32)
    train.add_argument("--epochs", type=int, default=100)
    train.add_argument("--seed", type=int, default=ModelSpec().seed)
    train.add_argument("--standardize", action="store_true", help="scale features to mean 0, std 1 (in the model)")
    train.add_argument("--validation", type=float, default=0.0, help="fraction of training kept for validation")
    train.add_argument("--save", metavar="FILE.keras")
    train.set_defaults(command=train_command)
    predict = commands.add_parser("predict", help="predict one penguin's species with a saved model")
    predict.add_argument("model", metavar="FILE.keras")
    for name, option in OPTION_OF_FEATURE.items():
        label, unit = FEATURES[name]
        predict.add_argument(option, dest=name, metavar=unit.upper(), help=f"{label.lower()} in {unit}")
    predict.set_defaults(command=predict_command)
    return parser
