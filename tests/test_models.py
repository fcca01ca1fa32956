"""Builders: every architecture builds, has the right input/output shapes and parameter counts."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from models.registry import ARCHITECTURES, TASKS, architecture, build, count_params

EXPECTED = {
    "mnist": ["dnn", "cnn", "cnn_bn"],
    "imdb": ["nbsvm", "bag_of_embeddings", "simple_rnn", "lstm", "gru", "bilstm", "conv1d", "attention"],
    "traffic": ["persistence", "historical_average", "dnn", "cnn", "lstm", "gcn", "gcn_gru", "gcn_embed"],
}


def test_registry_names_and_recipes():
    assert {task: list(archs) for task, archs in ARCHITECTURES.items()} == EXPECTED
    assert set(TASKS) == set(EXPECTED)
    for task, archs in ARCHITECTURES.items():
        for name, info in archs.items():
            assert (info.task, info.name) == (task, name)
            assert info.description and info.description[-1] == "."
            assert info.learned == (info.builder is not None)
            if info.learned:
                for recipe in (info.default_recipe, info.quick_recipe):
                    assert recipe.epochs >= 1 and recipe.batch_size >= 1 and recipe.learning_rate > 0
                assert info.quick_recipe.epochs <= info.default_recipe.epochs


def test_unknown_names_list_the_valid_ones():
    with pytest.raises(ValueError, match="mnist, imdb, traffic"):
        architecture("cifar", "cnn")
    with pytest.raises(ValueError, match="dnn, cnn, cnn_bn"):
        architecture("mnist", "resnet")


def test_registry_does_not_import_keras():
    code = "import sys, models.registry; print('keras' in sys.modules or 'tensorflow' in sys.modules)"
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert output.stdout.strip() == "False"


def test_mnist_builders_shapes_and_counts():
    images = np.random.default_rng(0).random((2, 28, 28, 1)).astype(np.float32)
    for name in EXPECTED["mnist"]:
        model = build(architecture("mnist", name))
        probabilities = np.asarray(model(images))
        assert probabilities.shape == (2, 10)
        np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-5)
    dnn = build(architecture("mnist", "dnn"), {"hidden_units": (32,)})
    assert dnn.count_params() == 784 * 32 + 32 + 32 * 10 + 10
    cnn = build(architecture("mnist", "cnn"))
    assert cnn.count_params() == (9 * 32 + 32) + (9 * 32 * 64 + 64) + (1600 * 128 + 128) + (128 * 10 + 10)


def test_the_modern_cnn_shifts_digits_while_training_and_scores_them_as_they_are():
    images = np.zeros((64, 28, 28, 1), np.float32)
    images[:, 10:18, 12:16] = 1.0  # a bar in the middle: moved 2.8 pixels or less, still inside
    model = build(architecture("mnist", "cnn_bn"))
    shifted = model.layers[1]
    assert type(shifted).__name__ == "RandomTranslation"
    moved = np.asarray(shifted(images, training=True))
    assert not np.allclose(moved, images) and np.allclose(moved.sum(axis=(1, 2, 3)), images[0].sum(), rtol=0.1)
    np.testing.assert_array_equal(np.asarray(shifted(images, training=False)), images)
    scored = [np.asarray(model.predict(images[:2], verbose=0)) for _ in range(2)]  # as the app scores: no shift
    np.testing.assert_array_equal(*scored)
    unshifted = build(architecture("mnist", "cnn_bn"), {"shift": 0.0})
    assert "RandomTranslation" not in {type(layer).__name__ for layer in unshifted.layers}
    assert unshifted.count_params() == model.count_params()


def test_imdb_builders_take_token_ids():
    tokens = np.random.default_rng(1).integers(0, 50, size=(3, 20)).astype(np.int32)
    for name in EXPECTED["imdb"]:
        sizes = {"sequence_length": 20} if name == "nbsvm" else {"embedding_dim": 8, "sequence_length": 20}
        model = build(architecture("imdb", name), sizes, vocabulary_size=50)
        assert model.inputs[0].shape[1:] == (20,)
        probabilities = np.asarray(model(tokens))
        assert probabilities.shape == (3, 1)
        assert np.all((probabilities > 0) & (probabilities < 1))
    bag = build(architecture("imdb", "bag_of_embeddings"), {"embedding_dim": 8, "sequence_length": 20},
                vocabulary_size=50)
    assert bag.count_params() == 50 * 8 + 8 + 1


def test_traffic_builders_shapes():
    sensors = 5
    adjacency = np.eye(sensors) + np.eye(sensors, k=1) + np.eye(sensors, k=-1)
    windows = np.random.default_rng(2).normal(size=(4, 12, sensors)).astype(np.float32)
    for name in [name for name in EXPECTED["traffic"] if architecture("traffic", name).learned]:
        model = build(architecture("traffic", name), sensors=sensors, adjacency=adjacency)
        assert np.asarray(model(windows)).shape == (4, 12, sensors)


def test_per_node_traffic_models_share_weights_across_sensors():
    # The DNN sees each sensor alone: its parameter count does not depend on the sensor count,
    # and a sensor's forecast does not change when another sensor's history does.
    small = build(architecture("traffic", "dnn"), sensors=3)
    large = build(architecture("traffic", "dnn"), sensors=207)
    assert small.count_params() == large.count_params() == 12 * 128 + 128 + 128 * 128 + 128 + 128 * 12 + 12
    windows = np.random.default_rng(3).normal(size=(1, 12, 3)).astype(np.float32)
    changed = windows.copy()
    changed[0, :, 2] += 5.0
    before, after = np.asarray(small(windows)), np.asarray(small(changed))
    np.testing.assert_allclose(before[..., :2], after[..., :2], rtol=1e-5, atol=1e-6)
    assert not np.allclose(before[..., 2], after[..., 2])


def test_gcn_sees_neighbours_but_not_distant_sensors():
    sensors = 6
    adjacency = np.zeros((sensors, sensors))
    adjacency[0, 1] = adjacency[1, 0] = 1.0
    model = build(architecture("traffic", "gcn"), {"layers_count": 1}, sensors=sensors, adjacency=adjacency)
    windows = np.random.default_rng(4).normal(size=(1, 12, sensors)).astype(np.float32)
    changed = windows.copy()
    changed[0, :, 1] += 5.0
    difference = np.abs(np.asarray(model(changed)) - np.asarray(model(windows))).sum(axis=1)[0]
    assert difference[0] > 0 and difference[1] > 0
    np.testing.assert_allclose(difference[2:], 0.0, atol=1e-6)


def test_count_params_without_data():
    assert count_params("traffic", "persistence") == 0
    assert count_params("mnist", "dnn", hidden_units=(32,)) == 784 * 32 + 32 + 32 * 10 + 10
    assert count_params("imdb", "lstm") > 20_000 * 64  # full-size vocabulary by default


@pytest.mark.parametrize("task, arch, hyperparameters, message", [
    ("mnist", "dnn", {"hidden_units": ()}, "at least one layer"),
    ("mnist", "cnn", {"dropout": 1.5}, "dropout"),
    ("mnist", "cnn_bn", {"width": 0}, "width"),
    ("mnist", "cnn_bn", {"shift": 1.5}, "shift"),
    ("imdb", "lstm", {"units": -3}, "units"),
    ("imdb", "conv1d", {"kernel_size": 500, "sequence_length": 100}, "kernel_size"),
    ("traffic", "cnn", {"kernel_size": 7}, "too long"),
    ("traffic", "gcn_gru", {"units": 2.5}, "units"),
])
def test_builders_reject_bad_hyperparameters(task, arch, hyperparameters, message):
    with pytest.raises(ValueError, match=message):
        count_params(task, arch, **hyperparameters)


def test_traffic_graph_models_check_the_adjacency_shape():
    with pytest.raises(ValueError, match=r"\(4, 4\)"):
        build(architecture("traffic", "gcn"), sensors=4, adjacency=np.eye(3))


def test_the_parameter_table_the_pages_show_matches_the_built_models():
    """Task pages read counts from models/param_counts.json (no TensorFlow on the page); rebuild to check.
    Regenerate with `python -m models.param_table` after changing an architecture."""
    from models.param_table import computed_counts, parameter_counts

    assert parameter_counts() == computed_counts()
