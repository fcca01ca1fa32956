"""Lesson 9, AlphaGo's CNN (Silver et al., Nature 2016): a 19x19 board read as an image, 5x5
patterns, and no pooling. In NumPy, with Keras' conventions (cross-correlation, channels last).

The policy network of AlphaGo answers with one probability per intersection: where to play.
Its first layer has 5x5 kernels, every layer has stride 1 and zero padding so the maps stay
19x19, and there is no pooling. The demo builds one 5x5 pattern by hand, "this empty point
captures a lone white stone", and shows what a 2x2 max pooling would do to its answer.
"""

from __future__ import annotations

import numpy as np

SIZE = 19
EMPTY, BLACK, WHITE = 0, 1, -1
KERNEL = 5  # AlphaGo's first layer: 5x5 kernels
DIRECTIONS = {"up": (-1, 0), "down": (1, 0), "left": (0, -1), "right": (0, 1)}
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


def max_pool(grid: np.ndarray, window: int = 2) -> np.ndarray:
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
