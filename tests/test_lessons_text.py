"""The lessons' sentences checked against their own demos (issue 17): every number a sentence quotes
is recomputed here with the demo's code, and every conclusion that depends on a run is chosen by a
function tested both ways."""

from __future__ import annotations

import numpy as np
import pytest

from lessons import autoencoders as ae
from lessons import backprop, gcn, limits, neuron
from lessons import comparison as cmp
from lessons import convolution as conv
from lessons import embeddings as emb
from lessons import gradients as grads
from lessons import lstm_gru as cells
from lessons import part2_quiz_models as models_quiz
from lessons import part2_quiz_networks as networks_quiz
from lessons.toy_data import make_dataset


def answer(question):
    return question.options[question.answer]


# ---- lesson 2: the best line ---------------------------------------------------------------------

@pytest.mark.parametrize(("dataset", "best"), [("XOR", 0.79), ("circles", 0.69), ("two moons", 0.90)])
def test_best_line_on_the_pages_data(dataset, best):
    features, labels = make_dataset(dataset, count=200, seed=0)  # what the hand-set neuron shows
    assert neuron.best_line_accuracy(features, labels) == pytest.approx(best)


def test_best_line_is_at_least_as_good_as_any_line_of_a_dense_sweep():
    features, labels = make_dataset("circles", count=60, seed=3)
    exact = neuron.best_line_accuracy(features, labels)
    best_swept = 0.0
    for angle in np.linspace(0, np.pi, 181):
        normal = np.array([np.cos(angle), np.sin(angle)])
        projections = features @ normal
        for offset in np.linspace(projections.min() - 0.01, projections.max() + 0.01, 121):
            said = (projections > offset).astype(float)
            best_swept = max(best_swept, neuron.accuracy(said, labels), neuron.accuracy(1 - said, labels))
    assert best_swept <= exact + 1e-9 and exact - best_swept <= 2 / 60  # the sweep nearly reaches it


def test_best_line_separates_separable_data_and_rejects_bad_shapes():
    points = np.array([[0, 0], [1, 0], [0, 1], [3, 3], [4, 3], [3, 4]], dtype=float)
    assert neuron.best_line_accuracy(points, np.array([0, 0, 0, 1, 1, 1])) == 1.0
    with pytest.raises(ValueError, match="points"):
        neuron.best_line_accuracy(points[:, :1], np.zeros(6))


# ---- lesson 5: plateaus, not poor minima -----------------------------------------------------------

def test_unsolved_xor_starts_are_on_a_plateau_still_falling_as_weights_grow():
    results = backprop.initialisation_experiment(list(range(8)), steps=backprop.EXPERIMENT_STEPS)
    fall = f"loss fall, last {backprop.PLATEAU_WINDOW} steps"
    unsolved = [row for row in results[1:] if not row["XOR solved"]]
    assert unsolved and all(row[fall] > 0 for row in unsolved)
    for row in unsolved:
        seed = int(row["start"].split()[-1])
        short, _ = backprop.train(backprop.random_parameters(seed), backprop.XOR_INPUTS, backprop.XOR_TARGETS,
                                  2.0, backprop.EXPERIMENT_STEPS)
        longer, losses = backprop.train(backprop.random_parameters(seed), backprop.XOR_INPUTS,
                                        backprop.XOR_TARGETS, 2.0, 2 * backprop.EXPERIMENT_STEPS)
        largest = [max(np.abs(value).max() for value in params.as_dict().values()) for params in (short, longer)]
        assert losses[-1] < row["final loss"] and largest[1] > largest[0]
    sentence = backprop.plateau_sentence(8, [row[fall] for row in unsolved])
    assert f"{len(unsolved)} of the 8" in sentence and "plateau" in sentence and "minimum" in sentence
    assert "no longer falls" in backprop.plateau_sentence(8, [0.01, 0.0])
    assert backprop.plateau_sentence(8, []).startswith("All 8")


# ---- lesson 9: pooling's invariance ----------------------------------------------------------------

def test_a_one_pixel_move_changes_two_to_six_of_the_eight_pooled_values():
    kernels = list(conv.KERNELS.values())
    moves = conv.pooled_changes_after_moves(conv.X_IMAGE, kernels)
    front = conv.conv_pool_flatten(conv.X_IMAGE, kernels)
    for way, (down, right) in conv.ONE_PIXEL_MOVES.items():  # the page's own shift sliders
        moved = conv.conv_pool_flatten(conv.shift(conv.X_IMAGE, down, right), kernels)
        assert moves[way] == int(np.sum(moved["pooled"] != front["pooled"]))
    assert moves == {"down": 6, "up": 3, "right": 5, "left": 2} and front["pooled"].size == 8
    assert networks_quiz.POOLED_VALUES == 8
    invariance = next(item for item in networks_quiz.CONVOLUTION_CORRECTIONS if "invariant" in item.claim)
    assert "changes 2 to 6 of the 8 pooled values" in invariance.correction


# ---- lesson 12: the memory cell and the forget bias ------------------------------------------------

def test_a_write_adds_to_the_memory_while_the_forget_gate_is_open():
    writes = cells.memory_writes()
    for write in writes:
        assert write["after"] == pytest.approx(write["before"] + write["value"], abs=1e-3)
    added = next(write for write in writes if abs(write["before"]) > 0.5)  # the page's example
    assert (added["step"], round(added["before"]), round(added["after"])) == (4, 3, 7)


def test_a_forget_bias_of_one_gives_about_073_not_one():
    weights = cells.random_lstm(2, 4, seed=0, scale=0.0, forget_bias=1.0)  # nothing but the bias
    step = cells.lstm_step(np.zeros(2), np.zeros(4), np.zeros(4), weights)
    assert step["f"] == pytest.approx(np.full(4, 0.7311), abs=1e-4)
    demo = grads.lstm_forget_gates(60, gain=0.8, forget_bias=1.0)  # the chart's default LSTM
    assert demo.shape == (60, 32) and abs(demo.mean() - 0.73) < 0.02


# ---- lesson 13: He initialisation, tanh, one unit vs 32, the cliff -----------------------------------

def test_narrow_relu_network_has_a_dead_layer_and_no_gradient():
    x, y = grads.regression_batch()
    narrow = grads.init_mlp(12, 4, x.shape[1], "he")  # the page's defaults with the slider at 4 units
    assert grads.first_dead_layer(narrow, x) == 12
    norms = grads.layer_gradient_norms(narrow, x, y, "relu")
    assert np.all(norms == 0)
    assert grads.first_dead_layer(grads.init_mlp(12, 32, x.shape[1], "he"), x) is None


def test_tanh_bounds_the_states_but_not_their_sensitivity():
    growth = grads.rnn_sensitivity(60, gain=2.0, activation="tanh")
    assert (round(growth[0], 1), round(growth[29]), round(growth[59])) == (3.5, 79, 227)
    assert np.all(np.diff(growth[[0, 29, 59]]) > 0)
    states = grads.rnn_states(grads.recurrent_inputs(60), gain=2.0)
    assert np.abs(states).max() <= 1.0


def test_one_unit_shrinks_by_08_per_step_the_32_unit_demo_by_its_spectral_radius():
    question = networks_quiz.VANISHING_QUESTIONS[4]
    assert answer(question) == f"0.8⁴⁹ ≈ {0.8 ** 49:.1e} times as big"
    single = grads.rnn_sensitivity(50, units=1, gain=0.8, activation="linear")
    _, recurrent = grads.rnn_weights(1, 0.8)
    assert single[49] / single[0] == pytest.approx(abs(recurrent[0, 0]) ** 49)  # one unit: w^49 exactly
    demo = grads.rnn_sensitivity(60, gain=0.8, activation="linear")
    assert demo[49] / demo[0] == pytest.approx(1.3e-3, rel=0.05)
    assert "1.3e-03" in question.explanation
    radius = grads.spectral_radius(grads.rnn_weights(32, 0.8)[1])
    assert demo[59] / demo[58] == pytest.approx(radius, rel=0.01) and f"{radius:.2f}" in question.explanation


def test_unclipped_descent_overflows_and_ends_in_nan():
    run = grads.unclipped_cliff_run()
    path = grads.descend(list(grads.CLIFF_START), grads.CLIFF_LEARNING_RATE, grads.CLIFF_STEPS, "none")
    losses = np.array([grads.cliff_loss(point) for point in path])
    assert run["overflow step"] == int(np.argmin(np.isfinite(losses))) == 5 and run["ends in NaN"]
    assert grads.overflow_step(grads.descend(list(grads.CLIFF_START), 0.1, 60, "norm", 5.0)) is None
    exploding = next(item for item in networks_quiz.VANISHING_CORRECTIONS if "严重" in item.claim)
    assert "overflows at step 5" in exploding.correction


# ---- lesson 15: the autoencoder's conclusions --------------------------------------------------------

def test_greyness_is_zero_for_black_and_white_and_one_for_mid_grey():
    assert ae.greyness(np.array([[0.0, 1.0, 1.0, 0.0]])) == 0.0
    assert ae.greyness(np.full((2, 4), 0.5)) == 1.0
    with pytest.raises(ValueError):
        ae.greyness(np.zeros((0, 4)))


def test_decoder_verdict_follows_the_measured_greyness():
    crisp = np.tile([0.0, 0.02, 0.98, 1.0], (5, 196))
    grey = np.full((5, 784), 0.45)
    assert "blurry blends, not digits" in ae.decoder_verdict(crisp, grey)
    assert "about as crisply" in ae.decoder_verdict(crisp, crisp)


def test_code_space_verdict_follows_the_nearest_neighbours():
    rng = np.random.default_rng(0)
    labels = np.repeat(np.arange(10), 30)
    clustered = rng.normal(size=(300, 2)) * 0.1 + np.stack([labels, labels ** 2], axis=1)
    mixed = rng.normal(size=(300, 2))
    agreement, _ = ae.nearest_neighbour_agreement(clustered, labels)
    assert agreement == 1.0 and "land close together" in ae.code_space_verdict(clustered, labels)
    assert "does not sort the digits" in ae.code_space_verdict(mixed, labels)
    partly = np.where(np.arange(300)[:, None] % 3 == 0, clustered, mixed)  # a third clustered, the rest noise
    assert "only partly" in ae.code_space_verdict(partly, labels)
    share, pair = ae.nearest_neighbour_agreement(np.array([[0.0, 0], [0, 1], [5, 5], [5, 6]]), np.array([4, 9, 4, 9]))
    assert share == 0.0 and pair == (4, 9)


# ---- lesson 14: the correlation table's conclusion ---------------------------------------------------

def test_correlation_verdict_names_what_the_inner_product_follows():
    pmi_wins = {"count-based": {"raw count": 0.05, "log count": 0.3, "PMI": 0.6}}
    raw_wins = {"prediction-based": {"raw count": 0.7, "log count": 0.5, "PMI": 0.2}}
    assert "follows the PMI, not how often" in emb.correlation_verdict(pmi_wins)
    assert "raw count best" in emb.correlation_verdict(raw_wins)
    assert "none of the three" in emb.correlation_verdict({"x": {"raw count": 0.0, "log count": 0.05, "PMI": -0.1}})
    both = emb.correlation_verdict(pmi_wins | raw_wins)
    assert "count-based" in both and "prediction-based" in both


# ---- lesson 17: GCN wording and what the benchmark shows ---------------------------------------------

def test_self_loops_in_the_file_give_weight_two_and_rows_need_not_sum_to_one():
    adjacency = np.array([[1.0, 0.5, 0.0], [0.5, 1.0, 0.2], [0.0, 0.2, 1.0]])  # ones on the diagonal, like los_adj
    facts = gcn.propagation_summary(adjacency)
    propagation = gcn.normalized_adjacency(adjacency)
    assert facts["file self-loops"] == 1.0 and facts["self weight"] == 2.0
    assert facts["row sum min"] == pytest.approx(propagation.sum(axis=1).min())
    assert facts["row sum max"] == pytest.approx(propagation.sum(axis=1).max()) and facts["row sum max"] > 1.0
    assert gcn.propagation_summary(adjacency - np.eye(3))["file self-loops"] == 0.0


SHIPPED = cmp.benchmark_scores("traffic")


@pytest.mark.skipif(not SHIPPED, reason="the traffic benchmark has not been run")
def test_traffic_sentences_quote_the_shipped_benchmark():
    findings = cmp.traffic_findings(SHIPPED)
    assert SHIPPED["gcn"] > SHIPPED["persistence"] and SHIPPED["lstm"] > SHIPPED["dnn"]
    assert "worse than simply repeating" in findings["gcn"]
    assert f"{SHIPPED['gcn']:.2f}" in findings["gcn"] and f"{SHIPPED['persistence']:.2f}" in findings["gcn"]
    assert "trails the per-sensor DNN" in findings["lstm"] and f"{SHIPPED['lstm']:.2f}" in findings["lstm"]
    assert "is the best model" in findings["gcn_gru"]
    assert findings["gcn"] in answer(models_quiz.GCN_QUESTIONS[3]) or findings["gcn"] in \
        models_quiz.GCN_QUESTIONS[3].explanation


@pytest.mark.skipif(not SHIPPED, reason="the traffic benchmark has not been run")
def test_the_gcn_question_agrees_with_the_benchmark():
    from reference import results as bench_results

    rows = {row["arch"]: row for row in bench_results.load("accuracy_traffic")["rows"]}
    learned = {arch: row["params"] for arch, row in rows.items() if row["params"]}
    assert max(learned, key=learned.get) == "gcn"  # so "it is the smallest model" is wrong
    assert "the most weights" in models_quiz.GCN_QUESTIONS[3].explanation


def test_traffic_findings_change_with_the_numbers():
    flipped = {"persistence": 3.6, "dnn": 3.4, "lstm": 3.1, "gcn": 3.0, "gcn_gru": 3.5, "cnn": 3.3}
    findings = cmp.traffic_findings(flipped)
    assert "beats the per-sensor DNN" in findings["gcn"] and "reading the steps in order pays" in findings["lstm"]
    assert "does not beat lstm" in findings["gcn_gru"]
    middle = cmp.traffic_findings({"persistence": 3.6, "dnn": 3.2, "gcn": 3.4})
    assert "beats persistence" in middle["gcn"] and "lstm" not in middle
    assert cmp.traffic_findings({}) == {}


@pytest.mark.parametrize("task", ["mnist", "imdb", "traffic"])
def test_every_claim_of_the_comparison_holds_in_the_shipped_benchmark(task):
    scores = cmp.benchmark_scores(task)
    if not scores:
        pytest.skip(f"the {task} benchmark has not been run")
    runs = [{"run_id": arch, "task": task, "arch": arch, "status": "finished",
             "metrics": {cmp.headline_metric(task)[0]: value}} for arch, value in scores.items()]
    for row in cmp.check_claims(runs):
        if row["task"] == task:
            assert row["verdict"] == "holds", (row["claim"], row["evidence"])


def test_benchmark_scores_read_a_results_file():
    results = {"rows": [{"task": "traffic", "arch": "gcn", "mae_15": {"mean": 5.5, "std": 0.1}},
                        {"task": "traffic", "arch": "dnn", "mae_15": {"mean": 3.2, "std": 0.0}},
                        {"task": "mnist", "arch": "cnn", "accuracy": {"mean": 0.99, "std": 0.0}}]}
    assert cmp.benchmark_scores("traffic", results) == {"gcn": 5.5, "dnn": 3.2}
    assert cmp.benchmark_scores("imdb", {"rows": []}) == {}


# ---- lesson 19: the attack's conclusion ----------------------------------------------------------------

def attack(levels, noise_class, original=7):
    blank = np.zeros((28, 28))
    return limits.Attack(original, original, 0.99, levels, None if levels is None else levels / 255, blank, 3, 0.6,
                         noise_class, blank)


def test_attack_summary_follows_what_random_noise_did():
    direction = limits.attack_summary(attack(20, noise_class=7))
    assert "leave the prediction at **7**" in direction and "direction" in direction and "19/255" in direction
    undirected = limits.attack_summary(attack(60, noise_class=1))
    assert "flip it too (to **1**)" in undirected and "try another" in undirected
    assert f"needed {20 / 255 / limits.IMAGENET_EPSILON:.0f} times that" in direction
    tiny = limits.attack_summary(attack(1, noise_class=7))
    assert "the unchanged image still gives 7" in tiny and "no more than that" in tiny
    with pytest.raises(ValueError):
        limits.attack_summary(attack(None, noise_class=None))
