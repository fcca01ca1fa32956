"""A digit drawn or photographed by a learner, turned into an MNIST-style 28 x 28 image.

MNIST digits are white on black, size-normalised so their longer side fits a 20 x 20 box
(anti-aliased, so edges are grey), and centred by their centre of mass in a 28 x 28 field
(LeCun et al., the MNIST page). A free-hand digit is none of these: dark ink on a light canvas,
anywhere and any size. `mnist_steps` applies the same steps in NumPy and keeps every
intermediate image so a page can show them; `decode_image` reads an uploaded PNG or JPEG
with Pillow, refusing anything else.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np

MAX_IMAGE_BYTES = 5 * 1024 * 1024  # a phone photo as JPEG; the app's upload limit for images
MAX_IMAGE_PIXELS = 40_000_000  # refused before decoding: a small file can claim a huge image
WORKING_SIDE = 512  # larger images are shrunk while decoding: a digit needs no more detail
FORMATS = ("PNG", "JPEG")
FIELD = 28  # MNIST's image side
BOX = 20  # the longer side of the digit after scaling
INK_THRESHOLD = 0.2  # of the darkest-to-lightest range: fainter pixels are paper, not ink
# ITU-R BT.601 luma, the weights Pillow's "L" mode uses
LUMA = np.array([0.299, 0.587, 0.114])


@dataclass(frozen=True)
class DigitSteps:
    """Every stage of the preprocessing, each a float image in [0, 1]."""

    grey: np.ndarray  # (height, width), as given (ink may be dark or light)
    inverted: bool  # whether the background was light and the image was inverted
    ink: np.ndarray  # (height, width), white ink on black, background level subtracted
    box: tuple[int, int, int, int]  # (top, left, bottom, right) of the ink, bottom/right exclusive
    cropped: np.ndarray  # (box height, box width)
    scaled: np.ndarray  # longer side BOX
    centred: np.ndarray  # (FIELD, FIELD): the model's input
    centre_of_mass: tuple[float, float]  # (row, column) in `centred`


def decode_image(raw: bytes) -> np.ndarray:
    """An uploaded PNG or JPEG as an (height, width, channels) uint8 array, at most WORKING_SIDE
    pixels on its longer side. ValueError for anything else, too large, or damaged."""
    from PIL import Image, UnidentifiedImageError

    if not isinstance(raw, (bytes, bytearray)) or not raw:
        raise ValueError("the image is empty")
    if len(raw) > MAX_IMAGE_BYTES:
        raise ValueError(f"the image is {len(raw) / 2**20:.1f} MB; the limit is {MAX_IMAGE_BYTES // 2**20} MB")
    try:
        with Image.open(io.BytesIO(raw), formats=FORMATS) as image:
            width, height = image.size  # read from the header, before any pixel is decoded
            if width * height > MAX_IMAGE_PIXELS:
                raise ValueError(f"the image is {width} x {height} pixels; the limit is "
                                 f"{MAX_IMAGE_PIXELS // 1_000_000} million pixels")
            if image.format == "JPEG":
                image.draft("RGB", (WORKING_SIDE, WORKING_SIDE))  # JPEG decodes at 1/2, 1/4 or 1/8 size
            image = image.convert("RGBA")
            image.thumbnail((WORKING_SIDE, WORKING_SIDE))
            return np.asarray(image, dtype=np.uint8).copy()
    except UnidentifiedImageError as error:
        raise ValueError("the file is not a PNG or JPEG image") from error
    except (OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise ValueError(f"the image could not be decoded: {error}") from error


def to_grey(image: np.ndarray) -> np.ndarray:
    """(height, width[, channels]) uint8 or float -> (height, width) floats in [0, 1].
    Transparent pixels count as white paper (a drawing exported without a background)."""
    image = np.asarray(image)
    values = image.astype(np.float64) / (255.0 if image.dtype == np.uint8 else 1.0)
    if values.ndim == 2:
        return np.clip(values, 0.0, 1.0)
    if values.ndim != 3 or values.shape[2] not in (1, 2, 3, 4):
        raise ValueError(f"expected a grey, RGB or RGBA image, got shape {image.shape}")
    channels = values.shape[2]
    colour = values[..., :3] if channels >= 3 else values[..., :1]
    grey = colour @ LUMA if channels >= 3 else colour[..., 0]
    if channels in (2, 4):
        alpha = values[..., -1]
        grey = alpha * grey + (1.0 - alpha) * 1.0  # composite over white
    return np.clip(grey, 0.0, 1.0)


def background_level(grey: np.ndarray) -> float:
    """The paper's brightness: the median of the one-pixel frame around the image (a digit
    rarely touches all four edges)."""
    frame = np.concatenate([grey[0], grey[-1], grey[1:-1, 0], grey[1:-1, -1]])
    return float(np.median(frame))


def ink_image(grey: np.ndarray) -> tuple[np.ndarray, bool]:
    """White ink on black, from 0 (paper) to 1 (the strongest ink): inverted when the paper is
    light, and the paper's level subtracted so a grey photo background becomes black."""
    background = background_level(grey)
    inverted = background > 0.5
    ink = (1.0 - grey) if inverted else grey
    ink = ink - (1.0 - background if inverted else background)
    peak = ink.max()
    if peak <= 0.05:
        raise ValueError("no digit found: the image is blank (or the ink is as light as the paper)")
    return np.clip(ink / peak, 0.0, 1.0), inverted


def ink_box(ink: np.ndarray, threshold: float = INK_THRESHOLD) -> tuple[int, int, int, int]:
    rows = np.flatnonzero((ink > threshold).any(axis=1))
    columns = np.flatnonzero((ink > threshold).any(axis=0))
    if len(rows) == 0:
        raise ValueError("no digit found: nothing is darker than the paper")
    return int(rows[0]), int(columns[0]), int(rows[-1]) + 1, int(columns[-1]) + 1


def resampling_matrix(source: int, target: int) -> np.ndarray:
    """(target, source) weights resizing one axis. Shrinking averages the source pixels each
    target pixel covers (area averaging: the anti-aliasing that gives MNIST its grey edges);
    enlarging interpolates linearly between pixel centres."""
    weights = np.zeros((target, source))
    if target <= source:
        edges = np.arange(target + 1) * source / target  # target pixel i covers [edges[i], edges[i+1])
        for index in range(target):
            low, high = edges[index], edges[index + 1]
            for pixel in range(int(np.floor(low)), min(source, int(np.ceil(high)))):
                weights[index, pixel] = min(high, pixel + 1) - max(low, pixel)
        return weights / weights.sum(axis=1, keepdims=True)
    centres = np.clip((np.arange(target) + 0.5) * source / target - 0.5, 0, source - 1)
    below = np.floor(centres).astype(int)
    above = np.minimum(below + 1, source - 1)
    fraction = centres - below
    weights[np.arange(target), below] += 1 - fraction
    weights[np.arange(target), above] += fraction
    return weights


def scale_longer_side(image: np.ndarray, side: int = BOX) -> np.ndarray:
    """Resize so the longer side is `side` pixels, keeping the aspect ratio."""
    height, width = image.shape
    factor = side / max(height, width)
    new_height, new_width = max(1, round(height * factor)), max(1, round(width * factor))
    return resampling_matrix(height, new_height) @ image @ resampling_matrix(width, new_width).T


def centre_of_mass(image: np.ndarray) -> tuple[float, float]:
    total = image.sum()
    rows, columns = np.indices(image.shape)
    return float((rows * image).sum() / total), float((columns * image).sum() / total)


def centre_in_field(image: np.ndarray, field_side: int = FIELD) -> np.ndarray:
    """Place `image` in a black field_side x field_side square so its centre of mass lands on
    the field's centre, by a whole-pixel shift that never cuts the digit off."""
    height, width = image.shape
    row, column = centre_of_mass(image)
    middle = (field_side - 1) / 2  # 13.5: the centre of a 28-pixel field in pixel coordinates
    top = int(np.clip(round(middle - row), 0, field_side - height))
    left = int(np.clip(round(middle - column), 0, field_side - width))
    field = np.zeros((field_side, field_side))
    field[top:top + height, left:left + width] = image
    return field


def mnist_steps(image: np.ndarray) -> DigitSteps:
    """Grey, invert when the background is light, crop to the ink, scale the longer side to 20
    pixels, centre by centre of mass in 28 x 28. ValueError when there is no ink."""
    grey = to_grey(image)
    if min(grey.shape) < 3:
        raise ValueError(f"the image is {grey.shape[1]} x {grey.shape[0]} pixels: too small to hold a digit")
    ink, inverted = ink_image(grey)
    top, left, bottom, right = ink_box(ink)
    cropped = ink[top:bottom, left:right]
    scaled = np.clip(scale_longer_side(cropped), 0.0, 1.0)
    centred = centre_in_field(scaled).astype(np.float32)
    return DigitSteps(grey=grey, inverted=inverted, ink=ink, box=(top, left, bottom, right), cropped=cropped,
                      scaled=scaled, centred=centred, centre_of_mass=centre_of_mass(centred))
