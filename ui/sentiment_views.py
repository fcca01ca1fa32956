"""Sentiment results: example test reviews with each model's probability, and a review to type."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from data.imdb import CLASS_NAMES, clean_review
from ui.datasets import load_dataset
from ui.results import Entry

EXAMPLES = 6
MAX_REVIEW_CHARS = 2000
SHOWN_CHARS = 700


def example_indices(labels: np.ndarray, count: int = EXAMPLES, seed: int = 0) -> np.ndarray:
    """Half positive, half negative test reviews, picked at random but the same every time."""
    rng = np.random.default_rng(seed)
    halves = [rng.choice(np.flatnonzero(labels == label), size=min(count // 2, int((labels == label).sum())),
                         replace=False) for label in (1, 0)]
    return np.stack(halves, axis=1).ravel() if len(halves[0]) == len(halves[1]) else np.concatenate(halves)


def shorten(text: str, limit: int = SHOWN_CHARS) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def score_review(models: dict[str, object], text: str) -> pd.DataFrame:
    """Each model's probability that `text` is positive. The models read raw text: the engine
    puts the vectorizer that was adapted on the training reviews in front of each one."""
    review = clean_review(text)[:MAX_REVIEW_CHARS]
    rows = []
    for label, model in models.items():
        probability = float(np.asarray(model.predict(np.array([review], dtype=object), verbose=0)).reshape(-1)[0])
        rows.append({"Model": label, "P(positive)": round(probability, 3),
                     "Verdict": CLASS_NAMES[int(probability >= 0.5)]})
    return pd.DataFrame(rows)


def example_reviews(entries: list[Entry]) -> None:
    data = load_dataset("imdb", show_notices_here=False)  # the task page showed its notices
    usable = []
    for entry in entries:
        probabilities = entry.load_predictions()
        if probabilities is not None and np.ndim(probabilities) == 2:  # (reviews, 1) from Keras
            probabilities = entry.predictions_shaped((len(data.y_test), 1))
        else:
            probabilities = entry.predictions_shaped((len(data.y_test),))
        if probabilities is None:
            st.info(f"{entry.label}: {entry.predictions_unavailable()}", icon=":material/info:")
        else:
            usable.append((entry, np.asarray(probabilities).reshape(-1)))
    if not usable:
        return
    st.subheader("Example test reviews")
    for index in example_indices(data.y_test):
        truth = int(data.y_test[index])
        with st.container(border=True):
            st.markdown(f"**Test review {index:,}** · true label: **{CLASS_NAMES[truth]}**")
            st.text(shorten(data.x_test[index]))
            st.dataframe(pd.DataFrame([{"Model": entry.label, "P(positive)": round(float(p[index]), 3),
                                        "Correct": (p[index] >= 0.5) == bool(truth)} for entry, p in usable]),
                         hide_index=True)


def your_review(entries: list[Entry]) -> None:
    st.subheader("Try your own review")
    models = {entry.label: entry.model for entry in entries if entry.model is not None}
    if not models:
        st.info("Train a model on this page to score your own review: models of earlier, stored runs "
                "are not kept in memory.", icon=":material/info:")
        return
    with st.form("imdb-your-review"):
        text = st.text_area("Your review", max_chars=MAX_REVIEW_CHARS, key="imdb-review",
                            placeholder="The acting was wooden but the story kept me hooked until the end.")
        submitted = st.form_submit_button("Score it", icon=":material/reviews:")
    if submitted and text.strip():
        st.dataframe(score_review(models, text), hide_index=True)
        st.caption("Your text is only scored, never stored. Words the model never saw in training are all "
                   "mapped to one 'unknown' token.")


def sentiment_views(entries: list[Entry]) -> None:
    example_reviews(entries)
    your_review(entries)
