"""Sentiment results: example test reviews with each model's probability, and a review to type."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from data.imdb import CLASS_NAMES, clean_review
from i18n import N_
from ui.datasets import load_dataset
from ui.i18n import gettext_for_session, pgettext_for_session
from ui.names import shown_name
from ui.results import Entry
from ui.stored_models import choose_runs, stored_models

EXAMPLES = 6
# Longer than any IMDB review (the longest is about 13,700 characters): a pasted review is never cut
# by the box. The model reads only its first `sequence_length` tokens, and the page says so.
MAX_REVIEW_CHARS = 20_000
SHOWN_CHARS = 700
COLUMNS = (N_("Model"), N_("P(positive)"), N_("Verdict"), N_("Tokens read"), N_("Correct"))
TOKENS_READ = (N_("last {read} of {total}"), N_("all {total}"))


def example_indices(labels: np.ndarray, count: int = EXAMPLES, seed: int = 0) -> np.ndarray:
    """Half positive, half negative test reviews, picked at random but the same every time."""
    rng = np.random.default_rng(seed)
    halves = [rng.choice(np.flatnonzero(labels == label), size=min(count // 2, int((labels == label).sum())),
                         replace=False) for label in (1, 0)]
    return np.stack(halves, axis=1).ravel() if len(halves[0]) == len(halves[1]) else np.concatenate(halves)


def shorten(text: str, limit: int = SHOWN_CHARS) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def score_review(models: dict[str, object], text: str) -> pd.DataFrame:
    """Each model's probability that `text` is positive, and how much of the review it read. The
    models read raw text: the vectorizer adapted on the training reviews sits in front of each."""
    review = clean_review(text)
    rows = []
    for label, model in models.items():
        probability = float(np.asarray(model.predict(np.array([review], dtype=object), verbose=0)).reshape(-1)[0])
        read, total = tokens_read(model, review)
        rows.append({"Model": label, "P(positive)": round(probability, 3),
                     "Verdict": CLASS_NAMES[int(probability >= 0.5)],
                     "Tokens read": f"last {read:,} of {total:,}" if read < total else f"all {total:,}",
                     "read": read, "total": total})
    return pd.DataFrame(rows)


def review_labels() -> dict[str, str]:
    """data.imdb.CLASS_NAMES in this session's language ("negative" is also a sign in the lessons)."""
    pgettext = pgettext_for_session()
    return {"negative": pgettext("review label", "negative"), "positive": pgettext("review label", "positive")}


def shown_scores(scores: pd.DataFrame) -> pd.DataFrame:
    """The scores as the page shows them, in this session's language (the data keeps English)."""
    _, labels = gettext_for_session(), review_labels()
    tokens = [_("last {read} of {total}").format(read=f"{read:,}", total=f"{total:,}") if read < total
              else _("all {total}").format(total=f"{total:,}") for read, total in zip(scores["read"], scores["total"])]
    shown = scores.drop(columns=["read", "total"]).assign(**{
        "Model": [shown_name(label, _) for label in scores["Model"]],
        "Verdict": [labels[verdict] for verdict in scores["Verdict"]], "Tokens read": tokens})
    return shown.rename(columns=_)


def tokens_read(model, review: str) -> tuple[int, int]:
    """(tokens the model reads, tokens in the review). A text model is vectorizer -> KeepLast ->
    token model (models.imdb.with_vectorizer): it reads the last `sequence_length` tokens, or all
    of them when its input length is None (NBSVM reads the review as a set)."""
    vectorizer, token_model = model.layers[1], model.layers[-1]
    total = int(np.count_nonzero(np.asarray(vectorizer(np.array([review], dtype=object)))))
    length = token_model.inputs[0].shape[1]
    return (total if length is None else min(total, int(length))), total


def example_reviews(entries: list[Entry]) -> None:
    _ = gettext_for_session()
    data = load_dataset("imdb", show_notices_here=False)  # the task page showed its notices
    usable = []
    for entry in entries:
        probabilities = entry.load_predictions()
        if probabilities is not None and np.ndim(probabilities) == 2:  # (reviews, 1) from Keras
            probabilities = entry.predictions_shaped((len(data.y_test), 1))
        else:
            probabilities = entry.predictions_shaped((len(data.y_test),))
        if probabilities is None:
            st.info(f"{shown_name(entry.label, _)}: {entry.predictions_unavailable(_)}", icon=":material/info:")
        else:
            usable.append((entry, np.asarray(probabilities).reshape(-1)))
    if not usable:
        return
    st.subheader(_("Example test reviews"))
    for index in example_indices(data.y_test):
        truth = int(data.y_test[index])
        with st.container(border=True):
            st.markdown(_("**Test review {index}** · true label: **{label}**").format(
                index=f"{index:,}", label=review_labels()[CLASS_NAMES[truth]]))
            st.text(shorten(data.x_test[index]))  # the review itself stays in its language
            st.dataframe(pd.DataFrame([{_("Model"): shown_name(entry.label, _),
                                        _("P(positive)"): round(float(p[index]), 3),
                                        _("Correct"): (p[index] >= 0.5) == bool(truth)} for entry, p in usable]),
                         hide_index=True)


def your_review(preferred_runs: list[str] = ()) -> None:
    """Score a typed review with any stored IMDB models, rebuilt from code, weights and vocabulary
    (`ui.stored_models`); `preferred_runs` (this page's runs) are selected first."""
    _ = gettext_for_session()
    st.subheader(_("Try your own review"))
    records = choose_runs("imdb", "imdb-review-runs", list(preferred_runs), label=_("Stored IMDB models to ask"))
    if not records:
        st.info(_("No stored IMDB model to ask yet: train one above, or pick one in the list."),
                icon=":material/info:")
        return
    with st.form("imdb-your-review"):
        text = st.text_area(_("Your review"), max_chars=MAX_REVIEW_CHARS, key="imdb-review",
                            placeholder=_("The acting was wooden but the story kept me hooked until the end."))
        submitted = st.form_submit_button(_("Score it"), icon=":material/reviews:")
    if submitted and text.strip():
        models = stored_models(records)
        if models:
            scores = score_review(models, text)
            st.dataframe(shown_scores(scores), hide_index=True)
            if not all(value.startswith("all") for value in scores["Tokens read"]):
                st.caption(_("A model reads only the last tokens of a review (words, and word pairs for the bag of "
                             "bigrams), up to its sequence length: the beginning of a long review does not change "
                             "its score."))
        st.caption(_("Your text is only scored, never stored. Words the model never saw in training are all "
                     "mapped to one 'unknown' token."))


def sentiment_views(entries: list[Entry]) -> None:
    example_reviews(entries)
