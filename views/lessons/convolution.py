"""Lesson 9: convolution and pooling on note 004's 6x6 X image, step by step."""

import numpy as np
import pandas as pd
import streamlit as st

from i18n import N_
from lessons import convolution as conv
from ui.grid_charts import go_board_chart, image_heatmap, matrix_grid
from ui.i18n import gettext_for_session, localized_chart, text
from ui.lesson import corrections, lesson_header, next_steps, quiz

SCRIPT = "views/lessons/convolution.py"
_, prose = gettext_for_session(), text("convolution")
lesson_header(SCRIPT)
SHORT_NAMES = [N_("Kernel 1"), N_("Kernel 2")]  # the kernels of conv.KERNELS, in its order

st.markdown(prose("intro"))

left, middle, right = st.columns(3)
left.altair_chart(localized_chart(matrix_grid(conv.X_IMAGE, _("6×6 image (1 = ink)"), scheme="greys", domain=(0, 1))),
                  width="content")
for column, (name, kernel) in zip((middle, right), conv.KERNELS.items(), strict=True):
    column.altair_chart(localized_chart(matrix_grid(kernel, _(name))), width="content")


@st.fragment
def slide_the_kernel():
    st.header(_("Slide the kernel"))
    controls = st.columns(3)
    kernel_name = controls[0].selectbox(_("Kernel"), list(conv.KERNELS), format_func=_)
    stride = controls[1].segmented_control(_("Stride"), [1, 2], default=1) or 1
    kernel = conv.KERNELS[kernel_name]
    placements = conv.windows(conv.X_IMAGE, kernel, stride=stride)
    step = controls[2].slider(_("Step"), 1, len(placements), 1,
                              help=_("Each step moves the kernel by the stride, left to right, then down."))
    window = placements[step - 1]
    size = kernel.shape[0]
    so_far = conv.feature_map_so_far(placements, step)
    rows, cols = so_far.shape

    grids = st.columns(3)
    grids[0].altair_chart(localized_chart(matrix_grid(
        conv.X_IMAGE, _("Window at row {row}, column {col}").format(row=window.row, col=window.col),
        highlight=(window.row, window.col, size, size), scheme="greys", domain=(0, 1))), width="content")
    grids[1].altair_chart(localized_chart(matrix_grid(window.products, _("Pixel × weight"))), width="content")
    grids[2].altair_chart(localized_chart(matrix_grid(
        so_far, _("Feature map ({rows}×{cols}, stride {stride})").format(rows=rows, cols=cols, stride=stride),
        highlight=(window.out_row, window.out_col, 1, 1))), width="content")
    terms = " + ".join(f"{pixel:g}×({weight:g})" for pixel, weight in
                       zip(window.patch.reshape(-1), kernel.reshape(-1), strict=True))
    st.markdown(prose("dot-product", terms=terms, value=f"{window.value:g}"))
    st.caption(prose("stride", stride=stride, rows=rows))


def two_kernels_then_pooling(front):
    st.header(_("Two kernels, two feature maps, then pooling"))
    st.markdown(prose("two-kernels"))
    maps = st.columns(4)
    for index, short in enumerate(SHORT_NAMES):
        maps[index].altair_chart(localized_chart(matrix_grid(
            front["maps"][..., index], _("{name}: feature map").format(name=_(short)),
            domain=(-4, 4), legend=False)), width="content")
        maps[index + 2].altair_chart(localized_chart(matrix_grid(
            conv.max_pool(front["maps"][..., index]), _("{name}: 2×2 max pool").format(name=_(short)),
            domain=(-4, 4), legend=False)), width="content")
    st.markdown(prose("flattened", flat=front["flat"].astype(int).tolist()))


@st.fragment
def what_pooling_keeps(front):
    st.subheader(_("What pooling keeps and what it loses"))
    feature = front["maps"][..., 0]
    seed = st.columns(3)[0].number_input(_("Shuffle inside each 2×2 block (seed)"), 0, 1000, 1)
    shuffled = conv.scramble_within_windows(feature, seed=int(seed))
    pooling = st.columns(3)
    pooling[0].altair_chart(localized_chart(matrix_grid(feature, _("Kernel 1 map"), domain=(-4, 4))), width="content")
    pooling[1].altair_chart(localized_chart(matrix_grid(shuffled, _("Shuffled inside blocks"), domain=(-4, 4))),
                            width="content")
    pooling[2].altair_chart(localized_chart(matrix_grid(conv.max_pool(shuffled), _("Both pool to"), domain=(-4, 4))),
                            width="content")
    st.markdown(prose("pooling-loses"))
    shift_controls = st.columns(2)
    down = shift_controls[0].slider(_("Move down (pixels)"), -2, 2, 0)
    right = shift_controls[1].slider(_("Move right (pixels)"), -2, 2, 0)
    changed = conv.changes_after_shift(conv.X_IMAGE, list(conv.KERNELS.values()), down, right)
    one_pixel = conv.pooled_changes_after_moves(conv.X_IMAGE, list(conv.KERNELS.values()))
    shifted = st.columns([1, 2])
    shifted[0].altair_chart(localized_chart(image_heatmap(conv.shift(conv.X_IMAGE, down, right), _("Moved image"),
                                                          size=150)), width="content")
    moves = _(", ").join(_("{count} ({way})").format(count=count, way=_(way)) for way, count in one_pixel.items())
    shifted[1].markdown(prose("shift-changes", maps_changed=changed["maps"], maps=front["maps"].size,
                              pooled_changed=changed["pooled"], pooled=front["pooled"].size, moves=moves))


@st.fragment
def parameter_counts():
    st.header(_("Convolution vs fully connected: parameters"))
    as_dense = conv.conv_as_dense_matrix((6, 6), conv.KERNEL_1)  # (pixels, outputs)
    st.markdown(prose("as-dense", nonzero=np.count_nonzero(as_dense), entries=as_dense.size,
                      copies=as_dense.shape[1]))
    st.altair_chart(localized_chart(image_heatmap(
        as_dense.T, _("Kernel 1 as a dense weight matrix ({outputs} outputs × {pixels} pixels)").format(
            outputs=as_dense.shape[1], pixels=as_dense.shape[0]),
        scheme="blueorange", symmetric=True, size=540, height=240)), width="content")
    sizes = st.columns(5)
    height = sizes[0].number_input(_("Image height"), 3, 512, 6)
    width = sizes[1].number_input(_("Image width"), 3, 512, 6)
    channels = sizes[2].number_input(_("Channels (3 = RGB)"), 1, 64, 1)
    kernel_size = sizes[3].number_input(_("Kernel size"), 1, 11, 3)
    filters = sizes[4].number_input(_("Filters"), 1, 512, 2)
    if kernel_size > min(height, width):
        st.warning(_("The kernel must fit inside the image."))
    else:
        counts = conv.parameter_comparison(int(height), int(width), int(channels), int(kernel_size), int(filters))
        st.dataframe(pd.DataFrame({
            _("layer"): [_("Convolution"), _("Fully connected, same outputs")],
            _("parameters"): [counts["conv"], counts["dense"]],
            _("formula"): [_("{filters} × ({size}×{size}×{channels} + 1 bias)").format(
                               filters=filters, size=kernel_size, channels=channels),
                           _("{outputs} outputs × ({inputs} inputs + 1 bias)").format(
                               outputs=counts["outputs"], inputs=counts["inputs"])]}),
            hide_index=True)
    st.caption(prose("colour-kernel", weights=conv.conv_parameters(3, 3, 3, 1, bias=False),
                     parameters=conv.conv_parameters(3, 3, 3, 1)))


@st.fragment
def alphago_board():
    st.header(_("AlphaGo's CNN: a board is an image, but no pooling"))
    st.markdown(prose("alphago"))
    go_controls = st.columns(3)
    stone_row = go_controls[0].slider(_("White stone: row"), 0, conv.SIZE - 1, 9, key="go-row")
    stone_col = go_controls[1].slider(_("White stone: column"), 0, conv.SIZE - 1, 4, key="go-col")
    open_sides = conv.open_sides(stone_row, stone_col)
    open_side = go_controls[2].segmented_control(_("Its last liberty is"), open_sides, default=open_sides[0],
                                                 format_func=_, key="go-side") or open_sides[0]
    board = conv.atari_position(stone_row, stone_col, open_side)
    capture = conv.capture_map(board)
    pooled = conv.max_pool_same(capture)
    move = conv.capture_point(stone_row, stone_col, open_side)
    found = [tuple(int(value) for value in point) for point in np.argwhere(capture > 0)]
    twins = conv.pooled_twins(move)
    pooled_cell = (move[0] // 2, move[1] // 2)
    go_charts = st.columns(3)
    go_charts[0].altair_chart(localized_chart(go_board_chart(board, found, _("Red: the move found"), size=210)),
                              width="content")
    go_charts[1].altair_chart(localized_chart(image_heatmap(
        capture, _("Pattern output, {rows}×{cols}").format(rows=capture.shape[0], cols=capture.shape[1]),
        scheme="reds", size=190, value_title=_("Match"))), width="content")
    go_charts[2].altair_chart(localized_chart(image_heatmap(
        pooled, _("After 2×2 max pooling, {rows}×{cols}").format(rows=pooled.shape[0], cols=pooled.shape[1]),
        scheme="reds", size=190, value_title=_("Match"))), width="content")
    st.markdown(prose("alphago-pooled", row=found[0][0], col=found[0][1], pooled_row=pooled_cell[0],
                      pooled_col=pooled_cell[1], points=len(twins) + 1,
                      twins=_(", ").join(f"({row}, {col})" for row, col in twins)))
    st.caption(prose("receptive-field", field=conv.receptive_field()))

slide_the_kernel()
front = conv.conv_pool_flatten(conv.X_IMAGE, list(conv.KERNELS.values()))
two_kernels_then_pooling(front)
what_pooling_keeps(front)
parameter_counts()
alphago_board()
quiz(conv.QUESTIONS, key="convolution")
corrections(conv.CORRECTIONS)
next_steps("views/lessons/cnn_features.py", "views/tasks/mnist.py")
