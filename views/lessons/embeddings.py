"""Lesson 14: word embeddings, count-based (PPMI + SVD) vs prediction-based (skip-gram), trained
on IMDB reviews; nearest neighbours and a 2-D map."""

import numpy as np
import pandas as pd
import streamlit as st

from i18n import N_
from lessons import embeddings as emb
from lessons.projection import pca_2d
from ui.curve_charts import loss_chart
from ui.datasets import load_dataset
from ui.i18n import gettext_for_session, localized_chart, text
from ui.lesson import corrections, lesson_header, next_steps, quiz
from ui.lesson_training import idle_prompt, session_result
from ui.scatter_charts import word_map_chart

SCRIPT = "views/lessons/embeddings.py"
MAX_DIMENSIONS = 50
METHODS = {"count-based": N_("Count-based"), "prediction-based": N_("Prediction-based")}  # shown as column heads
METHOD_NAMES = (N_("count-based"), N_("prediction-based"))  # as table cells and in the map's title
_, prose = gettext_for_session(), text("embeddings")
lesson_header(SCRIPT)


@st.cache_data(show_spinner=_("Counting which words appear together…"), max_entries=4)
def corpus(_texts: list[str], reviews: int, vocabulary_size: int, window: int) -> dict:
    prepared = emb.prepare_corpus(_texts[:reviews], vocabulary_size, window)
    return {"vocabulary": prepared.vocabulary, "counts": prepared.counts, "tokens": prepared.tokens}


@st.cache_data(show_spinner=_("Factorising the PPMI matrix…"), max_entries=4)
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
                          _("Training the skip-gram network (after any training already running)…"), start=start)


st.markdown(prose("intro"))


@st.fragment
def two_kinds_of_embeddings():
    imdb = load_dataset("imdb")
    settings = st.columns(3)
    reviews = settings[0].select_slider(_("Training reviews used"), [1000, 2000, 3000, 4000, 5000], value=3000)
    vocabulary_size = settings[1].select_slider(_("Vocabulary (most frequent words)"), [500, 1000, 1500], value=1500)
    window = settings[2].slider(_("Context window (words on each side)"), 1, 5, 4)
    reviews = min(reviews, len(imdb.x_train))
    prepared = corpus(imdb.x_train, reviews, vocabulary_size, window)
    vocabulary, counts = prepared["vocabulary"], prepared["counts"]
    key = (reviews, vocabulary_size, window, len(imdb.x_train))
    if len(vocabulary) < 4:
        st.warning(_("These reviews hold fewer than four different words: use more reviews."))
        return

    sizes = st.columns(4)
    sizes[0].metric(_("Reviews"), f"{reviews:,}")
    sizes[1].metric(_("Words kept"), f"{prepared['tokens']:,}")
    sizes[2].metric(_("Vocabulary"), f"{len(vocabulary):,}")
    sizes[3].metric(_("Word pairs counted"), f"{int(counts.sum()):,}")

    st.header(_("Count-based: co-occurrence, PPMI, SVD"))
    counted = count_based(counts, vocabulary, key)
    st.caption(prose("svd-time", dimensions=counted.vectors.shape[1], seconds=f"{counted.seconds:.2f}"))
    choices = emb.query_words(vocabulary) or vocabulary
    default = choices.index("good") if "good" in choices else 0
    word = st.selectbox(_("Word to explore"), choices, index=default)
    index = vocabulary.index(word)
    positive = emb.ppmi_row(counts, index)
    row = counts[index]
    top_counts, top_ppmi = emb.strongest(row), emb.strongest(positive)
    st.dataframe(pd.DataFrame({
        _("most frequent neighbours (raw count)"): [f"{vocabulary[i]} ({int(row[i])})" for i in top_counts],
        _("most surprising neighbours (PPMI)"): [f"{vocabulary[i]} ({positive[i]:.2f})" for i in top_ppmi]}),
        hide_index=True)
    st.caption(prose("neighbours-explained", window=window, word=word))

    st.header(_("Prediction-based: a skip-gram network"))
    st.markdown(prose("skip-gram"))
    start = st.button(_("Train the skip-gram network (a few seconds)"), icon=":material/model_training:")
    predicted = prediction_based(reviews, vocabulary_size, window, vocabulary, key, start)
    if predicted is None:
        idle_prompt("embeddings", _("Press the button to train the prediction-based embeddings and compare them."))
    else:
        st.altair_chart(localized_chart(loss_chart({N_("training loss"): list(predicted.losses)},
                                                   _("Skip-gram training"), y_title=_("Cross-entropy per word pair"))))
        st.caption(prose("trained-in", seconds=f"{predicted.seconds:.1f}"))

    st.header(_("Nearest neighbours of *{word}*").format(word=word))
    methods = {"count-based": counted} | ({"prediction-based": predicted} if predicted else {})
    columns = st.columns(len(methods))
    for column, (name, embedding) in zip(columns, methods.items(), strict=True):
        neighbours = emb.nearest_neighbours(embedding.vectors, index, count=min(10, len(vocabulary) - 1))
        column.markdown(f"**{_(METHODS[name])}**")
        column.dataframe(pd.DataFrame({_("word"): [vocabulary[i] for i, _similarity in neighbours],
                                       _("cosine similarity"): [round(similarity, 3)
                                                                for _word, similarity in neighbours]}),
                         hide_index=True)
    st.caption(prose("cosine"))

    shown_method = st.radio(_("Map of"), list(methods), horizontal=True, format_func=_)
    shown = methods[shown_method]
    nearest = emb.nearest_neighbours(shown.vectors, index, count=min(8, len(vocabulary) - 1))
    neighbours = [vocabulary[i] for i, _similarity in nearest]
    words = list(dict.fromkeys(choices[:150] + [word] + neighbours))
    coordinates, explained = pca_2d(shown.vectors[[vocabulary.index(item) for item in words]])
    highlight = {item: "neighbour" for item in neighbours} | {word: "chosen word"}
    st.altair_chart(word_map_chart(  # not localized_chart: it would translate the words themselves
        coordinates, words, highlight, tuple(explained),
        _("The 150 most frequent content words, {method} vectors projected by PCA").format(method=_(shown_method)),
        translate=_))
    st.caption(prose("map-caption"))

    st.header(_("Is the inner product proportional to the count?"))
    measured = {name: correlations(embedding.vectors, counts, key, name) for name, embedding in methods.items()}
    st.dataframe(pd.DataFrame([{_("vectors"): _(name), **{
        _("correlation with {quantity}").format(quantity=_(label)): round(value, 3) for label, value in values.items()}}
                               for name, values in measured.items()]), hide_index=True)
    st.caption(prose("correlations", verdict=emb.correlation_verdict(measured, translate=_)))


two_kinds_of_embeddings()
quiz(emb.QUESTIONS, key="embeddings")
corrections(emb.CORRECTIONS)
next_steps("views/tasks/sentiment.py", "views/lessons/autoencoders.py")
