"""MNIST-style preprocessing of a drawn or uploaded digit, on hand-made images."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from data.digit_input import (
    centre_of_mass,
    decode_image,
    mnist_steps,
    scale_longer_side,
    to_grey,
)


def canvas(size: int = 280, ink_dark: bool = True) -> np.ndarray:
    """An RGB canvas: white paper (or black when `ink_dark` is False)."""
    return np.full((size, size, 3), 255 if ink_dark else 0, dtype=np.uint8)


def stroke(image: np.ndarray, top: int, left: int, ink_dark: bool = True) -> np.ndarray:
    """A vertical bar 160 x 20 with a foot 20 x 60 to its right (an L), drawn at (top, left)."""
    value = 0 if ink_dark else 255
    image[top:top + 160, left:left + 20] = value
    image[top + 140:top + 160, left:left + 60] = value
    return image


def test_a_centred_stroke_is_cropped_scaled_to_20_and_centred_by_mass():
    steps = mnist_steps(stroke(canvas(), 60, 110))
    assert steps.inverted  # dark ink on light paper becomes white on black
    assert steps.box == (60, 110, 220, 170)
    assert steps.cropped.shape == (160, 60) and steps.scaled.shape == (20, 8)  # 60 * 20 / 160 = 7.5 -> 8
    assert steps.centred.shape == (28, 28) and steps.centred.dtype == np.float32
    row, column = steps.centre_of_mass
    assert abs(row - 13.5) <= 0.5 and abs(column - 13.5) <= 0.5
    # centring by mass, not by the box: the L's mass sits left of its box's centre, so the box
    # lands right of the field's centre
    occupied = np.flatnonzero(steps.centred.max(axis=0) > 0)
    assert (occupied[0] + occupied[-1]) / 2 > 13.5
    # the ink is preserved by the area-averaging resize (up to the 7.5 -> 8 pixel rounding)
    assert steps.centred.sum() == pytest.approx(steps.cropped.sum() * (20 * 8) / (160 * 60), rel=1e-6)


def test_an_off_centre_stroke_gives_the_same_digit():
    centred = mnist_steps(stroke(canvas(), 60, 110)).centred
    corner = mnist_steps(stroke(canvas(), 5, 8))
    assert corner.box == (5, 8, 165, 68)
    np.testing.assert_allclose(corner.centred, centred, atol=1e-6)


def test_an_inverted_image_is_not_inverted_again():
    light_ink = mnist_steps(stroke(canvas(ink_dark=False), 60, 110, ink_dark=False))
    assert not light_ink.inverted
    np.testing.assert_allclose(light_ink.centred, mnist_steps(stroke(canvas(), 60, 110)).centred, atol=1e-6)


def test_a_grey_photo_background_becomes_black():
    photo = np.full((200, 200), 170, dtype=np.uint8)  # grey paper
    photo[40:160, 90:110] = 40  # dark ink
    steps = mnist_steps(photo)
    assert steps.inverted and steps.ink.min() == 0.0 and steps.ink.max() == 1.0
    assert steps.ink[0, 0] == 0.0 and steps.ink[100, 100] == 1.0


def test_transparent_pixels_are_paper():
    rgba = np.zeros((100, 100, 4), dtype=np.uint8)  # fully transparent
    rgba[20:80, 45:55] = (0, 0, 0, 255)  # opaque black ink
    grey = to_grey(rgba)
    assert grey[0, 0] == 1.0 and grey[50, 50] == 0.0
    assert mnist_steps(rgba).inverted


def test_area_resize_matches_pillow_box_filter_and_keeps_the_ink():
    rng = np.random.default_rng(0)
    image = rng.random((100, 40)).astype(np.float32)
    ours = scale_longer_side(image, 20)  # (20, 8): blocks of 5 x 5
    pillow = np.asarray(Image.fromarray(image, mode="F").resize((8, 20), Image.Resampling.BOX))
    np.testing.assert_allclose(ours, pillow, atol=1e-5)
    np.testing.assert_allclose(ours, image.reshape(20, 5, 8, 5).mean(axis=(1, 3)), atol=1e-6)
    # a fractional factor splits border pixels between two targets: the mean stays the same
    uneven = rng.random((97, 41))
    shrunk = scale_longer_side(uneven, 20)  # (20, 8)
    assert shrunk.sum() * (97 * 41) / (20 * 8) == pytest.approx(uneven.sum(), rel=1e-9)


def test_centre_of_mass_against_numpy_average():
    image = np.zeros((28, 28))
    image[3, 4], image[10, 20] = 1.0, 3.0
    assert centre_of_mass(image) == pytest.approx((np.average([3, 10], weights=[1, 3]),
                                                   np.average([4, 20], weights=[1, 3])))


def test_a_blank_canvas_is_refused():
    with pytest.raises(ValueError, match="no digit found"):
        mnist_steps(canvas())


def encoded(array: np.ndarray, image_format: str, **options) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format=image_format, **options)
    return buffer.getvalue()


def test_png_and_jpeg_uploads_decode_and_shrink():
    picture = stroke(canvas(), 60, 110)
    png = decode_image(encoded(picture, "PNG"))
    assert png.shape == (280, 280, 4) and (png[..., :3] == picture).all()
    big = np.kron(picture, np.ones((4, 4, 1), dtype=np.uint8))  # 1120 x 1120
    jpeg = decode_image(encoded(big, "JPEG", quality=95))
    assert max(jpeg.shape[:2]) <= 512
    steps = mnist_steps(jpeg)
    assert steps.inverted and abs(steps.centre_of_mass[0] - 13.5) <= 0.5


@pytest.mark.parametrize("raw, message", [
    (b"", "empty"),
    (b"text,label\n1,2\n", "not a PNG or JPEG"),
    (encoded(np.zeros((10, 10, 3), np.uint8), "GIF"), "not a PNG or JPEG"),
    (encoded(np.zeros((10, 10, 3), np.uint8), "BMP"), "not a PNG or JPEG"),
    (encoded(np.zeros((50, 50, 3), np.uint8), "PNG")[:60], "could not be decoded"),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * (6 * 1024 * 1024), "the limit is 5 MB"),
])
def test_bad_uploads_are_refused(raw, message):
    with pytest.raises(ValueError, match=message):
        decode_image(raw)


def test_a_decompression_bomb_is_refused_from_its_header():
    buffer = io.BytesIO()
    Image.new("1", (8000, 6000)).save(buffer, format="PNG")  # 48 million pixels in a small file
    assert len(buffer.getvalue()) < 1024 * 1024
    with pytest.raises(ValueError, match="8000 x 6000 pixels; the limit is 40 million"):
        decode_image(buffer.getvalue())
