"""Lesson 9: convolution, pooling and flatten on note 004's 6x6 "X" image, in plain NumPy.

Like Keras, "convolution" here is cross-correlation (the kernel is not flipped). Both kernels of
note 004 read the same after a 180-degree turn, so the difference cannot show in this example.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# The black-and-white image and the two kernels exactly as note 004 prints them.
X_IMAGE = np.array([
    [1, 0, 0, 0, 0, 1],
    [0, 1, 0, 0, 1, 0],
    [0, 0, 1, 1, 0, 0],
    [1, 0, 0, 0, 1, 0],
    [0, 1, 0, 0, 1, 0],
    [0, 0, 1, 0, 1, 0],
], dtype=np.float32)
KERNEL_1 = np.array([[1, -1, -1], [-1, 1, -1], [-1, -1, 1]], dtype=np.float32)  # a "\" diagonal
KERNEL_2 = np.array([[-1, 1, -1], [-1, 1, -1], [-1, 1, -1]], dtype=np.float32)  # a "|" line
KERNELS = {"Kernel 1 (diagonal \\)": KERNEL_1, "Kernel 2 (vertical |)": KERNEL_2}


def _check_2d(name: str, array: np.ndarray) -> np.ndarray:
    array = np.asarray(array, dtype=np.float32)
    if array.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array (height, width), got shape {array.shape}")
    return array


def output_size(input_size: int, kernel_size: int, stride: int) -> int:
    """Positions a kernel fits at along one axis without padding ("valid")."""
    if stride < 1:
        raise ValueError(f"stride must be at least 1, got {stride}")
    if kernel_size > input_size:
        raise ValueError(f"a {kernel_size}-wide kernel does not fit in {input_size} pixels")
    return (input_size - kernel_size) // stride + 1


@dataclass(frozen=True)
class Window:
    """One placement of the kernel: where it sits, what it covers and the dot product."""

    row: int  # top-left corner in the image
    col: int
    out_row: int  # where the result goes in the feature map
    out_col: int
    patch: np.ndarray
    products: np.ndarray  # patch * kernel, element by element
    value: float  # products.sum() (+ bias)


def windows(image: np.ndarray, kernel: np.ndarray, stride: int = 1, bias: float = 0.0) -> list[Window]:
    """Every placement of `kernel` on `image`, row by row, as the kernel slides."""
    image, kernel = _check_2d("image", image), _check_2d("kernel", kernel)
    rows = output_size(image.shape[0], kernel.shape[0], stride)
    cols = output_size(image.shape[1], kernel.shape[1], stride)
    placements = []
    for out_row in range(rows):
        for out_col in range(cols):
            row, col = out_row * stride, out_col * stride
            patch = image[row:row + kernel.shape[0], col:col + kernel.shape[1]]
            products = patch * kernel
            placements.append(Window(row, col, out_row, out_col, patch, products,
                                     float(products.sum() + bias)))
    return placements


def feature_map(image: np.ndarray, kernel: np.ndarray, stride: int = 1, bias: float = 0.0) -> np.ndarray:
    """The kernel's response at every placement: a (rows, cols) map."""
    placements = windows(image, kernel, stride, bias)
    rows = placements[-1].out_row + 1
    cols = placements[-1].out_col + 1
    return np.array([window.value for window in placements], dtype=np.float32).reshape(rows, cols)  # (rows, cols)


def max_pool(feature: np.ndarray, size: int = 2) -> np.ndarray:
    """Non-overlapping size x size max pooling; rows/cols that do not fill a window are dropped,
    as in Keras' MaxPooling2D with padding="valid"."""
    feature = _check_2d("feature map", feature)
    rows, cols = feature.shape[0] // size, feature.shape[1] // size
    if rows == 0 or cols == 0:
        raise ValueError(f"a {size}x{size} pool does not fit in a {feature.shape} feature map")
    blocks = feature[:rows * size, :cols * size].reshape(rows, size, cols, size)  # (rows, size, cols, size)
    return blocks.max(axis=(1, 3))


def average_pool(feature: np.ndarray, size: int = 2) -> np.ndarray:
    feature = _check_2d("feature map", feature)
    rows, cols = feature.shape[0] // size, feature.shape[1] // size
    blocks = feature[:rows * size, :cols * size].reshape(rows, size, cols, size)  # (rows, size, cols, size)
    return blocks.mean(axis=(1, 3))


def conv_pool_flatten(image: np.ndarray, kernels: list[np.ndarray], pool: int = 2) -> dict[str, np.ndarray]:
    """The whole small CNN front end: one feature map per kernel, pooled, then flattened the way
    Keras' Flatten does on a channels-last (height, width, channels) tensor."""
    maps = np.stack([feature_map(image, kernel) for kernel in kernels], axis=-1)  # (rows, cols, kernels)
    pooled = np.stack([max_pool(maps[..., index], pool) for index in range(len(kernels))],
                      axis=-1)  # (rows / pool, cols / pool, kernels)
    return {"maps": maps, "pooled": pooled, "flat": pooled.reshape(-1)}  # flat: (rows*cols*kernels / pool^2,)


def shift(image: np.ndarray, down: int, right: int) -> np.ndarray:
    """The image moved by whole pixels, filling the uncovered border with 0 (background)."""
    image = _check_2d("image", image)
    moved = np.zeros_like(image)
    height, width = image.shape
    source = image[max(0, -down):height - max(0, down), max(0, -right):width - max(0, right)]
    moved[max(0, down):max(0, down) + source.shape[0], max(0, right):max(0, right) + source.shape[1]] = source
    return moved


def conv_parameters(kernel_height: int, kernel_width: int, in_channels: int, filters: int,
                    bias: bool = True) -> int:
    """Weights of a Conv2D layer: one kernel_height x kernel_width x in_channels block per filter."""
    return filters * (kernel_height * kernel_width * in_channels + int(bias))


def dense_parameters(inputs: int, outputs: int, bias: bool = True) -> int:
    return outputs * (inputs + int(bias))


def parameter_comparison(height: int, width: int, channels: int, kernel: int, filters: int) -> dict[str, int]:
    """A conv layer vs a fully connected layer that produces as many outputs from the same input."""
    outputs = output_size(height, kernel, 1) * output_size(width, kernel, 1) * filters
    return {"inputs": height * width * channels, "outputs": outputs,
            "conv": conv_parameters(kernel, kernel, channels, filters),
            "dense": dense_parameters(height * width * channels, outputs)}


def conv_as_dense_matrix(image_shape: tuple[int, int], kernel: np.ndarray) -> np.ndarray:
    """The fully connected weight matrix that computes the same feature map: (pixels, outputs).

    Most entries are 0 (each output sees only a 3x3 patch) and the non-zero ones repeat the
    kernel's 9 numbers (shared weights): note 000's "convolution is a simplified fully connected layer".
    """
    kernel = _check_2d("kernel", kernel)
    height, width = image_shape
    rows, cols = output_size(height, kernel.shape[0], 1), output_size(width, kernel.shape[1], 1)
    matrix = np.zeros((height * width, rows * cols), dtype=np.float32)
    for out_row in range(rows):
        for out_col in range(cols):
            block = np.zeros((height, width), dtype=np.float32)
            block[out_row:out_row + kernel.shape[0], out_col:out_col + kernel.shape[1]] = kernel
            matrix[:, out_row * cols + out_col] = block.reshape(-1)  # (height*width,)
    return matrix


def scramble_within_windows(feature: np.ndarray, size: int = 2, seed: int = 0) -> np.ndarray:
    """The map with each pooling window's values shuffled: a different map, the same max pooling.
    This is what pooling throws away: where inside each window the strongest response was."""
    feature = _check_2d("feature map", feature).copy()
    rng = np.random.default_rng(seed)
    for top in range(0, feature.shape[0] - size + 1, size):
        for left in range(0, feature.shape[1] - size + 1, size):
            block = feature[top:top + size, left:left + size].reshape(-1)  # (size*size,)
            feature[top:top + size, left:left + size] = rng.permutation(block).reshape(size, size)
    return feature


ONE_PIXEL_MOVES = {"down": (1, 0), "up": (-1, 0), "right": (0, 1), "left": (0, -1)}


def pooled_changes_after_moves(image: np.ndarray, kernels: list[np.ndarray], pool: int = 2,
                               moves: dict[str, tuple[int, int]] = ONE_PIXEL_MOVES) -> dict[str, int]:
    """How many pooled values change when the whole image moves one pixel each way. A value stays
    only while its block's maximum stays inside the block: pooling's invariance is that small."""
    before = conv_pool_flatten(image, kernels, pool)["pooled"]
    return {name: int(np.sum(conv_pool_flatten(shift(image, down, right), kernels, pool)["pooled"] != before))
            for name, (down, right) in moves.items()}
