"""Every page of the app, in reading order. Streamlit-free, so tests and the home page share it.

A page is listed here once; `dashboard.py` builds the navigation from this list, and
`tests/test_catalog.py` checks that every listed script exists. App metadata, not a page: `ui/`
and `views/` read it, it imports nothing of the app.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class PageInfo:
    script: str  # relative to the repository root
    title: str
    icon: str
    summary: str
    minutes: int = 0  # estimated reading and playing time, for lessons

    @property
    def url_path(self) -> str:
        stem = Path(self.script).stem.replace("_", "-")
        if self.script.startswith("views/tasks/"):
            return f"train-{stem}"  # the explorer pages already use /mnist and /traffic
        return f"lesson-{stem}" if self.script.startswith("views/lessons/") else stem

    @property
    def exists(self) -> bool:
        return (ROOT / self.script).is_file()


HOME = PageInfo("views/home.py", "Home", ":material/home:", "What Deep Learning Lab is and where to start.")

EXPLORE = [
    PageInfo("views/explore/mnist.py", "MNIST digits", ":material/draw:",
             "70,000 handwritten digits: a grid of examples and the class balance."),
    PageInfo("views/explore/imdb.py", "IMDB reviews", ":material/reviews:",
             "50,000 movie reviews labelled positive or negative, and how long they are."),
    PageInfo("views/explore/traffic.py", "METR-LA traffic", ":material/traffic:",
             "A week of speeds from 207 Los Angeles road sensors, on a map and over time."),
]

LESSONS = [
    PageInfo("views/lessons/index.py", "Lessons: start here", ":material/school:",
             "The order to read the lessons in, and how long each takes."),
    PageInfo("views/lessons/intro.py", "1. What deep learning is", ":material/lightbulb:",
             "AI, machine learning and deep learning; regression vs classification.", 6),
    PageInfo("views/lessons/neuron.py", "2. The neuron", ":material/radio_button_checked:",
             "A weighted sum, a bias and an activation: one neuron cuts the plane once.", 10),
    PageInfo("views/lessons/activations.py", "3. Activation functions", ":material/show_chart:",
             "Sigmoid, tanh, ReLU and friends, their derivatives, and curves built from pieces.", 10),
    PageInfo("views/lessons/gradient_descent.py", "4. Loss and gradient descent", ":material/trending_down:",
             "Loss functions, the update rule, learning rates, batches and epochs.", 12),
    PageInfo("views/lessons/backprop.py", "5. Backpropagation", ":material/undo:",
             "The chain rule on a tiny network, checked against automatic differentiation.", 12),
    PageInfo("views/lessons/why_deep.py", "6. Why deep?", ":material/layers:",
             "Deep-narrow vs shallow-wide networks with the same number of parameters.", 10),
    PageInfo("views/lessons/overfitting.py", "7. Overfitting and regularisation", ":material/tune:",
             "Training vs validation curves, dropout and early stopping.", 10),
    PageInfo("views/lessons/tf1_to_keras.py", "8. From TF1 to Keras 3", ":material/code:",
             "The notes' tf.placeholder code and its modern Keras equivalent.", 5),
    PageInfo("views/lessons/convolution.py", "9. Convolution and pooling", ":material/grid_on:",
             "The 6x6 X image and two 3x3 kernels, step by step; pooling and flatten.", 15),
    PageInfo("views/lessons/cnn_features.py", "10. What a CNN learns", ":material/visibility:",
             "Filters, activation maximisation, saliency and occlusion on a trained MNIST CNN.", 12),
    PageInfo("views/lessons/rnn.py", "11. Recurrent networks", ":material/replay:",
             "Memory as an extra input; Elman, Jordan and bidirectional RNNs; slot filling.", 12),
    PageInfo("views/lessons/lstm_gru.py", "12. LSTM and GRU", ":material/memory:",
             "Input, forget and output gates, one LSTM step with numbers, and the GRU.", 12),
    PageInfo("views/lessons/gradients.py", "13. Vanishing and exploding gradients", ":material/ssid_chart:",
             "Gradient norms layer by layer and over time, and gradient clipping.", 12),
    PageInfo("views/lessons/embeddings.py", "14. Word embeddings", ":material/text_fields:",
             "Count-based vs prediction-based embeddings trained on IMDB reviews.", 12),
    PageInfo("views/lessons/autoencoders.py", "15. Autoencoders", ":material/compress:",
             "Encoder, code and decoder; a denoising autoencoder on MNIST.", 10),
    PageInfo("views/lessons/gans.py", "16. Generative adversarial networks", ":material/auto_awesome:",
             "A generator and a discriminator trained against each other, live.", 10),
    PageInfo("views/lessons/gcn.py", "17. Graph convolution", ":material/hub:",
             "Message passing on the METR-LA road graph; one more hop per layer.", 12),
    PageInfo("views/lessons/comparison.py", "18. DNN, CNN, RNN, LSTM, GCN compared", ":material/compare:",
             "The notes' comparison table, corrected and linked to measured results.", 8),
    PageInfo("views/lessons/limits.py", "19. Limits of deep learning", ":material/warning:",
             "Adversarial examples, forgetting, transfer and interpretability.", 10),
    PageInfo("views/lessons/transfer.py", "20. Transfer learning", ":material/move_up:",
             "A CNN trained on digits 0-4 reused for 5-9 with a few hundred labels, against training from scratch.",
             10),
    PageInfo("views/lessons/attention.py", "21. Attention", ":material/center_focus_strong:",
             "A model that learns which words of a review to weigh, reading a sentence of yours.", 10),
]

TASKS = [
    PageInfo("views/tasks/mnist.py", "Train: MNIST digits", ":material/draw:",
             "DNN vs CNN vs a modern CNN on handwritten digits."),
    PageInfo("views/tasks/sentiment.py", "Train: IMDB sentiment", ":material/reviews:",
             "Bag of embeddings, RNN, LSTM, GRU, BiLSTM, 1-D CNN and attention on movie reviews."),
    PageInfo("views/tasks/traffic.py", "Train: traffic forecasting", ":material/traffic:",
             "Baselines, DNN, CNN, LSTM, GCN and GCN+GRU on the METR-LA road graph."),
    PageInfo("views/tasks/own_data.py", "Train: your own data", ":material/upload_file:",
             "Upload traffic speeds with a road graph, or labelled reviews, and train the same models on them."),
]

RESULTS = [
    PageInfo("views/compare.py", "Compare runs", ":material/leaderboard:",
             "Stored runs side by side, grouped across seeds, exported as CSV, Markdown or LaTeX."),
    PageInfo("views/runs.py", "Run history", ":material/history:",
             "Every stored run: filter, download weights, delete."),
    PageInfo("views/reference.py", "Reference results", ":material/verified:",
             "Our benchmark numbers beside published ones, with citations."),
]

SECTIONS = {"": [HOME], "Explore the data": EXPLORE, "Lessons": LESSONS,
            "Train and compare": TASKS, "Results": RESULTS}

