"""Checks shared by the tests and CI: English prose left in Chinese text, and the glossary.

English words are allowed in Chinese text only as code, numbers, units, formulas and names: the
detector removes code spans, code-like names (keras.ops.softmax), paths (examples/mnist_cnn.py),
quoted titles of papers, placeholders and an English term glossed in full-width brackets after its
Chinese one (平台（plateau）), then reports every remaining Latin word of three letters or more that is
not a known name or unit (NAMES below).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass

from i18n import HERE

GLOSSARY = HERE / "glossary.toml"

# Names of people, products, data sets, layers and functions, units and words kept in English in
# Chinese teaching (logit, one-hot, softmax). Lower case; compared case-insensitively.
NAMES = {
    # products, libraries, formats and data sets
    "deep", "learning", "lab",  # the app's name, "Deep Learning Lab"
    "html", "json", "python", "nan", "mph",
    "streamlit", "pandas", "altair", "linux", "macos", "cpu", "amd", "epyc", "intel", "xeon", "processor",  # CPU models
    "io", "readme", "arxiv", "conv1d", "svm", "bi",
    "dcrnn", "stgcn", "wavenet", "loop",  # Los-loop, the T-GCN paper's data
    "iclr", "ijcai", "acl",  # conferences
    "keras", "tensorflow", "numpy", "gradienttape", "mnist", "imdb", "metr", "csv", "markdown", "latex",
    "sha256", "la", "l", "nature", "parallel", "distributed", "processing", "bfgs", "los", "angeles",
    # models, layers, functions and optimisers
    "relu", "relu6", "prelu", "leaky", "elu", "gelu", "swish", "sigmoid", "sigmod", "tanh", "softmax", "logit",
    "logits", "one", "hot", "sgn", "heaviside", "glorot", "adam", "sgd", "xor", "dnn", "cnn", "rnn", "lstm",
    "gru", "gcn", "bilstm", "tf1", "dropout", "clip", "ceil", "max", "mean", "log", "sin", "exp",
    "elman", "jordan", "placeholder", "dense",
    "alphago", "alexnet", "rgb", "google", "imagenet", "png", "jpeg", "conv2d",  # lessons 9 and 10
    "of", "n", "taipei", "madrid", "simplernn", "hmm",  # lesson 11: 1-of-N, the slot-filling cities
    "float32",  # lesson 8
    "scrn", "icml", "bptt", "abs", "skip", "gram", "cbow", "word2vec", "glove", "ppmi", "pmi", "svd", "pca",
    "gan", "vae",  # lessons 12 to 16
    "mlp", "nbsvm", "fc", "t",  # FC-LSTM, T-GCN
    "stid", "graph",  # STID and Graph WaveNet, the traffic models the node-embedding model follows
    "sha",  # SHA-256, the checksum of an uploaded dataset
    "utf", "excel",  # a refused upload: "not UTF-8, save it as 'CSV UTF-8' (Excel)"
    # metrics
    "mae", "rmse", "mape", "roc", "auc",
    # people
    "hinton", "rumelhart", "williams", "mcculloch", "pitts", "rosenblatt", "hamey", "hadsell", "chopra", "maas",
    "wang", "manning", "zhao", "li", "wu",
    "lecun", "warren", "walter", "maculloach", "ana", "ben", "chen", "salakhutdinov", "osindero", "teh", "telgarsky",
    "silver", "krizhevsky", "mordvintsev", "olah", "tyka",  # lessons 9 and 10
    "gers", "koutn", "greff", "gomez", "schmidhuber", "mikolov", "levy", "goldberg",  # "koutn": Koutník, cut at í
    "kingma", "welling", "goodfellow",
    # units and values
    "min", "nats",
    "inf",  # the floating-point value inf (nan is above)
    # lessons 17-21: graph convolution, comparison, limits, transfer, attention
    "kipf", "shchur", "hamilton", "graphsage", "gat", "sqrt", "conv", "transformer", "dauphin",
    "choromanska",
    "persistence",  # the traffic baseline's architecture name, shown in tables
    "fgsm", "googlenet", "mccloskey", "cohen", "sign",  # sign(g): a function
    "yosinski", "unk",  # unk: the vectorizer's "[UNK]" token
}

CODE = re.compile(r"`[^`]*`")
QUOTED_TITLE = re.compile(r"'[^']*'|《[^》]*》")  # titles of papers and books stay in their language
PLACEHOLDER = re.compile(r"\{[a-z_]+(?::[^{}]*)?\}")  # {count}, and with a format spec: {count:,}
PATH = re.compile(r"[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)+")  # examples/vision/mnist_convnet.py, mesnilgr/nbsvm
CODE_LIKE = re.compile(r"[A-Za-z0-9]+(?:[._][A-Za-z0-9]+)+(?:=\w+)?")  # keras.ops.softmax, z_true, from_logits=True
SCIENTIFIC = re.compile(r"\d[\d.]*e[-+]?\d+")  # 1e-6
HEX_LITERAL = re.compile(r"\b0x[0-9a-fA-F]+\b")  # a byte: 0xe9
HEX = re.compile(r"\b(?=[0-9a-f]*\d)[0-9a-f]{6,64}\b")  # checksums and run-id tails: 200728dedb58b8e5, cda693
RUN_ID = re.compile(r"\b\d{8}-\d{6}-[A-Za-z0-9_-]+")  # a run's id: 20261201-113530-traffic-persistence-4f22ef
GLOSS = re.compile(r"（[A-Za-z][A-Za-z -]*）")  # 平台（plateau）: the English term beside the Chinese one


def english_words(text: str) -> list[str]:
    """Latin words of 3+ letters in `text` outside code, quoted titles and formulas, not in NAMES."""
    text = re.sub(r"https?://\S+|:material/[a-z_]+:|:[a-z]+-badge\[", " ", text)  # before CODE_LIKE eats model_training
    text = PLACEHOLDER.sub(" ", QUOTED_TITLE.sub(" ", CODE.sub(" ", text)))
    text = HEX_LITERAL.sub(" ", RUN_ID.sub(" ", text))
    text = GLOSS.sub(" ", CODE_LIKE.sub(" ", SCIENTIFIC.sub(" ", PATH.sub(" ", HEX.sub(" ", text)))))
    words = re.findall(r"[A-Za-z][A-Za-z0-9-]*", text)
    return [word for word in words
            if len(word.strip("-")) >= 3
            and not all(part.lower() in NAMES or part.isdigit() for part in word.split("-") if part)]


@dataclass(frozen=True)
class Term:
    english: tuple[str, ...]
    chinese: str
    avoid: tuple[str, ...] = ()
    notes_form: str | None = None  # how the notes write it, when the glossary adds a suffix (局部极小 → 局部极小值)

    def used_in_english(self, text: str) -> bool:
        text = PLACEHOLDER.sub(" ", CODE.sub(" ", text))  # `layer.kernel` is an API name, {persistence} a number
        return any(re.search(rf"\b{re.escape(form)}(?:s|es)?\b", text, re.IGNORECASE) for form in self.english)


def glossary() -> list[Term]:
    with GLOSSARY.open("rb") as source:
        entries = tomllib.load(source)["term"]
    return [Term(tuple([entry["en"]] if isinstance(entry["en"], str) else entry["en"]), entry["zh"],
                 tuple(entry.get("avoid", ())), entry.get("notes_form")) for entry in entries]


def outside_quotes(text: str) -> str:
    """Chinese text without the notes' sentences quoted in “…” (which keep the notes' own words)."""
    return re.sub(r"“[^”]*”", " ", text)


def unrendered_bold(text: str) -> list[str]:
    """The lines of a Markdown text whose `**` would show as two stars. CommonMark opens and closes
    emphasis only at flanking delimiters: `**理由：**正文` does not close (a closing `**` after
    punctuation must be followed by a space or punctuation, and Chinese puts no space there), so
    the colon goes outside: `**理由**：正文`. Placeholders are filled with a Chinese character, the
    worst case for what they become."""
    from markdown_it import MarkdownIt  # rich's dependency, and so keras's; only the checks need it

    renderer = MarkdownIt("commonmark")
    filled = re.sub(r"\{[a-z_0-9]*(?::[^}]*)?\}", "字", text)
    return [line for line in filled.splitlines()
            if "**" in re.sub(r"<code>.*?</code>", "", renderer.render(line))]
