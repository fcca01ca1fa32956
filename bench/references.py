"""Published recipes re-implemented here and run beside ours, on the same machine in the same run.

MNIST: the keras-io `mnist_convnet` example (Conv32-Pool-Conv64-Pool-Flatten-Dropout-Dense, batch
128, 15 epochs, Adam, validation_split 0.1 of the 60,000 training images; published 0.9922) beside
our `cnn_bn` through the app's engine, for 3 seeds, the two sides alternating so both meet the
machine's slow and fast spells alike. Both report test accuracy after every epoch, measured
outside the timed training (the test set selects nothing), so we can say when each first reached
99.2 %: goal (issue 13) `cnn_bn` <= 0.30 x the reference's time and >= 99.5 % at the end (mean of 3
seeds, from `bench.accuracy`). The epoch at which one seed crosses 99.2 % moves by a few epochs from
seed to seed (the reference's by more), so one seed's ratio says little; the ratio here is that of
the mean times over seeds (an upper bound when a reference seed never reached the target).

IMDB: the keras-io `bidirectional_lstm_imdb` example (20k vocabulary, length 200, Embedding 128,
two stacked BiLSTM(64), batch 32, 2 epochs; published 0.8428) beside our best IMDB model. The
example uses Keras' pre-tokenised copy of IMDB; here the same 25,000 raw training reviews are
tokenised by TextVectorization (20k tokens, length 200), which is the closest we can get from the
raw files.

    python -m bench.references [--quick] [--tasks mnist imdb] [--seeds 3] [--imdb-arch bag_of_embeddings]
"""

from __future__ import annotations

import sys
import time

import numpy as np

from bench.common import mean_std, parser, write_results

TARGET = 0.992


class EpochTimer:
    """Keras callback pieces shared by both sides: epoch wall time, then test accuracy (untimed)."""

    def __init__(self, evaluate):
        self.evaluate = evaluate
        self.seconds: list[float] = []
        self.test_accuracy: list[float] = []

    def record(self, seconds: float, model) -> None:
        self.seconds.append(seconds)
        self.test_accuracy.append(self.evaluate(model) if self.evaluate else float("nan"))

    def summary(self, target: float | None) -> dict:
        cumulative = np.cumsum(self.seconds)
        reached = next((index for index, accuracy in enumerate(self.test_accuracy) if accuracy >= target), None) \
            if target else None
        return {"test_accuracy": self.test_accuracy[-1], "train_seconds": float(cumulative[-1]),
                "epochs": len(self.seconds), "per_epoch_test_accuracy": [round(a, 4) for a in self.test_accuracy],
                "seconds_to_target": None if reached is None else float(cumulative[reached]),
                "epoch_reaching_target": None if reached is None else reached + 1}


def keras_timer_callback(timer: EpochTimer):
    import keras

    class Callback(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.started = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            timer.record(time.perf_counter() - self.started, self.model)

    return Callback()


def over_seeds(runs: list[dict]) -> dict:
    """One row from one model's per-seed runs: mean and std of accuracy and time, the mean test
    accuracy after each epoch, and the mean time to target if every seed reached it."""
    first = runs[0]
    row = {"model": first["model"], "params": first["params"], "epochs": first["epochs"], "seeds": len(runs)}
    for key in ("test_accuracy", "train_seconds", "engine_test_accuracy"):
        if key in first:
            mean, std = mean_std([run[key] for run in runs])
            row[key] = {"mean": mean, "std": std}
    curves = [run["per_epoch_test_accuracy"] for run in runs]
    row["per_epoch_test_accuracy"] = [round(float(np.mean(epoch)), 4) for epoch in zip(*curves)]
    times = [run["seconds_to_target"] for run in runs]
    row["seconds_to_target"] = dict(zip(("mean", "std"), mean_std(times))) if None not in times else None
    for key in ("test_accuracy", "seconds_to_target", "epoch_reaching_target"):
        row[f"{key}_per_seed"] = [run[key] for run in runs]
    return row


def mnist_rows(references: list[dict], ours: list[dict]) -> list[dict]:
    """The reference's row and ours from their per-seed runs (seed i of each side paired), with our
    time to target over the reference's. A reference seed that never reached the target counts
    with its whole training time, less than its time to target would have been: the ratio is then
    an upper bound (`time_ratio_is_upper_bound`)."""
    reference, own = over_seeds(references), over_seeds(ours)
    rows = [{"task": "mnist", "published": 0.9922, **reference}, {"task": "mnist", "published": None, **own}]
    their_times = [run["seconds_to_target"] or run["train_seconds"] for run in references]
    own_times = own["seconds_to_target_per_seed"]
    rows[-1]["time_ratio_per_seed"] = [None if mine is None else mine / theirs
                                       for theirs, mine in zip(their_times, own_times)]
    if None not in own_times:
        rows[-1]["time_ratio_vs_reference"] = float(np.mean(own_times) / np.mean(their_times))
        rows[-1]["time_ratio_is_upper_bound"] = None in reference["seconds_to_target_per_seed"]
    return rows


def mnist_reference(data, epochs: int, limit: int | None, seed: int = 0) -> dict:
    """keras-io examples/vision/mnist_convnet.py, as published."""
    import keras
    from keras import layers

    keras.utils.set_random_seed(seed)
    x_train = np.concatenate([data.x_train, data.x_val])[:limit]  # the official 60,000, in order
    y_train = keras.utils.to_categorical(np.concatenate([data.y_train, data.y_val])[:limit], 10)
    model = keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Flatten(),
        layers.Dropout(0.5),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    timer = EpochTimer(lambda m: float((m.predict(data.x_test, batch_size=1024, verbose=0).argmax(1)
                                        == data.y_test).mean()))
    model.fit(x_train, y_train, batch_size=128, epochs=epochs, validation_split=0.1, verbose=0,
              callbacks=[keras_timer_callback(timer)])
    return {"model": "keras-io mnist_convnet", "params": int(model.count_params()), **timer.summary(TARGET)}


def engine_run(task: str, arch: str, data, evaluate, epochs: int | None, target: float | None,
               seed: int = 0) -> dict:
    """Our model through the app's own training engine, with the same untimed per-epoch test probe."""
    from training.engine import train
    from training.events import RunConfig, TrainingCallbacks

    timer = EpochTimer(evaluate)

    class Probe(TrainingCallbacks):
        def on_model_ready(self, model):
            self.model = model

        def on_epoch_end(self, epoch, logs):
            timer.record(logs["seconds"], self.model)

    result = train(RunConfig(task, arch, seed=seed, epochs=epochs), callbacks=Probe(), store=False, data=data)
    if not result.ok:
        raise RuntimeError(f"{task}/{arch} ended {result.status}: {result.message}")
    summary = timer.summary(target)
    if evaluate is None:  # no per-epoch probe: the engine's own final test accuracy
        summary["test_accuracy"] = result.metrics["accuracy"]
    return {"model": f"ours: {arch}", "params": result.params, **summary,
            "engine_test_accuracy": result.metrics["accuracy"]}


def imdb_reference(data, epochs: int, limit: int | None) -> dict:
    """keras-io examples/nlp/bidirectional_lstm_imdb.py on the raw reviews."""
    import keras
    from keras import layers

    keras.utils.set_random_seed(0)
    texts = (list(data.x_train) + list(data.x_val))[:limit]
    labels = np.concatenate([data.y_train, data.y_val])[:limit].astype("float32")
    vectorizer = layers.TextVectorization(max_tokens=20_000, output_sequence_length=200)
    vectorizer.adapt(texts)
    x_train = vectorizer(np.array(texts)).numpy()
    x_test = vectorizer(np.array(list(data.x_test))).numpy()
    inputs = keras.Input(shape=(None,), dtype="int32")
    x = layers.Embedding(20_000, 128)(inputs)
    x = layers.Bidirectional(layers.LSTM(64, return_sequences=True))(x)
    x = layers.Bidirectional(layers.LSTM(64))(x)
    outputs = layers.Dense(1, activation="sigmoid")(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    timer = EpochTimer(lambda m: float(((m.predict(x_test, batch_size=512, verbose=0)[:, 0] > 0.5)
                                        == data.y_test).mean()))
    model.fit(x_train, labels, batch_size=32, epochs=epochs, verbose=0, callbacks=[keras_timer_callback(timer)])
    return {"model": "keras-io bidirectional_lstm_imdb", "params": int(model.count_params()), **timer.summary(None)}


def main() -> None:
    arguments = parser(__doc__)
    arguments.add_argument("--tasks", nargs="+", default=["mnist", "imdb"], choices=["mnist", "imdb"])
    arguments.add_argument("--imdb-arch", default="bag_of_embeddings")
    arguments.add_argument("--seeds", type=int, default=None, help="MNIST seeds per side (default 3, quick 1)")
    options = arguments.parse_args()
    seeds = options.seeds or (1 if options.quick else 3)
    from training.datasets import prepare

    # One results file per task (references_<task>.json), written as soon as the task is done.
    if "mnist" in options.tasks:
        data = prepare("mnist")
        limit = 2_000 if options.quick else None
        small = prepare("mnist", limit=limit)

        def accuracy(model):
            return float((model.predict(data.x_test, batch_size=1024, verbose=0).argmax(1) == data.y_test).mean())

        references, ours = [], []
        for seed in range(seeds):  # alternating sides
            references.append(mnist_reference(data, 1 if options.quick else 15, limit, seed))
            ours.append(engine_run("mnist", "cnn_bn", small, accuracy, 1 if options.quick else None, TARGET, seed))
            print(f"seed {seed}:", references[-1], ours[-1], file=sys.stderr)
        write_results(options, "references_mnist", mnist_rows(references, ours), script="references")
    if "imdb" in options.tasks:
        rows = []
        data = prepare("imdb")
        limit = 1_000 if options.quick else None

        reference = imdb_reference(data, 1 if options.quick else 2, limit)
        # Our IMDB models take token ids inside the engine, so they are scored once, at the end.
        ours = engine_run("imdb", options.imdb_arch, prepare("imdb", limit=limit), None,
                          1 if options.quick else None, None)
        for row in (reference, ours):
            rows.append({"task": "imdb", "published": 0.8428 if row is reference else None, **row})
            print(rows[-1], file=sys.stderr)
        write_results(options, "references_imdb", rows, script="references")


if __name__ == "__main__":
    main()
