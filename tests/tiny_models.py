"""Small models trained once per test process and shared by the lesson and page tests."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def trained_slot_taggers():
    from lessons.rnn import train_taggers

    return train_taggers()


@lru_cache(maxsize=1)
def tiny_image_classifier():
    """A small CNN (12x12 grey images, 3 classes: a bright bar at the top, middle or bottom) trained
    for a few epochs on 300 synthetic images. Returns (model, test images, test labels)."""
    import keras
    import numpy as np

    rng = np.random.default_rng(0)

    def images(count):
        labels = np.arange(count) % 3
        pictures = rng.uniform(0.0, 0.2, size=(count, 12, 12)).astype("float32")
        for index, label in enumerate(labels):
            pictures[index, 1 + 4 * label: 3 + 4 * label, 2:10] = 1.0
        return pictures, labels

    keras.utils.set_random_seed(0)
    inputs = keras.Input(shape=(12, 12, 1), name="image")
    x = keras.layers.Conv2D(4, 3, activation="relu")(inputs)  # (batch, 10, 10, 4)
    x = keras.layers.MaxPooling2D(2)(x)  # (batch, 5, 5, 4)
    x = keras.layers.Conv2D(6, 3, activation="relu")(x)  # (batch, 3, 3, 6)
    x = keras.layers.Flatten()(x)  # (batch, 54)
    outputs = keras.layers.Dense(3, activation="softmax")(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    x_train, y_train = images(300)
    model.fit(x_train[..., None], y_train, epochs=5, batch_size=50, verbose=0)
    x_test, y_test = images(30)
    return model, x_test, y_test
