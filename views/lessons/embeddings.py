"""Lesson 14: word embeddings, count-based (PPMI + SVD) vs prediction-based (skip-gram), trained
on IMDB reviews; nearest neighbours and a 2-D map."""

import numpy as np
import pandas as pd
import streamlit as st

from lessons import embeddings as emb
from lessons.projection import pca_2d
from ui.curve_charts import loss_chart
from ui.datasets import load_dataset
from ui.lesson import corrections, lesson_header, next_steps, quiz
from ui.lesson_training import idle_prompt, session_result
from ui.scatter_charts import word_map_chart

SCRIPT = "views/lessons/embeddings.py"
MAX_DIMENSIONS = 50
lesson_header(SCRIPT)


@st.cache_data(show_spinner="Counting which words appear together…", max_entries=4)
def corpus(_texts: list[str], reviews: int, vocabulary_size: int, window: int) -> dict:
    prepared = emb.prepare_corpus(_texts[:reviews], vocabulary_size, window)
    return {"vocabulary": prepared.vocabulary, "counts": prepared.counts, "tokens": prepared.tokens}


@st.cache_data(show_spinner="Factorising the PPMI matrix…", max_entries=4)
def count_based(_counts: np.ndarray, vocabulary: list[str], key: tuple) -> emb.Embeddings:
    return emb.count_based_embeddings(_counts, vocabulary, min(MAX_DIMENSIONS, len(vocabulary) - 1))


@st.cache_data(show_spinner=False, max_entries=8)
def correlations(_vectors: np.ndarray, _counts: np.ndarray, key: tuple, method: str) -> dict[str, float]:
    return emb.inner_product_correlations(_vectors, _counts)


def prediction_based(reviews: int, vocabulary_size: int, window: int, vocabulary: list[str], key: tuple,
                     start: bool) -> emb.Embeddings | None:
    # The worker counts the same reviews again from the dataset: only these numbers cross over.
    settings = {"reviews": reviews, "vocabulary_size": vocabulary_size, "window": window,
                "dimensions": min(MAX_DIMENSIONS, len(vocabulary) - 1)}
    return session_result("embeddings", key, emb.skipgram_on_imdb, settings,
                          "Training the skip-gram network (after any training already running)…", start=start)


st.markdown(
    "A 1-of-N vector says nothing about meaning: *good* and *great* are as far apart as *good* and "
    "*banana*. An **embedding** gives every word a short dense vector (here 50 numbers) so that "
    "words used in similar ways get similar vectors. It is learned from raw text without labels: "
    "a word's meaning is read from the company it keeps, and words with similar meanings have "
    "similar contexts. There are two ways to turn contexts into vectors:\n\n"
    "- **Count-based**: count how often each pair of words appears close together, reweight the "
    "counts by how surprising they are (**PPMI**, positive pointwise mutual information: "
    "log P(w, c) / (P(w) P(c)), negatives set to 0) and compress the matrix with a truncated "
    "**SVD**. No training loop, just linear algebra.\n"
    "- **Prediction-based**: train a network to **predict** the words around a centre word "
    "(skip-gram) or the centre word from its neighbours (CBOW); the centre word's learned input "
    "vector is its embedding (word2vec).")


@st.fragment
def two_kinds_of_embeddings():
    imdb = load_dataset("imdb")
    settings = st.columns(3)
    reviews = settings[0].select_slider("Training reviews used", [1000, 2000, 3000, 4000, 5000], value=3000)
    vocabulary_size = settings[1].select_slider("Vocabulary (most frequent words)", [500, 1000, 1500], value=1500)
    window = settings[2].slider("Context window (words on each side)", 1, 5, 4)
    reviews = min(reviews, len(imdb.x_train))
    prepared = corpus(imdb.x_train, reviews, vocabulary_size, window)
    vocabulary, counts = prepared["vocabulary"], prepared["counts"]
    key = (reviews, vocabulary_size, window, len(imdb.x_train))
    if len(vocabulary) < 4:
        st.warning("These reviews hold fewer than four different words: use more reviews.")
        return

    sizes = st.columns(4)
    sizes[0].metric("Reviews", f"{reviews:,}")
    sizes[1].metric("Words kept", f"{prepared['tokens']:,}")
    sizes[2].metric("Vocabulary", f"{len(vocabulary):,}")
    sizes[3].metric("Word pairs counted", f"{int(counts.sum()):,}")

    st.header("Count-based: co-occurrence, PPMI, SVD")
    counted = count_based(counts, vocabulary, key)
    st.caption(f"PPMI and a truncated SVD to {counted.vectors.shape[1]} dimensions took "
               f"{counted.seconds:.2f} s.")
    choices = emb.query_words(vocabulary) or vocabulary
    default = choices.index("good") if "good" in choices else 0
    word = st.selectbox("Word to explore", choices, index=default)
    index = vocabulary.index(word)
    positive = emb.ppmi_row(counts, index)
    row = counts[index]
    top_counts, top_ppmi = emb.strongest(row), emb.strongest(positive)
    st.dataframe(pd.DataFrame({
        "most frequent neighbours (raw count)": [f"{vocabulary[i]} ({int(row[i])})" for i in top_counts],
        "most surprising neighbours (PPMI)": [f"{vocabulary[i]} ({positive[i]:.2f})" for i in top_ppmi]}),
        hide_index=True)
    st.caption(f"Words within {window} positions of *{word}*. Raw counts are dominated by frequent words "
               "such as *the* and *and*; PPMI rewards pairs that occur more often than chance.")

    st.header("Prediction-based: a skip-gram network")
    st.markdown(
        "The network has one embedding row per word and a softmax over the vocabulary: given a centre "
        "word it outputs a probability for every word to appear nearby, and the loss is the "
        "cross-entropy with the words that really appeared. word2vec streams millions of (centre, "
        "context) pairs; this demo groups the same pairs by centre word, which gives exactly the same "
        "loss but one row per word, so it trains in seconds. Frequent words are down-weighted as in "
        "word2vec's subsampling. (word2vec also replaces the softmax over a big vocabulary by *negative "
        "sampling*; with 1,500 words the full softmax is affordable.)")
    start = st.button("Train the skip-gram network (a few seconds)", icon=":material/model_training:")
    predicted = prediction_based(reviews, vocabulary_size, window, vocabulary, key, start)
    if predicted is None:
        idle_prompt("embeddings", "Press the button to train the prediction-based embeddings and compare them.")
    else:
        st.altair_chart(loss_chart({"training loss": list(predicted.losses)}, "Skip-gram training",
                                   y_title="Cross-entropy per word pair"))
        st.caption(f"Trained in {predicted.seconds:.1f} s.")

    st.header(f"Nearest neighbours of *{word}*")
    methods = {"count-based": counted} | ({"prediction-based": predicted} if predicted else {})
    columns = st.columns(len(methods))
    for column, (name, embedding) in zip(columns, methods.items(), strict=True):
        neighbours = emb.nearest_neighbours(embedding.vectors, index, count=min(10, len(vocabulary) - 1))
        column.markdown(f"**{name.capitalize()}**")
        column.dataframe(pd.DataFrame({"word": [vocabulary[i] for i, _ in neighbours],
                                       "cosine similarity": [round(similarity, 3) for _, similarity in neighbours]}),
                         hide_index=True)
    st.caption("Cosine similarity: the cosine of the angle between two vectors, 1 for the same direction.")

    shown_method = st.radio("Map of", list(methods), horizontal=True)
    shown = methods[shown_method]
    nearest = emb.nearest_neighbours(shown.vectors, index, count=min(8, len(vocabulary) - 1))
    neighbours = [vocabulary[i] for i, _ in nearest]
    words = list(dict.fromkeys(choices[:150] + [word] + neighbours))
    coordinates, explained = pca_2d(shown.vectors[[vocabulary.index(item) for item in words]])
    highlight = {item: "neighbour" for item in neighbours} | {word: "chosen word"}
    st.altair_chart(word_map_chart(coordinates, words, highlight, tuple(explained),
                                   f"The 150 most frequent content words, {shown_method} vectors projected by PCA"))
    st.caption("Two dimensions keep only a small part of the 50; neighbours that look far apart here "
               "can still be close in the full space.")

    st.header("Is the inner product proportional to the count?")
    measured = {name: correlations(embedding.vectors, counts, key, name) for name, embedding in methods.items()}
    st.dataframe(pd.DataFrame([{"vectors": name, **{f"correlation with {label}": round(value, 3)
                                                    for label, value in values.items()}}
                               for name, values in measured.items()]), hide_index=True)
    st.caption("Pearson correlation, over every pair of words that co-occur, between the two words' inner "
               "product and their raw count, log count and PMI. " + emb.correlation_verdict(measured))


two_kinds_of_embeddings()
quiz(emb.QUESTIONS, key="embeddings")
corrections(emb.CORRECTIONS)
next_steps("views/tasks/sentiment.py", "views/lessons/autoencoders.py")
