"""A denoising autoencoder on MNIST: encoder -> small code -> decoder, trained to give back the
clean digit from a noisy one. Also what its decoder makes of random codes (not a generator)."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from i18n import N_
from lessons.projection import pca_2d
from lessons.quiz import Correction, Question

PIXELS = 28 * 28


def to_unit(images: np.ndarray) -> np.ndarray:
    """uint8 images (n, 28, 28) -> float32 rows (n, 784) in [0, 1]."""
    images = np.asarray(images)
    if images.ndim != 3 or images.shape[1:] != (28, 28):
        raise ValueError(f"expected images of shape (n, 28, 28), got {images.shape}")
    return (images.reshape(len(images), PIXELS) / 255.0).astype(np.float32)  # (n, 784)


def add_noise(images: np.ndarray, level: float, seed: int = 0) -> np.ndarray:
    """Gaussian noise with standard deviation `level`, clipped back to [0, 1]."""
    if level < 0:
        raise ValueError(f"the noise level must be non-negative, got {level}")
    noise = np.random.default_rng(seed).normal(0.0, level, size=np.shape(images))
    return np.clip(images + noise, 0.0, 1.0).astype(np.float32)


def mosaic(rows: list[np.ndarray], gap: int = 2) -> np.ndarray:
    """Rows of (n, 784) or (n, 28, 28) images -> one grey image in [0, 1] for display."""
    if not rows:
        raise ValueError("nothing to draw")
    columns = max(len(row) for row in rows)
    canvas = np.ones((len(rows) * (28 + gap) - gap, columns * (28 + gap) - gap), dtype=np.float32)
    for row_index, row in enumerate(rows):
        for column_index, image in enumerate(np.asarray(row).reshape(-1, 28, 28)):  # (n, 28, 28)
            top, left = row_index * (28 + gap), column_index * (28 + gap)
            canvas[top:top + 28, left:left + 28] = 1.0 - np.clip(image, 0.0, 1.0)  # dark ink on white
    return canvas


def build_autoencoder(code_size: int = 2, hidden: tuple[int, ...] = (256, 64)):
    """(autoencoder, encoder, decoder), Keras functional, dense layers mirrored around the code."""
    import keras

    if code_size < 1 or any(units < 1 for units in hidden):
        raise ValueError(f"code_size and hidden sizes must be positive, got {code_size}, {hidden}")
    image = keras.Input(shape=(PIXELS,), name="image")
    features = image
    for units in hidden:
        features = keras.layers.Dense(units, activation="relu")(features)
    # A linear code: ReLU could switch a code dimension off for every digit.
    code = keras.layers.Dense(code_size, name="code")(features)
    encoder = keras.Model(image, code, name="encoder")

    code_input = keras.Input(shape=(code_size,), name="code_input")
    features = code_input
    for units in reversed(hidden):
        features = keras.layers.Dense(units, activation="relu")(features)
    pixels = keras.layers.Dense(PIXELS, activation="sigmoid", name="pixels")(features)
    decoder = keras.Model(code_input, pixels, name="decoder")
    return keras.Model(image, decoder(encoder(image)), name="autoencoder"), encoder, decoder


@dataclass(frozen=True)
class AutoencoderResult:
    originals: np.ndarray  # (shown, 784) clean test digits
    noisy: np.ndarray  # (shown, 784) the same with noise: what the network sees
    reconstructions: np.ndarray  # (shown, 784) the network's output
    codes_2d: np.ndarray  # (test points, 2) the codes, or their PCA projection if code_size > 2
    code_labels: np.ndarray  # digit of each code point
    explained: tuple[float, float]  # variance share of the two axes (1.0, 0.0... when code_size == 2)
    random_decodes: np.ndarray  # (shown, 784) decoder(code) for codes drawn from N(0, I)
    losses: tuple[float, ...]
    validation_losses: tuple[float, ...]
    noisy_error: float  # mean squared error of the noisy input against the clean digit
    reconstruction_error: float  # the same for the denoised output
    seconds: float


def train_denoising_autoencoder(x_train: np.ndarray, x_test: np.ndarray, y_test: np.ndarray,
                                code_size: int = 2, noise: float = 0.4, epochs: int = 8,
                                train_size: int = 5000, shown: int = 10, code_points: int = 1500,
                                seed: int = 0) -> AutoencoderResult:
    """Train on noisy inputs with the clean digit as the target, return arrays for display."""
    import keras

    if train_size < 1 or epochs < 1:
        raise ValueError(f"train_size and epochs must be positive, got {train_size}, {epochs}")
    start = time.perf_counter()
    keras.utils.set_random_seed(seed)
    clean = to_unit(x_train[:train_size])
    test_clean = to_unit(x_test[:max(shown, code_points)])
    autoencoder, encoder, decoder = build_autoencoder(code_size)
    autoencoder.compile(optimizer=keras.optimizers.Adam(3e-3), loss="binary_crossentropy")
    # A brisk learning rate: a 2-number bottleneck needs many updates to spread the digits apart.
    history = autoencoder.fit(add_noise(clean, noise, seed), clean, batch_size=128, epochs=epochs, verbose=0,
                              validation_data=(add_noise(test_clean, noise, seed + 1), test_clean))
    test_noisy = add_noise(test_clean, noise, seed + 1)
    outputs = autoencoder.predict(test_noisy, batch_size=512, verbose=0)
    codes = encoder.predict(test_noisy[:code_points], batch_size=512, verbose=0)
    random_codes = np.random.default_rng(seed + 2).normal(size=(shown, code_size)).astype(np.float32)
    random_decodes = decoder.predict(random_codes, verbose=0)
    keras.utils.clear_session()
    if code_size == 2:
        codes_2d, explained = codes, (1.0, 0.0)
    else:
        codes_2d, shares = pca_2d(codes)
        explained = (float(shares[0]), float(shares[1]))
    return AutoencoderResult(
        originals=test_clean[:shown], noisy=test_noisy[:shown], reconstructions=outputs[:shown],
        codes_2d=np.asarray(codes_2d, np.float32), code_labels=np.asarray(y_test[:code_points]),
        explained=explained, random_decodes=random_decodes,
        losses=tuple(float(value) for value in history.history["loss"]),
        validation_losses=tuple(float(value) for value in history.history["val_loss"]),
        noisy_error=float(np.mean((test_noisy - test_clean) ** 2)),
        reconstruction_error=float(np.mean((outputs - test_clean) ** 2)),
        seconds=time.perf_counter() - start)


# ---- what a run shows, in words chosen by its numbers ------------------------------------------


def greyness(images: np.ndarray) -> float:
    """Mean of 1 - |2p - 1| over all pixels (values in [0, 1]): 0 when every pixel is pure black or
    white, 1 when every pixel is mid-grey. A crisp digit is mostly 0; a blurry blend is grey."""
    images = np.asarray(images, dtype=np.float64)
    if images.size == 0:
        raise ValueError("no images to measure")
    return float(np.mean(1.0 - np.abs(2.0 * np.clip(images, 0.0, 1.0) - 1.0)))


BLURRIER = 1.5  # random decodes this many times greyer than real reconstructions count as blends


DECODER_MEASURED = N_("greyness {random} for random codes against {real} for the reconstructions of real digits "
                      "(0 = crisp black and white, 1 = all mid-grey)")
DECODER_BLURRY = N_("In this run the random codes decode to blurry blends, not digits: {measured}.")
DECODER_CRISP = N_("In this run the random codes decode about as crisply as real digits ({measured}). Crisp is not "
                   "the same as a digit: look whether each one shows a digit you can name. Nothing in training "
                   "made random codes land where real ones do, so this is luck of the code space, not a generator.")


def decoder_verdict(reconstructions: np.ndarray, random_decodes: np.ndarray, translate=lambda text: text) -> str:
    """Whether this run's decoder, fed random codes, drew digits or blends: compared with how grey the
    reconstructions of real test digits are, since both come from the same decoder. `translate` (the
    page's gettext) gives the sentence in the page's language; the default is English."""
    real, random = greyness(reconstructions), greyness(random_decodes)
    measured = translate(DECODER_MEASURED).format(random=f"{random:.2f}", real=f"{real:.2f}")
    if random > BLURRIER * real:
        return translate(DECODER_BLURRY).format(measured=measured)
    return translate(DECODER_CRISP).format(measured=measured)


def nearest_neighbour_agreement(points: np.ndarray, labels: np.ndarray) -> tuple[float, tuple[int, int] | None]:
    """Share of points whose nearest other point has the same label, and the pair of labels most
    often found as each other's nearest neighbour (None if no pair mixes)."""
    points = np.asarray(points, dtype=np.float64)
    labels = np.asarray(labels)
    if len(points) < 2 or len(points) != len(labels):
        raise ValueError(f"need at least two points with one label each, got {len(points)} and {len(labels)}")
    squared = np.sum(points ** 2, axis=1)
    distances = squared[:, None] + squared[None, :] - 2.0 * points @ points.T  # (n, n)
    np.fill_diagonal(distances, np.inf)
    nearest = labels[distances.argmin(axis=1)]
    mixed = [tuple(sorted((int(a), int(b)))) for a, b in zip(labels, nearest, strict=True) if a != b]
    pairs, counts = np.unique(np.array(mixed).reshape(-1, 2), axis=0, return_counts=True)
    top = tuple(int(value) for value in pairs[counts.argmax()]) if len(mixed) else None
    return float(np.mean(nearest == labels)), top


CODE_SPACE_MEASURED = N_("{agreement} of the test digits have a nearest neighbour of the same digit in this "
                         "picture (chance: {chance})")
CODE_SPACE_OVERLAP = N_("The most mixed pair is {first} and {second}.")
CODE_SPACE_SORTED = N_("The encoder never saw a label, yet digits of the same class land close together: {measured}.")
CODE_SPACE_PARTLY = N_("The encoder never saw a label, and the digits only partly sort themselves: {measured}. "
                       "Classes form loose regions that overlap; more epochs or a larger code usually separate them "
                       "better.")
CODE_SPACE_UNSORTED = N_("In this run the code space does not sort the digits: {measured}. Train longer and look "
                         "again.")


def code_space_verdict(points: np.ndarray, labels: np.ndarray, translate=lambda text: text) -> str:
    """How well the digits separate in the code picture of this run, against chance. `translate` (the
    page's gettext) gives the sentences in the page's language; the default is English."""
    agreement, pair = nearest_neighbour_agreement(points, labels)
    _, counts = np.unique(labels, return_counts=True)
    chance = float(np.sum((counts / counts.sum()) ** 2))  # two random points share a label this often
    measured = translate(CODE_SPACE_MEASURED).format(agreement=f"{agreement:.0%}", chance=f"{chance:.0%}")
    if agreement >= 0.5:
        verdict = CODE_SPACE_SORTED
    elif agreement >= 2 * chance:
        verdict = CODE_SPACE_PARTLY
    else:
        return translate(CODE_SPACE_UNSORTED).format(measured=measured)
    overlap = translate(CODE_SPACE_OVERLAP).format(first=pair[0], second=pair[1]) if pair else ""
    return " ".join(filter(None, [translate(verdict).format(measured=measured), overlap])).replace("。 ", "。")


def train_denoising_autoencoder_on_mnist(code_size: int = 2, noise: float = 0.4, epochs: int = 8,
                                         train_size: int = 5000) -> AutoencoderResult:
    """`train_denoising_autoencoder` on MNIST loaded here: the lesson page runs it in a worker
    process, so the dataset is read there instead of crossing the process boundary."""
    from data.mnist import load_mnist

    mnist = load_mnist()
    return train_denoising_autoencoder(mnist.x_train, mnist.x_test, mnist.y_test, code_size=code_size,
                                       noise=noise, epochs=epochs, train_size=train_size)


# ---- check yourself, and the course notes checked ------------------------------------------------

QUESTIONS = [
    Question("What is the training target of a denoising autoencoder?",
             ("The noisy image", "The clean image", "The digit's label"), 1,
             "It sees the noisy image and must output the clean one, so it cannot simply copy its input."),
    Question("Why is an autoencoder called unsupervised?",
             ("It uses no loss function", "Its target is its own input, so no labels are needed",
              "It is trained without gradient descent"), 1,
             "It is trained with an ordinary loss and backpropagation; only the labels are missing."),
    Question("What limits how well a 2-number code can rebuild a digit?",
             ("The bottleneck: everything must pass through two numbers",
              "The decoder has too many layers", "Nothing: any code size reconstructs perfectly"), 0,
             "Try code size 16: the reconstructions get sharper and the pixel error drops."),
    Question("Can you feed random codes to a plain autoencoder's decoder to make new digits?",
             ("Yes, that is what a GAN is", "Not reliably: nothing made the codes follow a distribution "
              "you can sample from", "Yes, if the noise level was high"), 1,
             "A random code may land where no training code ever was, and the decoder never learned what "
             "to draw there; compare the random decodes with the reconstructions in your run. VAEs and "
             "GANs are built to sample from."),
]

CORRECTIONS = [
    Correction("Note 003", "The second half of an autoencoder can be used as a decoder, and this can act "
               "as a generator (GAN), e.g. imitating and generating handwritten digits "
               "(自编码器的后半部分可以用作解码器,这可以作为一种生成器(GAN)).",
               "A plain autoencoder's decoder is not a GAN and is not built to generate from random codes "
               "(compare its random decodes above with its reconstructions), because nothing shapes the "
               "code distribution. A variational autoencoder (Kingma and Welling, 2014) makes its decoder a "
               "generator by pushing the codes towards a standard normal; a GAN trains a generator against "
               "a discriminator, with no encoder at all."),
]
