"""Batches for `model.fit` and `model.predict` read from NumPy arrays in place.

Given NumPy arrays, Keras' TensorFlow backend first copies each one whole into the graph (for
the IMDB models, ~60 MB each for the training ids and the test ids, on top of the arrays). A
generator hands out one batch at a time instead, so the arrays are never copied whole; it also
reads `models.imdb.TokenSets`, whole reviews stored as ragged rows, padded batch by batch.
"""

from __future__ import annotations

import numpy as np


def rows_of(x, rows: np.ndarray) -> np.ndarray:
    """Rows `rows` of `x` (an array or anything with a `padded(rows)` method) as one array."""
    return x.padded(rows) if hasattr(x, "padded") else np.asarray(x[rows])


def batches(x, y: np.ndarray | None, batch_size: int, shuffle_seed: int | None = None):
    """A tf.data.Dataset of (x, y) batches (x alone when `y` is None), in order, or in a new
    order each epoch drawn from `shuffle_seed`. Each epoch has ceil(len / batch_size) batches."""
    import tensorflow as tf

    count = len(x)
    if y is not None and len(y) != count:
        raise ValueError(f"{count} inputs but {len(y)} targets")
    if batch_size < 1:
        raise ValueError(f"batch_size must be a positive whole number, got {batch_size!r}")
    rng = np.random.default_rng(shuffle_seed) if shuffle_seed is not None else None
    first = rows_of(x, np.arange(min(count, 1)))

    def generate():
        order = rng.permutation(count) if rng is not None else np.arange(count)  # a new order each epoch
        for start in range(0, count, batch_size):
            rows = np.sort(order[start:start + batch_size])  # sorted: faster reads, same batch
            inputs = rows_of(x, rows)
            yield inputs if y is None else (inputs, y[rows])

    width = None if hasattr(x, "padded") else first.shape[1:]  # padded rows: as wide as each batch needs
    x_spec = tf.TensorSpec((None, None) if width is None else (None, *width), tf.as_dtype(first.dtype))
    signature = x_spec if y is None else (x_spec, tf.TensorSpec((None, *np.shape(y)[1:]),
                                                                tf.as_dtype(np.asarray(y).dtype)))
    dataset = tf.data.Dataset.from_generator(generate, output_signature=signature)
    dataset = dataset.apply(tf.data.experimental.assert_cardinality(-(-count // batch_size)))
    return dataset.prefetch(2)
