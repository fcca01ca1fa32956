"""Lesson 7, overfitting and regularisation: polynomial fits, dropout and early stopping.

Overfitting means a low training error with a validation error that is high or rising: the model
has learned the noise of its few examples. Depth alone is not the cause; too much capacity for
too little data is, and the remedies (more data, dropout, early stopping, weight decay) act on that.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from i18n import N_
from lessons import keras_demo
from lessons.quiz import NOTE_PARTLY, Correction, Question
from lessons.toy_data import two_moons


def noisy_sine(count: int, noise: float = 0.25, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """x uniform in [-1, 1], y = sin(pi x) + Gaussian noise."""
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(-1.0, 1.0, count))
    return x, np.sin(np.pi * x) + rng.normal(0.0, noise, count)


def polynomial_errors(degrees: list[int], train_count: int = 15, noise: float = 0.25,
                      seed: int = 0) -> dict[str, np.ndarray]:
    """Training and validation mean squared error of least-squares polynomials of each degree."""
    if max(degrees) >= train_count:
        raise ValueError(f"a degree-{max(degrees)} polynomial needs more than {train_count} training points")
    x_train, y_train = noisy_sine(train_count, noise, seed)
    x_validation, y_validation = noisy_sine(200, noise, seed + 1000)
    train, validation = [], []
    for degree in degrees:
        coefficients = np.polynomial.polynomial.polyfit(x_train, y_train, degree)
        train.append(np.mean((np.polynomial.polynomial.polyval(x_train, coefficients) - y_train) ** 2))
        validation.append(np.mean((np.polynomial.polynomial.polyval(x_validation, coefficients)
                                   - y_validation) ** 2))
    return {"degree": np.array(degrees), "train": np.array(train), "validation": np.array(validation)}


def polynomial_curve(degree: int, train_count: int = 15, noise: float = 0.25, seed: int = 0,
                     samples: int = 200) -> dict[str, np.ndarray]:
    """The training points and the fitted polynomial on a fine grid, for plotting."""
    x_train, y_train = noisy_sine(train_count, noise, seed)
    coefficients = np.polynomial.polynomial.polyfit(x_train, y_train, degree)
    grid = np.linspace(-1.0, 1.0, samples)
    return {"x_train": x_train, "y_train": y_train, "x": grid,
            "fitted": np.polynomial.polynomial.polyval(grid, coefficients), "truth": np.sin(np.pi * grid)}


def inverted_dropout(values: np.ndarray, rate: float, rng: np.random.Generator) -> np.ndarray:
    """Zero each value with probability `rate` and scale survivors by 1 / (1 - rate), as Keras does
    in training; the expected output equals the input, so nothing changes at prediction time."""
    if not 0.0 <= rate < 1.0:
        raise ValueError(f"rate must be in [0, 1), got {rate}")
    keep = rng.random(np.shape(values)) >= rate
    return np.where(keep, np.asarray(values, dtype=float) / (1.0 - rate), 0.0)


def dropout_effect(rate: float, size: int = 10_000, seed: int = 0) -> dict[str, float]:
    """Inverted dropout on `size` ones: the share of outputs set to 0 (about `rate`) and the mean
    output (about 1, because the survivors are scaled up)."""
    dropped = inverted_dropout(np.ones(size), rate, np.random.default_rng(seed))
    return {"zeroed": float(np.mean(dropped == 0)), "mean": float(dropped.mean())}


def early_stopping_epoch(validation_losses, patience: int, min_delta: float = 0.0) -> tuple[int, int]:
    """(epoch training stops after, best epoch), both 0-based, with keras.callbacks.EarlyStopping's
    rule: stop once `patience` epochs in a row fail to improve on the best by more than min_delta."""
    if patience < 0:
        raise ValueError(f"patience must be non-negative, got {patience}")
    best_value, best_epoch, waited = np.inf, 0, 0
    for epoch, value in enumerate(validation_losses):
        if value < best_value - min_delta:
            best_value, best_epoch, waited = value, epoch, 0
        else:
            waited += 1
            if waited >= patience:
                return epoch, best_epoch
    return len(validation_losses) - 1, best_epoch


@dataclass(frozen=True)
class RegularisationRun:
    name: str
    train_loss: np.ndarray
    validation_loss: np.ndarray
    train_accuracy: np.ndarray
    validation_accuracy: np.ndarray
    seconds: float


VARIANTS = {N_("no regularisation"): 0.0, N_("dropout 0.5"): 0.5}  # N_: names shown on the page
HIDDEN = [64, 64, 64]


def regularisation_runs(seed: int = 0, steps: int = 150, train_count: int = 40,
                        learning_rate: float = 0.01) -> list[RegularisationRun]:
    """A large network trained full-batch on a few noisy two-moons points, with and without dropout;
    one step is one epoch, so the curves are per epoch."""
    features, labels = two_moons(count=train_count, noise=0.3, seed=seed)
    validation = two_moons(count=400, noise=0.3, seed=seed + 1000)
    runs = []
    for name, rate in VARIANTS.items():
        keras_demo.reset()
        model = keras_demo.dense_network(2, HIDDEN, dropout_rate=rate, seed=seed, name="overfitter")
        history = keras_demo.fit_full_batch(model, features, labels, steps, learning_rate, validation=validation)
        runs.append(RegularisationRun(name, history.train_loss, history.validation_loss, history.train_accuracy,
                                      history.validation_accuracy, history.seconds))
    return runs


# ---- check yourself, and the course notes checked ------------------------------------------------

QUESTIONS = [
    Question("Training loss keeps falling while validation loss has been rising since epoch 60. This is…",
             ("Underfitting", "A learning rate that is too small", "Normal convergence", "Overfitting"), 3,
             "The model keeps improving on the examples it sees while getting worse on new ones: it is "
             "memorising noise. Early stopping would keep the weights from about epoch 60."),
    Question("What does Dropout(0.5) do?",
             ("During training, zeroes each unit's output with probability 0.5 and doubles the rest; at prediction "
              "time nothing is dropped", "Removes half the layers for good", "Halves the learning rate",
              "Drops half the training examples"), 0,
             "Keras scales the surviving outputs by 1 / (1 − rate) so their expected value is unchanged, which is "
             "why the layer does nothing at prediction time."),
    Question("`EarlyStopping(monitor='val_loss', patience=10, restore_best_weights=True)` …",
             ("stops after 10 epochs", "stops when training loss reaches 10",
              "stops once validation loss has not improved for 10 epochs in a row and puts back the weights of the "
              "best epoch", "runs 10 more epochs after the end"), 2,
             "Patience is how many epochs without improvement it tolerates; a noisy validation curve needs more."),
    Question("Does adding hidden layers cause overfitting?",
             ("Yes, depth is the cause of overfitting",
              "Not by itself: too much capacity for too little data does; very deep plain networks often do worse "
              "on the training data too, which is an optimisation problem, not overfitting",
              "Never", "Only with ReLU"), 1,
             "Overfitting is low training error with high validation error. He et al. (2016) showed a 56-layer plain "
             "network with higher training error than a 20-layer one: worse fitting, not overfitting.",
             notes_said="note 002: a network that is too deep overfits"),
    Question("A polynomial of degree 14 is fitted by least squares to 15 noisy points. Its training error is…",
             ("about zero", "large", "the same as its validation error", "negative"), 0,
             "Fifteen coefficients pass exactly through fifteen points, noise included; the validation error is "
             "huge. The polynomial demo shows the U-shaped validation curve."),
]

CORRECTIONS = [
    Correction("note 002", "Hidden layers cannot be too many: once a network is too deep it easily overfits.",
               "Oversimplified. Overfitting comes from capacity that is large for the amount of data, whatever the "
               "shape. A very deep plain network often has a higher training error as well (He et al., 2016, "
               "'Deep residual learning'), which is an optimisation problem; residual connections fix that one.",
               kind=NOTE_PARTLY),
]
