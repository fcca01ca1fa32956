"""Lesson 9: convolution, pooling and flatten on note 004's 6x6 "X" image, in plain NumPy.

Like Keras, "convolution" here is cross-correlation (the kernel is not flipped). Both kernels of
note 004 read the same after a 180-degree turn, so the difference cannot show in this example.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from i18n import N_
from lessons.quiz import NOTE_PARTLY, Correction, Question

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
KERNELS = {N_("Kernel 1 (diagonal \\)"): KERNEL_1, N_("Kernel 2 (vertical |)"): KERNEL_2}  # N_: shown on the page


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


def feature_map_so_far(placements: list[Window], steps: int) -> np.ndarray:
    """The feature map after the kernel's first `steps` placements; the cells still to come are NaN."""
    so_far = np.full((placements[-1].out_row + 1, placements[-1].out_col + 1), np.nan)
    for done in placements[:steps]:
        so_far[done.out_row, done.out_col] = done.value
    return so_far


def changes_after_shift(image: np.ndarray, kernels: list[np.ndarray], down: int, right: int) -> dict[str, int]:
    """How many feature-map and pooled values change when the whole image moves by (down, right)."""
    front = conv_pool_flatten(image, kernels)
    moved = conv_pool_flatten(shift(image, down, right), kernels)
    return {"maps": int(np.sum(moved["maps"] != front["maps"])),
            "pooled": int(np.sum(moved["pooled"] != front["pooled"]))}


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


# ---- AlphaGo's CNN: a Go board as an image --------------------------------------------------------
# Lesson 9, AlphaGo's CNN (Silver et al., Nature 2016): a 19x19 board read as an image, 5x5
# patterns, and no pooling. In NumPy, with Keras' conventions (cross-correlation, channels last).
#
# The policy network of AlphaGo answers with one probability per intersection: where to play.
# Its first layer has 5x5 kernels, every layer has stride 1 and zero padding so the maps stay
# 19x19, and there is no pooling. The demo builds one 5x5 pattern by hand, "this empty point
# captures a lone white stone", and shows what a 2x2 max pooling would do to its answer.

SIZE = 19
EMPTY, BLACK, WHITE = 0, 1, -1
KERNEL = 5  # AlphaGo's first layer: 5x5 kernels
DIRECTIONS = {N_("up"): (-1, 0), N_("down"): (1, 0), N_("left"): (0, -1), N_("right"): (0, 1)}  # N_: shown
# AlphaGo's policy network: layer 1 has 5x5 kernels, layers 2-12 3x3, layer 13 a 1x1 output.
ALPHAGO_KERNELS = (5,) + (3,) * 11 + (1,)


def empty_board(size: int = SIZE) -> np.ndarray:
    return np.zeros((size, size), dtype=np.int8)


def planes(board: np.ndarray) -> np.ndarray:
    """(size, size, 3) one-hot planes black, white, empty: AlphaGo's "stone colour" features."""
    board = np.asarray(board)
    return np.stack([board == BLACK, board == WHITE, board == EMPTY], axis=-1).astype(np.float32)


def padded_planes(board: np.ndarray) -> np.ndarray:
    """The planes with a 2-point border around the board. Off the board counts as black for the
    capture pattern: the edge takes a liberty away from a white stone just as a black stone does."""
    border = KERNEL // 2
    stacked = planes(board)
    padded = np.zeros((stacked.shape[0] + 2 * border, stacked.shape[1] + 2 * border, 3), np.float32)
    padded[..., 0] = 1.0  # the off-board frame
    padded[border:-border, border:-border] = stacked
    return padded  # (size + 4, size + 4, 3)


def capture_kernels() -> np.ndarray:
    """Four 5x5x3 kernels, one per side, in Keras' layout (height, width, in channels, filters).

    Kernel d, centred on an empty point p, looks for a white stone at p + d whose three other
    neighbours are black: then playing at p takes its last liberty. Every piece of the pattern
    lies within two points of p, which is why it needs a 5x5 window, not a 3x3 one."""
    kernels = np.zeros((KERNEL, KERNEL, 3, len(DIRECTIONS)), np.float32)
    centre = KERNEL // 2
    for index, (down, right) in enumerate(DIRECTIONS.values()):
        kernels[centre, centre, 2, index] = 1.0  # the move's point is empty
        stone = (centre + down, centre + right)
        kernels[stone[0], stone[1], 1, index] = 1.0  # a white stone next to it
        for other_down, other_right in DIRECTIONS.values():
            if (other_down, other_right) != (-down, -right):  # the stone's other three neighbours
                kernels[stone[0] + other_down, stone[1] + other_right, 0, index] = 1.0
    return kernels


def correlate(padded: np.ndarray, kernels: np.ndarray) -> np.ndarray:
    """Valid cross-correlation of (H, W, C) with (k, k, C, F) kernels: (H − k + 1, W − k + 1, F)."""
    size = kernels.shape[0]
    height, width = padded.shape[0] - size + 1, padded.shape[1] - size + 1
    out = np.zeros((height, width, kernels.shape[3]), np.float32)
    for row in range(size):
        for col in range(size):
            out += padded[row:row + height, col:col + width, :] @ kernels[row, col]  # (H', W', C) @ (C, F)
    return out


def capture_map(board: np.ndarray) -> np.ndarray:
    """1 where playing black captures a lone white stone, else 0: (size, size), the same size as
    the board (stride 1, a 2-point border), like every layer of AlphaGo's policy network.

    A pattern matches when all 5 of its required points agree: a ReLU with bias −4 turns the
    count of matching points (at most 5) into 1 for a full match and 0 otherwise."""
    counts = correlate(padded_planes(board), capture_kernels())  # (size, size, 4)
    matches = np.maximum(counts - 4.0, 0.0)  # (size, size, 4): 1 for a full match of 5 points
    return matches.max(axis=-1)


def max_pool_same(grid: np.ndarray, window: int = 2) -> np.ndarray:
    """Non-overlapping max pooling with Keras' "same" padding: a 19x19 map becomes 10x10."""
    grid = np.asarray(grid, dtype=np.float32)
    blocks = -(-grid.shape[0] // window), -(-grid.shape[1] // window)
    padded = np.full((blocks[0] * window, blocks[1] * window), -np.inf, np.float32)
    padded[:grid.shape[0], :grid.shape[1]] = grid
    return padded.reshape(blocks[0], window, blocks[1], window).max(axis=(1, 3))


def atari_position(row: int, col: int, open_side: str) -> np.ndarray:
    """A lone white stone at (row, col) with black stones on three sides and its last liberty on
    `open_side`. Sides off the board need no black stone (the edge already blocks them)."""
    if open_side not in DIRECTIONS:
        raise ValueError(f"open_side must be one of {', '.join(DIRECTIONS)}, got {open_side!r}")
    board = empty_board()
    if not (0 <= row < SIZE and 0 <= col < SIZE):
        raise ValueError(f"the stone must be on the board: row and column 0..{SIZE - 1}")
    down, right = DIRECTIONS[open_side]
    if not (0 <= row + down < SIZE and 0 <= col + right < SIZE):
        raise ValueError(f"the open side {open_side!r} of ({row}, {col}) is off the board")
    board[row, col] = WHITE
    for other_down, other_right in DIRECTIONS.values():
        point = (row + other_down, col + other_right)
        if (other_down, other_right) != (down, right) and 0 <= point[0] < SIZE and 0 <= point[1] < SIZE:
            board[point] = BLACK
    return board


def open_sides(row: int, col: int, size: int = SIZE) -> list[str]:
    """The sides of (row, col) that are on the board: where the stone's last liberty can be."""
    return [side for side, (down, right) in DIRECTIONS.items() if 0 <= row + down < size and 0 <= col + right < size]


def capture_point(row: int, col: int, open_side: str) -> tuple[int, int]:
    down, right = DIRECTIONS[open_side]
    return row + down, col + right


def pooled_twins(point: tuple[int, int], window: int = 2) -> list[tuple[int, int]]:
    """The other points whose pooled cell is the same as `point`'s: after pooling, a capture at
    any of them lights up the very same cell, so the network cannot tell which one to play."""
    top, left = (point[0] // window) * window, (point[1] // window) * window
    return [(row, col) for row in range(top, min(top + window, SIZE)) for col in range(left, min(left + window, SIZE))
            if (row, col) != tuple(point)]


def receptive_field(kernel_sizes=ALPHAGO_KERNELS) -> int:
    """Width of the board area one output point can see through a stack of stride-1
    convolutions: 1 + sum(k − 1). AlphaGo's policy network: 1 + 4 + 11·2 + 0 = 27 ≥ 19, so
    the decision at every point can depend on the whole board."""
    if any(size < 1 for size in kernel_sizes):
        raise ValueError(f"kernel sizes must be positive, got {kernel_sizes}")
    return 1 + sum(size - 1 for size in kernel_sizes)


# ---- check yourself, and the course notes checked ------------------------------------------------

NOTES_EXAMPLE = parameter_comparison(6, 6, 1, 3, 2)

STRIDE_TWO = feature_map(X_IMAGE, KERNEL_1, stride=2)

PIXEL_MOVE_CHANGES = pooled_changes_after_moves(X_IMAGE, list(KERNELS.values()))

POOLED_VALUES = conv_pool_flatten(X_IMAGE, list(KERNELS.values()))["pooled"].size

QUESTIONS = [
    Question("A CNN is a fully connected network whose hidden layers usually include several "
             "convolutional layers.", ("True", "False"), 1,
             "A convolutional layer is *locally* connected (each output sees a small patch) and shares "
             "its weights across positions; only the classifier layers at the end are usually fully "
             "connected.", notes_said="True (note 004)"),
    Question("Pooling loses no information and does not reduce the spatial resolution.",
             ("True", "False"), 1,
             "2×2 max pooling halves height and width and keeps 1 value in 4: the shuffled map above "
             "pools to exactly the same numbers. Note 004's own slide says pooling loses a lot of "
             "information.", notes_said="True (note 004)"),
    Question("To compute one output pixel, the kernel's weights multiply the pixels it covers, the "
             "products are summed and the bias is added. True?", ("True", "False"), 0,
             "That is the whole computation (for a colour image the sum also runs over the channels). "
             "Two details in note 004's wording are loose: kernels need not be square, and with a "
             "stride above 1 or without padding the kernel does not visit every pixel."),
    Question("Kernel 1 is applied with stride 2 to the 6×6 image. How big is the feature map?",
             ("4×4", "3×3", "2×2", "6×6"), 2,
             "(6 − 3) // 2 + 1 = 2 positions per axis; its first row is "
             f"{STRIDE_TWO[0, 0]:g} and {STRIDE_TWO[0, 1]:g}, the stride-1 map's columns 0 and 2."),
    Question("How many weights does one 3×3 kernel have on an RGB image, without its bias?",
             ("9", "27", "28", "81"), 1, "3 × 3 × 3 channels = 27; with the bias, 28 parameters."),
    # alphago
    Question("Why does AlphaGo's policy network use no pooling?",
             ("Pooling would need too many parameters",
              "Its answer is one exact point of the board, and moving a stone by one point changes a Go "
              "position; 2×2 pooling merges four points into one cell",
              "Go boards have no local patterns", "Pooling only works on colour images"), 1,
             "Pooling has no parameters at all. It buys tolerance to small shifts, which helps find a cat "
             "anywhere in a photo; on a Go board a one-point shift is a different position with a different "
             "best move."),
    Question("AlphaGo's policy network stacks one 5×5 layer, eleven 3×3 layers and a 1×1 output layer, all with "
             "stride 1. How wide is the area one output point can see?",
             ("5 points", "13 points", f"{receptive_field()} points", "19 points"), 2,
             "Each k×k layer widens the view by k − 1: 1 + 4 + 11 × 2 + 0 = 27, more than the 19 points of the "
             "board, so every decision can depend on the whole board."),
]

CORRECTIONS = [
    Correction("Note 004 (quiz 1)", "A CNN is a fully connected network (marked true).",
               "Convolutional layers are locally connected with shared weights; that is exactly how they "
               f"save parameters ({NOTES_EXAMPLE['conv']} instead of {NOTES_EXAMPLE['dense']:,} for note "
               "004's two kernels on the 6×6 image)."),
    Correction("Note 004 (quiz 3)", "Pooling loses no information and keeps the spatial resolution "
               "(marked true).",
               "Pooling reduces resolution and discards information by design; the note's own slide "
               "says so a page earlier."),
    Correction("Note 001", "Features have no spatial invariance until a pooling layer, and pooling makes "
               "a CNN invariant to shifts, brightness and scale.",
               "Convolution is shift-*equivariant* (the map moves with the input). Pooling is invariant "
               "only for a block whose maximum stays inside that block: on note 004's X a one-pixel move "
               f"changes {min(PIXEL_MOVE_CHANGES.values())} to {max(PIXEL_MOVE_CHANGES.values())} of the "
               f"{POOLED_VALUES} pooled values, depending on the direction. Pooling gives no invariance "
               "to scale or brightness; CNNs become robust to those mostly by learning from varied (or "
               "augmented) data."),
    Correction("Note 001", "Max pooling without overlap is clearly better than overlapping pooling.",
               "The note compares overlapping pooling with mean pooling as if they were the same thing. "
               "AlexNet (Krizhevsky et al., 2012) used overlapping 3×3 max pooling with stride 2 and "
               "reported slightly lower error than non-overlapping pooling; which works better depends "
               "on the network."),
    Correction("Notes 000 and 004", "Subsampling does not change the object (subsampling (二次抽样) 不会改变"
               "对象结果; note 004: 采样像素不会改变对象).",
               "Right about what a person sees: a bird shrunk to half size is still a bird. Not about what "
               "the network gets: 2×2 max pooling keeps 1 value in 4 and forgets where in each block it "
               f"was, and a one-pixel move of the image changes up to {max(PIXEL_MOVE_CHANGES.values())} of "
               f"the {POOLED_VALUES} pooled values above. Subsampling works because the features that "
               "tell the classes apart survive it, not because nothing changes.", kind=NOTE_PARTLY),
    Correction("Note 004", "Four Xs drawn differently from the template X, labelled 'underfitting' "
               "(以下四个都是X，但它们和之前那张X明显不一样。（\u201c欠拟合\u201d）).",
               "Underfitting means a model too simple to fit even its training data; it says nothing about "
               "these images. The slide's point is *variation*: the same class shifted, rotated, thinner or "
               "thicker, so matching the whole image pixel by pixel fails. The answer the slide builds up "
               "to is small shared kernels that find the parts (the three 3×3 features) wherever they are."),
    Correction("Note 004", "Pooling (downsampling) lowers the data's dimension and avoids overfitting "
               "(降低数据维度，避免过拟合).",
               "It lowers the dimension, and so the number of weights in any dense layer after it: fewer "
               "parameters, less room to overfit. It does not avoid overfitting: a pooled CNN still "
               "overfits a small training set. Dropout, weight decay, data augmentation, early stopping "
               "and more data are the tools for that (lesson 7). Max pooling itself has no parameters.",
               kind=NOTE_PARTLY),
]
