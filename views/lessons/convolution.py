"""Lesson 9: convolution and pooling on note 004's 6x6 X image, step by step."""

import numpy as np
import pandas as pd
import streamlit as st

from lessons import convolution as conv
from ui.grid_charts import go_board_chart, image_heatmap, matrix_grid
from ui.lesson import corrections, lesson_header, next_steps, quiz

SCRIPT = "views/lessons/convolution.py"
lesson_header(SCRIPT)

st.markdown(
    "A fully connected layer gives every pixel its own weight for every output. But a pattern such "
    "as a diagonal stroke is **small** (it fits in 3×3 pixels) and can appear **anywhere**. A "
    "convolution therefore uses one small detector, the **kernel**, and slides it over the whole "
    "image: at each position it multiplies the pixels under it by its weights and adds them up "
    "(a dot product). The same 9 weights are used at every position, and they are learned.")

left, middle, right = st.columns(3)
left.altair_chart(matrix_grid(conv.X_IMAGE, "6×6 image (1 = ink)", scheme="greys", domain=(0, 1)), width="content")
for column, (name, kernel) in zip((middle, right), conv.KERNELS.items(), strict=True):
    column.altair_chart(matrix_grid(kernel, name), width="content")


@st.fragment
def slide_the_kernel():
    st.header("Slide the kernel")
    controls = st.columns(3)
    kernel_name = controls[0].selectbox("Kernel", list(conv.KERNELS))
    stride = controls[1].segmented_control("Stride", [1, 2], default=1) or 1
    kernel = conv.KERNELS[kernel_name]
    placements = conv.windows(conv.X_IMAGE, kernel, stride=stride)
    step = controls[2].slider("Step", 1, len(placements), 1,
                              help="Each step moves the kernel by the stride, left to right, then down.")
    window = placements[step - 1]
    size = kernel.shape[0]
    so_far = conv.feature_map_so_far(placements, step)
    rows, cols = so_far.shape

    grids = st.columns(3)
    grids[0].altair_chart(matrix_grid(conv.X_IMAGE, f"Window at row {window.row}, column {window.col}",
                                      highlight=(window.row, window.col, size, size), scheme="greys",
                                      domain=(0, 1)), width="content")
    grids[1].altair_chart(matrix_grid(window.products, "Pixel × weight"), width="content")
    grids[2].altair_chart(matrix_grid(so_far, f"Feature map ({rows}×{cols}, stride {stride})",
                                      highlight=(window.out_row, window.out_col, 1, 1)), width="content")
    terms = " + ".join(f"{pixel:g}×({weight:g})" for pixel, weight in
                       zip(window.patch.reshape(-1), kernel.reshape(-1), strict=True))
    st.markdown(f"Dot product: {terms} = **{window.value:g}**")
    st.caption(f"With stride {stride} a 3×3 kernel fits {rows} times across 6 pixels: (6 − 3) // {stride} + 1. "
               "A larger stride skips positions: a smaller map and less computation, but less detail.")


def two_kernels_then_pooling(front):
    st.header("Two kernels, two feature maps, then pooling")
    st.markdown("Each kernel gives its own 4×4 map; stacked they form a 4×4×2 \"image\" with one channel "
                "per kernel. **Max pooling** keeps the largest value of each 2×2 block, so each map shrinks "
                "to 2×2. **Flatten** lays the 2×2×2 result out as 8 numbers for the fully connected layers.")
    maps = st.columns(4)
    for index, name in enumerate(conv.KERNELS):
        maps[index].altair_chart(matrix_grid(front["maps"][..., index], f"{name.split(' (')[0]}: feature map",
                                             domain=(-4, 4), legend=False), width="content")
        maps[index + 2].altair_chart(matrix_grid(conv.max_pool(front["maps"][..., index]),
                                                 f"{name.split(' (')[0]}: 2×2 max pool", domain=(-4, 4),
                                                 legend=False), width="content")
    st.markdown("Flattened (row by row, the two channels interleaved as Keras' `Flatten` does on "
                f"height × width × channels): `{front['flat'].astype(int).tolist()}`")


@st.fragment
def what_pooling_keeps(front):
    st.subheader("What pooling keeps and what it loses")
    feature = front["maps"][..., 0]
    seed = st.columns(3)[0].number_input("Shuffle inside each 2×2 block (seed)", 0, 1000, 1)
    shuffled = conv.scramble_within_windows(feature, seed=int(seed))
    pooling = st.columns(3)
    pooling[0].altair_chart(matrix_grid(feature, "Kernel 1 map", domain=(-4, 4)), width="content")
    pooling[1].altair_chart(matrix_grid(shuffled, "Shuffled inside blocks", domain=(-4, 4)), width="content")
    pooling[2].altair_chart(matrix_grid(conv.max_pool(shuffled), "Both pool to", domain=(-4, 4)), width="content")
    st.markdown(
        "Different maps, identical pooled output: pooling throws away 3 of every 4 numbers and *where* in "
        "each block the strongest response was. That is the price of its benefit: a pattern that moves a "
        "little **inside** a block gives the same pooled value. Move the whole image and see how much "
        "survives:")
    shift_controls = st.columns(2)
    down = shift_controls[0].slider("Move down (pixels)", -2, 2, 0)
    right = shift_controls[1].slider("Move right (pixels)", -2, 2, 0)
    changed = conv.changes_after_shift(conv.X_IMAGE, list(conv.KERNELS.values()), down, right)
    one_pixel = conv.pooled_changes_after_moves(conv.X_IMAGE, list(conv.KERNELS.values()))
    shifted = st.columns([1, 2])
    shifted[0].altair_chart(image_heatmap(conv.shift(conv.X_IMAGE, down, right), "Moved image", size=150),
                            width="content")
    shifted[1].markdown(
        f"- feature-map values that changed: **{changed['maps']} of {front['maps'].size}**\n"
        f"- pooled values that changed: **{changed['pooled']} of {front['pooled'].size}**\n\n"
        "The convolution itself is *equivariant*: move the input and its feature map moves with it "
        "(apart from the border). Pooling is *invariant* only for a block whose maximum stays inside "
        "that block, and a one-pixel move already pushes many maxima across a border: here it changes "
        + ", ".join(f"{count} ({way})" for way, count in one_pixel.items())
        + f" of the {front['pooled'].size} pooled values. Larger shifts, rotations and changes of size "
        "change the output too, which is why CNNs are trained on many positions and sizes of each object.")


@st.fragment
def parameter_counts():
    st.header("Convolution vs fully connected: parameters")
    as_dense = conv.conv_as_dense_matrix((6, 6), conv.KERNEL_1)  # (pixels, outputs)
    st.markdown("A convolution is a fully connected layer with most weights forced to 0 (each output sees "
                "only a 3×3 patch) and the rest shared (every output uses the same 9 numbers). Here is "
                f"that matrix for kernel 1: {np.count_nonzero(as_dense)} of its {as_dense.size} entries are "
                f"non-zero, and they are {as_dense.shape[1]} copies of the same 9 weights.")
    st.altair_chart(image_heatmap(as_dense.T, f"Kernel 1 as a dense weight matrix ({as_dense.shape[1]} outputs "
                                  f"× {as_dense.shape[0]} pixels)", scheme="blueorange", symmetric=True, size=540,
                                  height=240), width="content")
    sizes = st.columns(5)
    height = sizes[0].number_input("Image height", 3, 512, 6)
    width = sizes[1].number_input("Image width", 3, 512, 6)
    channels = sizes[2].number_input("Channels (3 = RGB)", 1, 64, 1)
    kernel_size = sizes[3].number_input("Kernel size", 1, 11, 3)
    filters = sizes[4].number_input("Filters", 1, 512, 2)
    if kernel_size > min(height, width):
        st.warning("The kernel must fit inside the image.")
    else:
        counts = conv.parameter_comparison(int(height), int(width), int(channels), int(kernel_size), int(filters))
        st.dataframe(pd.DataFrame({
            "layer": ["Convolution", "Fully connected, same outputs"],
            "parameters": [counts["conv"], counts["dense"]],
            "formula": [f"{filters} × ({kernel_size}×{kernel_size}×{channels} + 1 bias)",
                        f"{counts['outputs']} outputs × ({counts['inputs']} inputs + 1 bias)"]}),
            hide_index=True)
    st.caption(f"On a colour image one 3×3 kernel spans all three channels: "
               f"{conv.conv_parameters(3, 3, 3, 1, bias=False)} weights, "
               f"{conv.conv_parameters(3, 3, 3, 1)} with its bias (note 000).")


@st.fragment
def alphago_board():
    st.header("AlphaGo's CNN: a board is an image, but no pooling")
    st.markdown(
        "AlphaGo (Silver et al., Nature 2016) reads the 19×19 Go board as a 19×19 image with 48 feature planes "
        "(black stones, white stones, empty points, liberties…). Its policy network's first layer has **5×5** "
        "kernels, the next eleven 3×3, every layer has stride 1 and zero padding so the maps stay 19×19, and the "
        "last layer gives one probability per point: where to play. Go has small local patterns, so convolution "
        "fits; but there is **no pooling** (note 000). Below, one 5×5 pattern is built by hand, *this empty "
        "point captures a lone white stone*: a white stone next to the point whose three other neighbours are "
        "black (or the edge). Every piece of it lies within two points of the move, so a 3×3 window is too small.")
    go_controls = st.columns(3)
    stone_row = go_controls[0].slider("White stone: row", 0, conv.SIZE - 1, 9, key="go-row")
    stone_col = go_controls[1].slider("White stone: column", 0, conv.SIZE - 1, 4, key="go-col")
    open_sides = conv.open_sides(stone_row, stone_col)
    open_side = go_controls[2].segmented_control("Its last liberty is", open_sides, default=open_sides[0],
                                                 key="go-side") or open_sides[0]
    board = conv.atari_position(stone_row, stone_col, open_side)
    capture = conv.capture_map(board)
    pooled = conv.max_pool_same(capture)
    move = conv.capture_point(stone_row, stone_col, open_side)
    found = [tuple(int(value) for value in point) for point in np.argwhere(capture > 0)]
    twins = conv.pooled_twins(move)
    pooled_cell = (move[0] // 2, move[1] // 2)
    go_charts = st.columns(3)
    go_charts[0].altair_chart(go_board_chart(board, found, "Red: the move found", size=210), width="content")
    go_charts[1].altair_chart(image_heatmap(capture, f"Pattern output, {capture.shape[0]}×{capture.shape[1]}",
                                            scheme="reds", size=190, value_title="Match"), width="content")
    go_charts[2].altair_chart(image_heatmap(pooled, f"After 2×2 max pooling, {pooled.shape[0]}×{pooled.shape[1]}",
                                            scheme="reds", size=190, value_title="Match"), width="content")
    st.markdown(
        f"The full-resolution map lights up exactly one point, **row {found[0][0]}, column {found[0][1]}**: the "
        f"move. After pooling, cell ({pooled_cell[0]}, {pooled_cell[1]}) lights up, and it stands for "
        f"{len(twins) + 1} points: the move and {', '.join(f'({row}, {col})' for row, col in twins)}. A capture at "
        "any of those gives the very same pooled map, so a network after the pooling cannot say which one to play, "
        "and one point off is not a nearby move in Go: it is usually a wasted one. Pooling is right for photos, "
        "where a cat one pixel to the left is still a cat; on a board every point counts.")
    field = conv.receptive_field()
    st.caption(f"Without pooling, how does a point see the whole board? Each stride-1 layer with a k×k kernel widens "
               f"the view by k − 1: 1 + 4 + 11 × 2 + 0 = {field} points after AlphaGo's 13 layers, more than the "
               f"board's 19 (the tests check this against TensorFlow's gradients of a 13-layer stack). The pattern "
               "is an ordinary convolution: the tests compare it with keras.ops.conv and with the rules of Go.")


slide_the_kernel()
front = conv.conv_pool_flatten(conv.X_IMAGE, list(conv.KERNELS.values()))
two_kernels_then_pooling(front)
what_pooling_keeps(front)
parameter_counts()
alphago_board()
quiz(conv.QUESTIONS, key="convolution")
corrections(conv.CORRECTIONS)
next_steps("views/lessons/cnn_features.py", "views/tasks/mnist.py")
