"""The notes' DNN / CNN / RNN / LSTM / GCN comparison table, corrected, and the measured runs
that back (or contradict) its cells. Also parameter counts of one layer of each kind."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from data.registry import DATASETS
from i18n import N_
from lessons.quiz import NOTE_PARTLY, Correction, Question
from models.tasks import TASKS, TRAFFIC_SENSORS

FAMILIES = ("DNN", "CNN", "RNN", "LSTM", "GCN")

# Which architectures of the app belong to which column of the table. GRU and bidirectional
# LSTM are gated recurrent networks, so they sit with the LSTM.
FAMILY_ARCHITECTURES = {
    "DNN": [("mnist", "dnn"), ("imdb", "bag_of_embeddings"), ("traffic", "dnn")],
    "CNN": [("mnist", "cnn"), ("mnist", "cnn_bn"), ("imdb", "conv1d"), ("traffic", "cnn")],
    "RNN": [("imdb", "simple_rnn")],
    "LSTM": [("imdb", "lstm"), ("imdb", "gru"), ("imdb", "bilstm"), ("traffic", "lstm")],
    "GCN": [("traffic", "gcn"), ("traffic", "gcn_gru"), ("traffic", "gcn_embed")],
}


@dataclass(frozen=True)
class Row:
    family: str
    application: str
    strengths: str
    weaknesses: str
    suitable_data: str
    notes_said: str  # the notes' (OCR-scrambled) cells, translated, for comparison


TABLE = [
    Row("DNN",
        N_("Fixed-size feature vectors (tabular data); the classifier head on top of CNN or RNN "
           "features; a baseline for anything."),
        N_("General: one hidden layer can approximate any continuous function, more layers do it "
           "with fewer units. Simple and fast for small inputs; assumes nothing about the input."),
        N_("Weights grow with the input size (784 x units for a 28x28 image) and overfit; ignores "
           "order and neighbourhood: a flattened image or sensor vector loses its structure. Deep "
           "sigmoid stacks suffer vanishing gradients (ReLU, good initialisation and normalisation "
           "largely fix it); saddle points and plateaus, more than bad local minima, slow training."),
        N_("Vectors whose features have no spatial or temporal order that matters."),
        N_("application: speech, images, natural language; strength: 'learns fast compared with "
           "shallow networks'; weakness: parameter explosion; data: (cell unreadable)")),
    Row("CNN",
        N_("Images and video; also spectrograms (speech) and text, with 1-D convolutions."),
        N_("Local connections and shared kernels: few parameters, the same detector everywhere "
           "(translation equivariance); pooling adds some tolerance to small shifts."),
        N_("Needs grid-structured data (pixels, time steps); no built-in rotation or scale "
           "invariance; pooling discards exact positions; sees only a local window per layer, so "
           "long-range context needs depth. Vanishing gradients are a problem of any deep net, not a "
           "CNN weakness: ReLU, batch normalisation and residual connections train 100+ layers."),
        N_("Grids with local patterns: images, spectrograms, fixed-length sequences."),
        N_("application: image processing, recognition, classification; strengths: shared "
           "parameters, fewer of them, easier to train, less overfitting; weakness: 'deep models "
           "easily get vanishing gradients'; data: local patterns, images")),
    Row("RNN",
        N_("Short sequences: tagging words (slot filling), small time series, character models."),
        N_("Takes the order into account; one set of weights for every step, so any sequence length "
           "works with a fixed number of parameters."),
        N_("Vanishing and exploding gradients through time, so it forgets after a few dozen steps; "
           "steps run one after another (slow, hard to parallelise)."),
        N_("Sequences where recent context matters most."),
        N_("application: 'the first choice for time series', language, speech; strength: models "
           "temporal relations; weakness: vanishing and exploding gradients; data: sequences with "
           "context")),
    Row("LSTM",
        N_("Long sequences: text classification and translation, speech, forecasting (with GRU and "
           "bidirectional variants)."),
        N_("Gates and an additive cell state keep information over hundreds of steps: it eases "
           "vanishing gradients (it does not abolish them)."),
        N_("About 4x the weights and compute of a simple RNN; still sequential; exploding gradients "
           "remain, so training uses gradient clipping. Transformers and temporal CNNs now often "
           "beat it on long texts."),
        N_("Sequences with long-range dependencies."),
        N_("(the whole column is empty in the notes' table)")),
    Row("GCN",
        N_("Graphs: node classification (citation networks), link prediction, molecules; with a "
           "recurrent part, traffic on a road graph (T-GCN, DCRNN)."),
        N_("Uses the edges: each layer mixes a node with its neighbours, one hop further per layer, "
           "with weights shared by all nodes (any number of neighbours)."),
        N_("Needs a graph to be given or built; the original spectral GCN is transductive (all "
           "nodes in training), though inductive variants such as GraphSAGE embed new nodes; many "
           "layers over-smooth (every node looks alike); each layer averages a node with its "
           "neighbours, which on traffic blurs each sensor's own latest reading (the app's GCN alone "
           "is worse than repeating the last reading; T-GCN keeps the node's own state apart and adds "
           "a GRU). Not the best on every graph dataset."),
        N_("Nodes with features linked by a graph (road networks, molecules, social networks)."),
        N_("application: graph node data; strength: 'very good on topological nodes and graphs'; "
           "weakness: transductive, cannot embed new nodes quickly; data: data with topology")),
]

# Claims from the table that a stored run can confirm: (family, claim, task, better arch,
# worse arch). The first architecture should beat the second on the task's headline metric.
CLAIMS = [
    ("DNN", N_("Flattening the image loses structure: a CNN beats the DNN."), "mnist", "cnn", "dnn"),
    ("CNN", N_("A small modern CNN (batch norm) beats the classic CNN."), "mnist", "cnn_bn", "cnn"),
    ("RNN", N_("A simple RNN forgets over long reviews: the LSTM beats it."), "imdb", "lstm", "simple_rnn"),
    ("LSTM", N_("Twelve 5-minute steps are short: on traffic a per-sensor DNN, which sees all twelve at once, "
                "beats the LSTM, which reads them in order."), "traffic", "dnn", "lstm"),
    ("GCN", N_("Averaging each sensor with its neighbours blurs its own latest reading: repeating the last "
               "reading (persistence) beats a GCN alone."), "traffic", "persistence", "gcn"),
    ("GCN", N_("Graph and time together: GCN + GRU beats the GCN."), "traffic", "gcn_gru", "gcn"),
    ("GCN", N_("Each sensor's own learned vector plus its neighbours over the road graph: the graph model "
               "with node embeddings beats the per-sensor DNN."), "traffic", "gcn_embed", "dnn"),
]
# What the page shows of a run and a claim, marked for the catalog; the functions below take a
# `gettext` that translates them (the default keeps them English, as the tests and the CLI read them).
DATASET_TITLES = (N_("MNIST"), N_("IMDB reviews"), N_("METR-LA week"))  # data.registry titles, shown in lines
VERDICTS = {"holds": N_("holds"), "fails": N_("does not hold in your runs"), "missing": N_("not measured")}
GRAPH_MODELS = ("gcn", "gcn_gru", "gcn_embed")


def family_tasks(family: str) -> list[str]:
    """The tasks on which the app trains an architecture of `family`, in task order."""
    tasks = {task for task, _ in FAMILY_ARCHITECTURES[family]}
    return [task for task in TASKS if task in tasks]


def headline_metric(task: str) -> tuple[str, bool]:
    """The metric a run of `task` is judged by (the task registry's headline, the same on every
    page) and whether higher is better."""
    spec = TASKS[task].headline_metric
    return spec.key, spec.higher_is_better


def format_metric(task: str, value: float, gettext=lambda message: message) -> str:
    spec = TASKS[task].headline_metric
    if spec.key == "accuracy":
        return gettext(N_("{value} accuracy")).format(value=spec.format(value))
    return f"{spec.title} {spec.format(value)}"


def best_runs(runs: list[dict]) -> dict[tuple[str, str], dict]:
    """Per (task, arch), the finished run with the best headline metric, and how many there are."""
    best: dict[tuple[str, str], dict] = {}
    for run in runs:
        if run.get("status") != "finished":
            continue
        task, arch = run.get("task"), run.get("arch")
        metric, higher = headline_metric(task)
        value = (run.get("metrics") or {}).get(metric)
        if not isinstance(value, int | float) or value != value:  # missing or NaN
            continue
        key = (task, arch)
        entry = best.setdefault(key, {"value": value, "run_id": run.get("run_id"), "runs": 0})
        entry["runs"] += 1
        if (value > entry["value"]) if higher else (value < entry["value"]):
            entry.update(value=value, run_id=run.get("run_id"))
    return best


def measured_cells(runs: list[dict], gettext=lambda message: message) -> dict[str, list[str]]:
    """For each family, one line per architecture with a finished run."""
    best = best_runs(runs)
    cells = {}
    for family, members in FAMILY_ARCHITECTURES.items():
        lines = []
        for task, arch in members:
            if (task, arch) in best:
                entry = best[(task, arch)]
                line = (N_("{dataset} {arch}: {metric} (best of 1 run)") if entry["runs"] == 1 else
                        N_("{dataset} {arch}: {metric} (best of {count} runs)"))
                lines.append(gettext(line).format(dataset=gettext(DATASETS[TASKS[task].dataset].title), arch=arch,
                                                  metric=format_metric(task, entry["value"], gettext),
                                                  count=entry["runs"]))
        cells[family] = lines
    return cells


def check_claims(runs: list[dict], gettext=lambda message: message) -> list[dict]:
    """Each claim with its verdict: 'holds', 'does not hold in your runs' or 'not measured'."""
    best = best_runs(runs)
    checked = []
    for family, claim, task, better, worse in CLAIMS:
        metric, higher = headline_metric(task)
        row = {"family": family, "claim": gettext(claim), "task": task, "page": TASKS[task].page,
               "verdict": gettext(VERDICTS["missing"]),
               "evidence": gettext(N_("train {better} and {worse} on the task page")).format(better=better,
                                                                                           worse=worse)}
        if (task, better) in best and (task, worse) in best:
            first, second = best[(task, better)]["value"], best[(task, worse)]["value"]
            holds = first > second if higher else first < second
            row["verdict"] = gettext(VERDICTS["holds" if holds else "fails"])
            row["evidence"] = gettext(N_("{better}: {first} vs {worse}: {second}")).format(
                better=better, first=format_metric(task, first, gettext), worse=worse,
                second=format_metric(task, second, gettext))
        checked.append(row)
    return checked


def benchmark_scores(task: str, results: dict | None = None) -> dict[str, float]:
    """{architecture: mean headline metric} from the benchmark the repo ships (bench/results), or {}
    when it has not been run. `results` replaces the shipped file (for tests)."""
    if results is None:
        from reference import results as bench_results

        results = bench_results.load(f"accuracy_{task}")
    metric, _ = headline_metric(task)
    return {row["arch"]: float(row[metric]["mean"]) for row in (results or {}).get("rows", [])
            if row.get("task") == task and isinstance(row.get(metric), dict)}


def traffic_findings(scores: dict[str, float], gettext=lambda message: message) -> dict[str, str]:
    """What the traffic benchmark says about the GCN, the LSTM and GCN + GRU, in words chosen by the
    measured order (MAE 15 minutes ahead, lower is better): another result gives another sentence.
    A finding whose architectures were not measured is left out. `gettext` translates the sentences
    (marked N_, their numbers in placeholders) for a page; the default keeps them English."""
    def mae(arch: str) -> str:
        return f"{scores[arch]:.2f}"

    findings = {}
    if {"gcn", "persistence", "dnn"} <= scores.keys():
        values = {"gcn": mae("gcn"), "persistence": mae("persistence"), "dnn": mae("dnn")}
        if scores["gcn"] > scores["persistence"]:
            sentence = N_(
                "The GCN alone is worse than simply repeating each sensor's last reading (MAE {gcn} "
                "against {persistence} mph, 15 minutes ahead; the per-sensor DNN: {dnn}). It "
                "does see the last 12 steps, so the past is not what it lacks: each layer averages a "
                "sensor's window with its neighbours', which blurs the sensor's own latest reading, the "
                "most predictive number it has, with an off-ramp's or the opposite carriageway's.")
        elif scores["gcn"] > scores["dnn"]:
            sentence = N_(
                "The GCN alone beats persistence (MAE {gcn} against {persistence} mph) but "
                "trails the per-sensor DNN ({dnn}): averaging in the neighbours blurs each sensor's "
                "own latest reading more than the neighbours add.")
        else:
            sentence = N_(
                "The GCN alone beats the per-sensor DNN (MAE {gcn} against {dnn} mph): here "
                "what the neighbours add outweighs the blurring of each sensor's own reading.")
        findings["gcn"] = gettext(sentence).format(**values)
    if {"lstm", "dnn"} <= scores.keys():
        if scores["lstm"] > scores["dnn"]:
            sentence = N_(
                "The LSTM, which reads the 12 steps in order with a memory, trails the per-sensor DNN "
                "(MAE {lstm} against {dnn}): twelve steps are short, a dense layer sees them "
                "all at once, and the recurrence mostly makes the optimisation harder.")
        else:
            sentence = N_("The LSTM beats the per-sensor DNN (MAE {lstm} against {dnn}): "
                          "reading the steps in order pays even over twelve steps.")
        findings["lstm"] = gettext(sentence).format(lstm=mae("lstm"), dnn=mae("dnn"))
    # The graph models against the best model without the graph: the comparison the page is about.
    others = {arch: value for arch, value in scores.items() if arch not in GRAPH_MODELS}
    rival = min(others, key=others.get) if others else None
    best = min(scores, key=scores.get) if scores else None
    name = {"gcn_gru": N_("GCN + GRU (T-GCN), which carries each sensor's state through a GRU,"),
            "gcn_embed": N_("The graph model with node embeddings, which gives each sensor a learned vector of "
                            "its own,")}
    win = N_("{name} beats every model without the graph (MAE {mae}, best of them {rival} {rival_mae}, {lead} "
             "lower).")  # {lead} holds its % sign: a literal "% l" would read as a printf directive
    best_win = N_("{name} beats every model without the graph (MAE {mae}, best of them {rival} {rival_mae}, {lead} "
                  "lower) and is the best model.")
    loss = N_("{name} (MAE {mae}) does not beat {rival} ({rival_mae}) in this benchmark.")
    for arch in name:
        if arch not in scores or rival is None:
            continue
        values = {"mae": mae(arch), "rival": rival, "rival_mae": mae(rival)}
        if scores[arch] < others[rival]:
            lead = f"{100 * (1 - scores[arch] / others[rival]):.1f} %"
            findings[arch] = gettext(best_win if arch == best else win).format(name=gettext(name[arch]), lead=lead,
                                                                              **values)
        else:
            findings[arch] = gettext(loss).format(name=gettext(name[arch]).rstrip(",，"), **values)
    return findings


def load_runs(gettext=lambda message: message, store=None) -> tuple[list[dict], str | None]:
    """Finished runs from `store` (the default store when None), or an empty list and the reason
    when there are none."""
    try:
        from training.store import RunStore
    except ImportError:
        return [], gettext(N_("The run store is not available in this installation."))
    try:
        runs = (store if store is not None else RunStore()).list_runs(status="finished")
    except Exception as error:  # a broken store must not break a lesson; say what happened
        return [], gettext(N_("The run store could not be read ({error}).")).format(
            error=f"{type(error).__name__}: {error}")
    return runs, None if runs else gettext(N_("No runs yet: train on the task pages."))


def layer_parameters(kind: str, input_size: int, units: int, kernel_size: tuple[int, ...] = (3, 3),
                     channels: int = 1) -> int:
    """Weights + biases of one layer with `units` outputs (Keras conventions).

    dense: on a flat input of `input_size` numbers; conv: a kernel of `kernel_size` on `channels`
    input channels (whatever the image size); rnn / lstm / gru: `input_size` features per step
    (Keras' GRU, reset_after=True, has two bias vectors); gcn: `input_size` features per node
    (whatever the number of nodes).
    """
    if min(input_size, units, channels, *kernel_size) < 1:
        raise ValueError("sizes must be positive")
    recurrent = units * (input_size + units) + units
    counts = {"dense": input_size * units + units,
              "conv": int(np.prod(kernel_size)) * channels * units + units,
              "rnn": recurrent,
              "lstm": 4 * recurrent,
              "gru": 3 * (units * (input_size + units) + 2 * units),
              "gcn": input_size * units + units}
    if kind not in counts:
        raise ValueError(f"unknown layer kind {kind!r}; choose one of {sorted(counts)}")
    return counts[kind]


PROBLEMS = {  # N_: the titles and "sees" texts are shown on the pages; {sensors} and {inputs} are filled in
    "mnist": (N_("An MNIST image, 28 x 28 pixels"), [
        ("DNN", "dense", N_("all 784 pixels as one flat vector"), {"input_size": 784}),
        ("CNN", "conv", N_("a 3 x 3 window of pixels, slid over the image"), {"input_size": 1, "kernel_size": (3, 3)}),
        ("RNN", "rnn", N_("one row of 28 pixels per step, 28 steps"), {"input_size": 28}),
        ("LSTM", "lstm", N_("one row of 28 pixels per step, 28 steps"), {"input_size": 28}),
        ("GCN", "gcn", N_("each pixel a node with 1 value, linked to its 8 neighbours"), {"input_size": 1}),
    ]),
    "traffic": (N_("A traffic window: 12 steps x {sensors} sensors"), [
        ("DNN", "dense", N_("all {inputs} numbers as one flat vector: which sensors are neighbours is lost"),
         {"input_size": 12 * TRAFFIC_SENSORS}),
        ("CNN", "conv", N_("3 consecutive steps of one sensor, slid along time"),
         {"input_size": 1, "kernel_size": (3,)}),
        ("RNN", "rnn", N_("one sensor's speed per step, 12 steps, weights shared by all sensors"), {"input_size": 1}),
        ("LSTM", "lstm", N_("one sensor's speed per step, 12 steps, weights shared by all sensors"),
         {"input_size": 1}),
        ("GCN", "gcn", N_("each sensor a node with its 12 past speeds, mixed with its road neighbours"),
         {"input_size": 12}),
    ]),
}
PROBLEM_NUMBERS = {"sensors": TRAFFIC_SENSORS, "inputs": f"{12 * TRAFFIC_SENSORS:,}"}


def problem_title(problem: str, gettext=lambda message: message) -> str:
    return gettext(PROBLEMS[problem][0]).format(**PROBLEM_NUMBERS)


def parameter_rows(problem: str, units: int, gettext=lambda message: message) -> list[dict]:
    """One layer of each family with `units` outputs on `problem`: what it sees (in the language of
    `gettext`), how many weights."""
    if problem not in PROBLEMS:
        raise ValueError(f"unknown problem {problem!r}; choose one of {sorted(PROBLEMS)}")
    return [{"family": family, "layer": kind, "sees": gettext(sees).format(**PROBLEM_NUMBERS),
             "parameters": layer_parameters(kind, units=units, **settings)}
            for family, kind, sees, settings in PROBLEMS[problem][1]]


# ---- check yourself, and the course notes checked ------------------------------------------------

TRAFFIC = benchmark_scores("traffic")  # {arch: MAE 15 minutes ahead}; {} if the benchmark was not run


def measured_mae(arch: str) -> str:
    return f"{TRAFFIC[arch]:.2f}" if arch in TRAFFIC else "(not measured)"


FINDINGS = traffic_findings(TRAFFIC)

QUESTIONS = [
    Question("Which network would you pick first for 28x28 images of digits?",
             ("DNN", "CNN", "GCN"), 1,
             "Images are grids with local patterns: shared kernels need few weights and the same detector "
             "works everywhere. Compare the measured MNIST accuracies above."),
    Question("Does an LSTM solve the vanishing-gradient problem?",
             ("Yes, completely", "It eases it: the additive cell state lets gradients survive many steps, "
              "but a closing forget gate still shrinks them", "No, it makes it worse"), 1,
             "The cell state path is additive, so gradients decay only as fast as the forget gate "
             "closes; exploding gradients still need clipping."),
    Question("Why does a deep plain network train badly, according to current understanding?",
             ("Mostly bad local minima", "Mostly saddle points, plateaus and vanishing gradients; good "
              "initialisation, ReLU, normalisation and residual connections fix much of it",
              "Deeper networks always generalise worse"), 1,
             "In high dimensions most critical points with high loss are saddle points (Dauphin et al., 2014); "
             "residual networks train hundreds of layers."),
    Question("On the app's traffic benchmark a per-sensor DNN, which sees each sensor's 12 past readings at "
             "once, beats the LSTM, which reads them in order. Which explanation fits?",
             ("Recurrence never helps on time series",
              "Twelve steps are short: a dense layer sees them all at once, and the recurrence mostly makes "
              "the optimisation harder", "The DNN also sees the road graph"), 1,
             FINDINGS.get("lstm", "") + " Over hundreds of steps a fixed window is no longer enough, and "
             "gated recurrent networks earn their keep (the IMDB reviews)."),
]

CORRECTIONS = [
    Correction("Note 000", "DNN: as the network gets deeper the optimisation falls into local optima "
               "more easily, further from the global optimum; with limited data it can do worse than a "
               "shallow network.",
               "More nuanced: in high-dimensional networks most bad critical points are saddle points, not "
               "local minima, and the local minima found are usually about as good as each other (Dauphin "
               "et al., 2014; Choromanska et al., 2015). Deep plain networks are hard to train because of "
               "vanishing gradients and poor conditioning; ReLU, good initialisation, batch normalisation "
               "and residual connections let 100+ layers train well.", kind=NOTE_PARTLY),
    Correction("Note 000", "LSTM was developed to solve the vanishing gradient in time, and the gates "
               "prevent it.",
               "It eases it: the additive cell state carries gradients across many steps while the forget "
               "gate stays open, but they still shrink when it closes. It does not prevent exploding "
               "gradients, which need gradient clipping.", kind=NOTE_PARTLY),
    Correction("Note 000", "CNN weakness: deep models easily suffer vanishing gradients.",
               "That is a weakness of any deep network, not of CNNs; CNNs' real limits are the need for "
               "grid data and local receptive fields (see the table)."),
    Correction("Note 000", "RNN: the first-choice network for time-series data.",
               "Plain RNNs forget after a few dozen steps; gated RNNs (LSTM, GRU), temporal CNNs and "
               "Transformers are used for long sequences. On short windows a plain dense network can be "
               f"best: on traffic the per-sensor DNN ({measured_mae('dnn')}) beats the LSTM ({measured_mae('lstm')}).",
               kind=NOTE_PARTLY),
    Correction("Note 000", "DNNs and CNNs cannot model changes over a time series (无法对时间序列上的变化"
               "进行建模), which is why RNNs appeared.",
               "Give them a window of past steps and they do. The app's traffic `dnn` reads each sensor's "
               f"last 12 readings and beats repeating the last reading (MAE {measured_mae('dnn')} against "
               f"{measured_mae('persistence')} mph), and the temporal `cnn`, sliding along time, does as well "
               f"({measured_mae('cnn')}); convolutions over time (WaveNet, temporal convolutional networks) are "
               "standard sequence models. What they lack is a state carried from step to step: they see a "
               "fixed window, while an RNN can in principle use the whole past."),
]
