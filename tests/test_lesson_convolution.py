"""Lesson 9. Convolution and pooling: lessons/convolution.py against NumPy and Keras, the numbers its text and
quiz quote, and its page views/lessons/convolution.py run in AppTest."""

from __future__ import annotations

import numpy as np
import pytest

from lessons import convolution as conv
from tests.pages import captions, charts_plotting, markdown_text, open_page, quiz_radios, rerun

# ---- its math against NumPy and Keras --------------------------------------------------------------


# Note 004's hand-computed feature maps, typed in here only as the oracle.
NOTES_MAP_1 = [[3, -1, -3, -1], [-3, 1, 0, -3], [-3, -3, 0, 1], [3, -2, -2, -1]]


NOTES_MAP_2 = [[-1, -1, -1, -1], [-1, -1, -2, 1], [-1, -1, -2, 1], [-1, 0, -4, 3]]


def test_feature_maps_equal_the_notes_numbers():
    np.testing.assert_array_equal(conv.feature_map(conv.X_IMAGE, conv.KERNEL_1), NOTES_MAP_1)
    np.testing.assert_array_equal(conv.feature_map(conv.X_IMAGE, conv.KERNEL_2), NOTES_MAP_2)
    first_row = [window.value for window in conv.windows(conv.X_IMAGE, conv.KERNEL_1)[:2]]
    assert first_row == [3, -1]  # the two dot products note 004 draws at stride 1
    stride_two = conv.feature_map(conv.X_IMAGE, conv.KERNEL_1, stride=2)
    assert stride_two.shape == (2, 2) and stride_two[0].tolist() == [3, -3]


def test_pooling_gives_the_notes_2x2_image():
    front = conv.conv_pool_flatten(conv.X_IMAGE, [conv.KERNEL_1, conv.KERNEL_2])
    # Note 004 draws kernel 2's pooled map: -1 1 / 0 3.
    np.testing.assert_array_equal(front["pooled"][..., 1], [[-1, 1], [0, 3]])
    assert front["flat"].shape == (8,)


def test_numpy_convolution_pooling_and_flatten_match_keras():
    import keras

    image = conv.X_IMAGE[None, :, :, None]  # (batch, height, width, channels)
    kernels = np.stack([conv.KERNEL_1, conv.KERNEL_2], axis=-1)[:, :, None, :]  # (3, 3, in, out)
    for stride in (1, 2):
        expected = keras.ops.convert_to_numpy(keras.ops.conv(image, kernels, strides=stride, padding="valid"))
        ours = np.stack([conv.feature_map(conv.X_IMAGE, kernel, stride=stride)
                         for kernel in (conv.KERNEL_1, conv.KERNEL_2)], axis=-1)
        np.testing.assert_array_equal(ours, expected[0])
    maps = keras.ops.conv(image, kernels, padding="valid")
    pooled = keras.layers.MaxPooling2D(pool_size=2)(maps)
    flat = keras.ops.convert_to_numpy(keras.layers.Flatten()(pooled))[0]
    front = conv.conv_pool_flatten(conv.X_IMAGE, [conv.KERNEL_1, conv.KERNEL_2])
    np.testing.assert_array_equal(front["pooled"], keras.ops.convert_to_numpy(pooled)[0])
    np.testing.assert_array_equal(front["flat"], flat)
    averaged = keras.layers.AveragePooling2D(pool_size=2)(maps)
    np.testing.assert_allclose(conv.average_pool(front["maps"][..., 0]),
                               keras.ops.convert_to_numpy(averaged)[0, ..., 0], rtol=1e-6)


def test_random_images_and_odd_sizes_match_keras_conv():
    import keras

    rng = np.random.default_rng(3)
    image = rng.normal(size=(7, 9)).astype("float32")
    kernel = rng.normal(size=(2, 4)).astype("float32")
    for stride in (1, 2, 3):
        expected = keras.ops.conv(image[None, :, :, None], kernel[:, :, None, None], strides=stride)
        np.testing.assert_allclose(conv.feature_map(image, kernel, stride),
                                   keras.ops.convert_to_numpy(expected)[0, ..., 0], rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(conv.max_pool(image, 2),
                                  keras.ops.convert_to_numpy(keras.layers.MaxPooling2D(2)(
                                      image[None, :, :, None]))[0, ..., 0])


def test_parameter_counts_match_keras_layers():
    import keras

    counts = conv.parameter_comparison(6, 6, 1, 3, 2)
    conv_layer = keras.layers.Conv2D(2, 3)
    conv_layer.build((None, 6, 6, 1))
    dense_layer = keras.layers.Dense(counts["outputs"])
    dense_layer.build((None, counts["inputs"]))
    assert counts["conv"] == conv_layer.count_params() == 20
    assert counts["dense"] == dense_layer.count_params()
    rgb = keras.layers.Conv2D(1, 3, use_bias=False)
    rgb.build((None, 8, 8, 3))
    assert conv.conv_parameters(3, 3, 3, 1, bias=False) == rgb.count_params() == 27


def test_convolution_is_a_sparse_shared_dense_layer():
    matrix = conv.conv_as_dense_matrix((6, 6), conv.KERNEL_2)
    np.testing.assert_array_equal(conv.X_IMAGE.reshape(-1) @ matrix, np.ravel(NOTES_MAP_2))
    assert np.count_nonzero(matrix) == 16 * 9  # each of the 16 outputs sees only 9 of the 36 pixels
    for output in range(16):  # ... always through the same 9 shared weights
        column = matrix[:, output].reshape(6, 6)  # (height, width)
        row, col = divmod(output, 4)
        np.testing.assert_array_equal(column[row:row + 3, col:col + 3], conv.KERNEL_2)


def test_pooling_forgets_positions_inside_windows_but_not_across():
    feature = conv.feature_map(conv.X_IMAGE, conv.KERNEL_1)
    shuffled = conv.scramble_within_windows(feature, seed=5)
    assert not np.array_equal(shuffled, feature)
    np.testing.assert_array_equal(conv.max_pool(shuffled), conv.max_pool(feature))
    moved = conv.shift(conv.X_IMAGE, 0, 1)
    assert moved[0, 1] == 1 and moved[:, 0].sum() == 0 and moved.sum() == conv.X_IMAGE[:, :5].sum()


def test_bad_shapes_raise_helpful_errors():
    with pytest.raises(ValueError, match="2-D"):
        conv.feature_map(np.zeros((2, 3, 3)), conv.KERNEL_1)
    with pytest.raises(ValueError, match="does not fit"):
        conv.feature_map(np.zeros((2, 2)), conv.KERNEL_1)
    with pytest.raises(ValueError, match="stride"):
        conv.windows(conv.X_IMAGE, conv.KERNEL_1, stride=0)


def test_capture_pattern_is_a_keras_convolution(keras):
    board = conv.atari_position(7, 4, "up")
    padded = conv.padded_planes(board)
    expected = keras.ops.conv(padded[None], conv.capture_kernels(), strides=1, padding="valid")
    np.testing.assert_allclose(conv.correlate(padded, conv.capture_kernels()),
                               keras.ops.convert_to_numpy(expected)[0], atol=1e-5)
    assert conv.capture_kernels().shape == (5, 5, 3, 4)


def liberties(board, row, col):
    """Empty neighbours of one stone, counted by the rules of Go (the edge is no liberty)."""
    return sum(1 for down, right in conv.DIRECTIONS.values()
               if 0 <= row + down < conv.SIZE and 0 <= col + right < conv.SIZE
               and board[row + down, col + right] == conv.EMPTY)


@pytest.mark.parametrize("row, col, side", [(9, 9, "left"), (0, 0, "right"), (18, 5, "up"), (3, 18, "down")])
def test_capture_map_marks_exactly_the_capturing_move(row, col, side):
    board = conv.atari_position(row, col, side)
    assert liberties(board, row, col) == 1
    found = np.argwhere(conv.capture_map(board) > 0)
    point = conv.capture_point(row, col, side)
    assert [tuple(hit) for hit in found] == [point]
    board[point] = conv.BLACK  # play it: the white stone has no liberty left
    assert liberties(board, row, col) == 0
    assert conv.capture_map(conv.empty_board()).sum() == 0


def test_pooling_matches_keras_and_merges_four_different_answers(keras):
    grid = np.random.default_rng(2).normal(size=(19, 19)).astype(np.float32)
    expected = keras.ops.max_pool(grid[None, :, :, None], pool_size=2, strides=2, padding="same")
    np.testing.assert_allclose(conv.max_pool_same(grid), keras.ops.convert_to_numpy(expected)[0, :, :, 0])
    first = conv.capture_map(conv.atari_position(6, 5, "right"))  # capture at (6, 6)
    second = conv.capture_map(conv.atari_position(6, 8, "left"))  # capture at (6, 7)
    assert conv.pooled_twins((6, 6)) == [(6, 7), (7, 6), (7, 7)]
    assert not np.array_equal(first, second)
    np.testing.assert_array_equal(conv.max_pool_same(first), conv.max_pool_same(second))


def test_receptive_field_of_the_policy_network_covers_the_board(tf, keras):
    size = 41
    inputs = keras.Input(shape=(size, size, 1))
    x = inputs
    for kernel in conv.ALPHAGO_KERNELS:
        x = keras.layers.Conv2D(1, kernel, padding="same", kernel_initializer="ones", use_bias=False)(x)
    model = keras.Model(inputs, x)
    image = tf.Variable(np.ones((1, size, size, 1), np.float32) * 1e-6)
    with tf.GradientTape() as tape:
        centre = model(image)[0, size // 2, size // 2, 0]
    seen = np.flatnonzero(np.abs(tape.gradient(centre, image).numpy()[0, size // 2, :, 0]) > 0)
    assert len(seen) == conv.receptive_field() == 27 >= conv.SIZE


def test_the_alphago_question_quotes_the_receptive_field():
    assert conv.QUESTIONS[6].right_option == f"{conv.receptive_field()} points"


# ---- the numbers its text quotes, checked against its own demos ------------------------------------


def test_a_one_pixel_move_changes_two_to_six_of_the_eight_pooled_values():
    kernels = list(conv.KERNELS.values())
    moves = conv.pooled_changes_after_moves(conv.X_IMAGE, kernels)
    front = conv.conv_pool_flatten(conv.X_IMAGE, kernels)
    for way, (down, right) in conv.ONE_PIXEL_MOVES.items():  # the page's own shift sliders
        moved = conv.conv_pool_flatten(conv.shift(conv.X_IMAGE, down, right), kernels)
        assert moves[way] == int(np.sum(moved["pooled"] != front["pooled"]))
    assert moves == {"down": 6, "up": 3, "right": 5, "left": 2} and front["pooled"].size == 8
    assert conv.POOLED_VALUES == 8
    invariance = next(item for item in conv.CORRECTIONS if "invariant" in item.claim)
    assert "changes 2 to 6 of the 8 pooled values" in invariance.correction


# ---- the page --------------------------------------------------------------------------------------


def test_convolution_page_steps_through_the_kernel_and_pools():
    app = open_page("views/lessons/convolution.py")
    assert "Dot product:" in markdown_text(app) and "= **3**" in markdown_text(app)
    assert charts_plotting(app, "row", "col", "value", "label")  # the image, kernels and maps as grids
    assert len(quiz_radios(app)) == len(conv.QUESTIONS) and len(app.expander) == 1  # quiz and corrections
    app.segmented_control[0].set_value(2).run()
    assert app.slider[0].max == 4
    app.slider[0].set_value(2).run()
    assert "= **-3**" in markdown_text(app)
    app.slider[1].set_value(1).run()  # move the image down one pixel
    assert "pooled values that changed: **6 of 8**" in markdown_text(app)
    assert "changes 6 (down), 3 (up), 5 (right), 2 (left) of the 8 pooled values" in markdown_text(app)
    quiz_radios(app)[0].set_value(0).run()  # the notes' wrong answer
    assert app.error and "course notes marked this differently" in app.info[0].value
    assert not app.exception


def test_alphago_section_marks_the_move_and_shows_what_pooling_merges():
    app = open_page("views/lessons/convolution.py")
    row, col = conv.capture_point(9, 4, "up")
    assert f"**row {row}, column {col}**" in markdown_text(app) and "it stands for 4 points" in markdown_text(app)
    rerun(app.slider(key="go-row").set_value(0))
    rerun(app.slider(key="go-col").set_value(0))
    assert app.segmented_control(key="go-side").options == ["down", "right"]
    rerun(app.segmented_control(key="go-side").set_value("right"))
    assert "**row 0, column 1**" in markdown_text(app) and "(0, 0), (1, 0), (1, 1)" in markdown_text(app)
    assert f"{conv.receptive_field()} points after AlphaGo's 13 layers" in captions(app)
