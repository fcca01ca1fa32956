"""A tiny GAN on 2-D points: a generator turns noise into points, a discriminator tells them
from real ones, and the two are trained against each other in alternating steps."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from i18n import N_
from lessons.quiz import NOTE_RIGHT, Correction, Question

DATASETS = {"ring": N_("Ring of 8 Gaussians"), "moons": N_("Two moons")}  # N_: the page shows the names
RING_MODES, RING_RADIUS, RING_STD = 8, 2.0, 0.05
# When the discriminator can no longer tell real from fake it outputs 1/2 everywhere: its loss
# (real + fake cross-entropy) is then 2 ln 2 and the generator's non-saturating loss is ln 2.
EQUILIBRIUM_D_LOSS, EQUILIBRIUM_G_LOSS = 2 * math.log(2), math.log(2)


def ring_centres(modes: int = RING_MODES, radius: float = RING_RADIUS) -> np.ndarray:
    angles = 2 * np.pi * np.arange(modes) / modes
    return np.stack([radius * np.cos(angles), radius * np.sin(angles)], axis=1)


def ring_of_gaussians(count: int, seed: int = 0, modes: int = RING_MODES, radius: float = RING_RADIUS,
                      std: float = RING_STD) -> np.ndarray:
    """Points around `modes` centres evenly spaced on a circle (Metz et al., 2016, unrolled GANs)."""
    rng = np.random.default_rng(seed)
    centres = ring_centres(modes, radius)[rng.integers(0, modes, size=count)]
    return (centres + rng.normal(0.0, std, size=(count, 2))).astype(np.float32)


def two_moons(count: int, seed: int = 0, noise: float = 0.05) -> np.ndarray:
    """Two interleaved half circles, centred on the origin."""
    rng = np.random.default_rng(seed)
    angle = rng.uniform(0.0, np.pi, size=count)
    upper = rng.random(count) < 0.5
    x = np.where(upper, np.cos(angle), 1.0 - np.cos(angle))
    y = np.where(upper, np.sin(angle), 0.5 - np.sin(angle))
    points = np.stack([x - 0.5, y - 0.25], axis=1) + rng.normal(0.0, noise, size=(count, 2))
    return points.astype(np.float32)


def real_samples(dataset: str, count: int, seed: int = 0) -> np.ndarray:
    if dataset == "ring":
        return ring_of_gaussians(count, seed)
    if dataset == "moons":
        return two_moons(count, seed)
    raise ValueError(f"unknown dataset {dataset!r}; choose one of {sorted(DATASETS)}")


def nearest_distances(points: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """For each point, the Euclidean distance to the closest reference point."""
    differences = points[:, None, :] - reference[None, :, :]  # (points, reference, 2)
    return np.sqrt((differences ** 2).sum(axis=-1)).min(axis=1)


def sample_quality(fake: np.ndarray, real: np.ndarray, dataset: str) -> dict[str, float]:
    """How good the generated points are. `fake to real`: mean distance from a generated point to
    the nearest real one (are the fakes realistic?); `real to fake`: the reverse (is every part of
    the data covered?). For the ring also the modes hit and the share of points near a mode."""
    quality = {N_("fake to real"): float(nearest_distances(fake, real).mean()),
               N_("real to fake"): float(nearest_distances(real, fake).mean())}  # N_: the page's table columns
    if dataset == "ring":
        distance = np.sqrt(((fake[:, None, :] - ring_centres()[None]) ** 2).sum(axis=-1))  # (fake, modes)
        close = distance.min(axis=1) < 3 * RING_STD
        quality[N_("modes covered")] = float(len(np.unique(distance.argmin(axis=1)[close])))
        quality[N_("near a mode")] = float(close.mean())
    return quality


class GanTrainer:
    """Generator and discriminator (small MLPs) with their optimizers; `train(chunk)` runs
    alternating updates on a chunk of real batches inside one compiled TensorFlow function."""

    def __init__(self, noise_size: int = 8, hidden: int = 64, learning_rate: float = 1e-3, seed: int = 0):
        import keras

        if noise_size < 1 or hidden < 1 or learning_rate <= 0:
            raise ValueError(f"noise_size and hidden must be positive and learning_rate > 0, got "
                             f"{noise_size}, {hidden}, {learning_rate}")
        keras.utils.set_random_seed(seed)
        self.noise_size = noise_size
        noise = keras.Input(shape=(noise_size,), name="noise")
        features = keras.layers.Dense(hidden, activation="relu")(noise)
        features = keras.layers.Dense(hidden, activation="relu")(features)
        self.generator = keras.Model(noise, keras.layers.Dense(2, name="point")(features), name="generator")
        point = keras.Input(shape=(2,), name="point")
        features = keras.layers.Dense(hidden, activation="leaky_relu")(point)
        features = keras.layers.Dense(hidden, activation="leaky_relu")(features)
        self.discriminator = keras.Model(point, keras.layers.Dense(1, name="real_logit")(features),
                                         name="discriminator")
        # beta_1 = 0.5 as in DCGAN (Radford et al., 2016): less momentum for a moving target.
        self.generator_optimizer = keras.optimizers.Adam(learning_rate, beta_1=0.5)
        self.discriminator_optimizer = keras.optimizers.Adam(learning_rate, beta_1=0.5)
        self._train_chunk = self._compile_chunk()
        self._noise_rng = np.random.default_rng(seed + 1)

    def _compile_chunk(self):
        import keras
        import tensorflow as tf

        cross_entropy = keras.losses.BinaryCrossentropy(from_logits=True)
        generator, discriminator = self.generator, self.discriminator

        def step(real, noise):
            with tf.GradientTape() as tape:
                real_logits = discriminator(real, training=True)
                fake_logits = discriminator(generator(noise, training=True), training=True)
                d_loss = (cross_entropy(tf.ones_like(real_logits), real_logits)
                          + cross_entropy(tf.zeros_like(fake_logits), fake_logits))
            gradients = tape.gradient(d_loss, discriminator.trainable_variables)
            self.discriminator_optimizer.apply_gradients(zip(gradients, discriminator.trainable_variables))
            with tf.GradientTape() as tape:
                fake_logits = discriminator(generator(noise, training=True), training=True)
                # Non-saturating loss (Goodfellow et al., 2014): maximise log D(G(z)).
                g_loss = cross_entropy(tf.ones_like(fake_logits), fake_logits)
            gradients = tape.gradient(g_loss, generator.trainable_variables)
            self.generator_optimizer.apply_gradients(zip(gradients, generator.trainable_variables))
            return d_loss, g_loss

        @tf.function
        def train_chunk(real_batches, noise_batches):
            d_total, g_total = tf.constant(0.0), tf.constant(0.0)
            for index in tf.range(tf.shape(real_batches)[0]):
                d_loss, g_loss = step(real_batches[index], noise_batches[index])
                d_total += d_loss
                g_total += g_loss
            steps = tf.cast(tf.shape(real_batches)[0], tf.float32)
            return d_total / steps, g_total / steps

        return train_chunk

    def train(self, real_batches: np.ndarray) -> tuple[float, float]:
        """One update of each network per batch in `real_batches` (steps, batch, 2); mean losses."""
        if real_batches.ndim != 3 or real_batches.shape[-1] != 2 or len(real_batches) == 0:
            raise ValueError(f"expected real batches of shape (steps, batch, 2), got {real_batches.shape}")
        noise = self._noise_rng.normal(size=(*real_batches.shape[:2], self.noise_size)).astype(np.float32)
        d_loss, g_loss = self._train_chunk(real_batches.astype(np.float32), noise)
        return float(d_loss), float(g_loss)

    def sample(self, count: int, seed: int = 12345) -> np.ndarray:
        noise = np.random.default_rng(seed).normal(size=(count, self.noise_size)).astype(np.float32)
        return np.asarray(self.generator(noise, training=False), dtype=np.float32)


@dataclass(frozen=True)
class GanResult:
    dataset: str
    real: np.ndarray  # (samples, 2)
    snapshots: np.ndarray  # (epochs + 1, samples, 2): generated points before training and after each epoch
    d_losses: tuple[float, ...]
    g_losses: tuple[float, ...]
    quality: tuple[dict[str, float], ...]  # one per snapshot
    seconds: float


def train_gan(dataset: str = "ring", epochs: int = 15, steps_per_epoch: int = 100, batch_size: int = 128,
              learning_rate: float = 1e-3, samples: int = 500, seed: int = 0,
              report: Callable[[dict], None] | None = None) -> GanResult:
    """Train chunk by chunk; after each epoch draw `samples` points from the generator (always the
    same noise, so the pictures are comparable) and send them with the epoch's losses to
    `report({"epoch", "epochs", "real", "points", "d_loss", "g_loss"})`: in a worker process
    that is how the page draws the training live."""
    import keras

    if epochs < 1 or steps_per_epoch < 1 or batch_size < 1:
        raise ValueError(f"epochs, steps_per_epoch and batch_size must be positive, got "
                         f"{epochs}, {steps_per_epoch}, {batch_size}")
    start = time.perf_counter()
    real = real_samples(dataset, samples, seed=seed + 100)
    trainer = GanTrainer(learning_rate=learning_rate, seed=seed)
    snapshots = [trainer.sample(samples)]
    d_losses, g_losses = [], []
    for epoch in range(1, epochs + 1):
        batches = real_samples(dataset, steps_per_epoch * batch_size, seed=seed * 1000 + epoch)
        batches = batches.reshape(steps_per_epoch, batch_size, 2)  # (steps, batch, 2)
        d_loss, g_loss = trainer.train(batches)
        snapshots.append(trainer.sample(samples))
        d_losses.append(d_loss)
        g_losses.append(g_loss)
        if report is not None:
            report({"epoch": epoch, "epochs": epochs, "real": real, "points": snapshots[-1],
                    "d_loss": d_loss, "g_loss": g_loss})
    keras.utils.clear_session()
    return GanResult(dataset, real, np.stack(snapshots), tuple(d_losses), tuple(g_losses),
                     tuple(sample_quality(points, real, dataset) for points in snapshots),
                     time.perf_counter() - start)


# ---- check yourself, and the course notes checked ------------------------------------------------

QUESTIONS = [
    Question("What does the generator receive as input?",
             ("Real images", "Random noise", "The discriminator's labels"), 1,
             "It maps noise to samples; it only learns about the real data through the discriminator's "
             "gradient."),
    Question("If training reached the ideal equilibrium, what would the discriminator output?",
             ("1 for real and 0 for fake", "1/2 for every sample", "0 for every sample"), 1,
             "When fakes and real data have the same distribution D cannot do better than guessing; its "
             "loss is then 2 ln 2 ≈ 1.386, the dashed line above."),
    Question("The generator puts all its points on 2 of the 8 ring modes. What is this called?",
             ("Overfitting", "Mode collapse", "Vanishing gradient"), 1,
             "A classic GAN failure: the fakes are realistic (small fake-to-real distance) but the data "
             "is not covered (large real-to-fake distance, few modes covered)."),
    Question("Why is the generator trained to maximise log D(G(z)) rather than minimise log(1 - D(G(z)))?",
             ("It is the same thing", "Early on D rejects fakes easily and log(1 - D) has almost no gradient",
              "To make the discriminator learn faster"), 1,
             "This is the 'non-saturating' loss of the original GAN paper; it has the same fixed point but "
             "strong gradients when the generator is still bad."),
]

CORRECTIONS = [
    Correction("Note 003", "The decoder half of an autoencoder can serve as a generator (GAN).",
               "A GAN is a generator trained against a discriminator; it has no encoder. A plain "
               "autoencoder's decoder is not built to generate from random codes (lesson 15 shows it)."),
    Correction("Note 003", "The discriminator evaluates the generated result and passes the evaluation "
               "to the generator, which adjusts to produce better results (Disciminator负责评价生成的结果,"
               "然后将评价结果传给Generator).",
               "Right. Precisely, what the generator receives is the *gradient* of the discriminator's "
               "output with respect to its samples (backpropagation through D), not a score. The two are "
               "updated in alternation, one step for D, then one for G, each with its own loss.",
               kind=NOTE_RIGHT),
]
