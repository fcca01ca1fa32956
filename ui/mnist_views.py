"""MNIST results: the confusion matrix and the test digits a model got wrong."""

from __future__ import annotations

import numpy as np
import streamlit as st

from data.mnist import CLASS_NAMES
from ui.charts import confusion_heatmap
from ui.datasets import load_dataset
from ui.i18n import gettext_for_session, localized_chart
from ui.names import shown_name
from ui.results import Entry

MISTAKES_SHOWN = 24


def misclassified(labels: np.ndarray, probabilities: np.ndarray, count: int = MISTAKES_SHOWN) -> np.ndarray:
    """Indices of wrongly classified test images, the most confident mistakes first."""
    predicted = probabilities.argmax(axis=1)
    wrong = np.flatnonzero(predicted != labels)
    confidence = probabilities[wrong, predicted[wrong]]
    return wrong[np.argsort(-confidence, kind="stable")][:count]


def mnist_views(entries: list[Entry]) -> None:
    _ = gettext_for_session()
    st.subheader(_("Where each model goes wrong"))
    labels = [shown_name(entry.label, _) for entry in entries]
    chosen = entries[st.selectbox(_("Model"), range(len(entries)), format_func=labels.__getitem__, key="mnist-view")]
    matrix = chosen.metrics.get("confusion_matrix")
    left, right = st.columns([1, 1])
    if matrix is not None:
        left.altair_chart(localized_chart(confusion_heatmap(np.asarray(matrix), CLASS_NAMES, _(
            "Confusion matrix: {model}").format(model=shown_name(chosen.label, _)))))
        left.caption(_("Rows are the true digits, columns the predictions: everything off the diagonal is a "
                       "mistake, and the biggest off-diagonal cells show which digits the model confuses."))
    data = load_dataset("mnist", show_notices_here=False)  # the task page showed its notices
    probabilities = chosen.predictions_shaped((len(data.y_test), len(CLASS_NAMES)))
    if probabilities is None:
        right.info(chosen.predictions_unavailable(_), icon=":material/info:")
        return
    wrong = misclassified(data.y_test, probabilities)
    right.markdown(_("**{wrong} of {total} test digits misclassified**; the most confident mistakes:").format(
        wrong=f"{int((probabilities.argmax(axis=1) != data.y_test).sum()):,}", total=f"{len(data.y_test):,}"))
    if len(wrong) == 0:
        right.success(_("No test digit is misclassified."), icon=":material/check_circle:")
        return
    predicted = probabilities.argmax(axis=1)
    captions = [_("true {truth} → {predicted} ({confidence} %)").format(
        truth=data.y_test[i], predicted=predicted[i], confidence=f"{100 * probabilities[i, predicted[i]]:.0f}")
        for i in wrong]
    right.image([data.x_test[i] for i in wrong], caption=captions, width=84)
