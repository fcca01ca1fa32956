"""Lesson 18: the notes' DNN / CNN / RNN / LSTM / GCN table, corrected, with each row linked to
the runs measured on the task pages."""

import pandas as pd
import streamlit as st

from lessons import comparison as cmp
from ui.lesson import corrections, lesson_header, next_steps, page_info, quiz

SCRIPT = "views/lessons/comparison.py"
lesson_header(SCRIPT)

st.markdown(
    "Note 000 ends with a table comparing five kinds of network. Its cells were scrambled when "
    "the slide was scanned (the LSTM column is empty, the others are mixed up) and some claims are "
    "wrong. Here it is rebuilt and corrected. The **Measured** line under each network is not an "
    "opinion: it shows what *your* runs on the task pages measured, and it fills in as you train.")

runs, reason = cmp.load_runs()
if reason:
    st.info(reason, icon=":material/info:")
measured = cmp.measured_cells(runs)
for row in cmp.TABLE:
    with st.container(border=True):
        st.subheader(row.family)
        cells = st.columns(4)
        for column, (title, text) in zip(cells, (("Application", row.application), ("Strengths", row.strengths),
                                                 ("Weaknesses", row.weaknesses),
                                                 ("Suitable data", row.suitable_data)), strict=True):
            column.markdown(f"**{title}**\n\n{text}")
        lines = measured[row.family]
        st.markdown("**Measured** (best run per architecture): " + ("; ".join(lines) if lines
                    else "no runs yet — train on the task page."))
        links = st.columns(3)
        for column, task in zip(links, cmp.family_tasks(row.family), strict=False):
            info = page_info(cmp.TASK_PAGES[task])
            if info.exists:
                column.page_link(info.script, label=info.title, icon=info.icon)

st.header("The table's claims, checked against your runs")
claims = pd.DataFrame(cmp.check_claims(runs))
st.dataframe(claims[["family", "claim", "verdict", "evidence"]], hide_index=True,
             column_config={"claim": st.column_config.TextColumn("claim", width="large"),
                            "evidence": st.column_config.TextColumn("evidence", width="large")})
st.caption("MNIST and IMDB runs are compared by test accuracy, traffic runs by the mean absolute error "
           "15 minutes ahead. One run per architecture is a noisy measurement: a claim that does not "
           "hold may just need more epochs or another seed.")


@st.fragment
def layer_cost():
    st.header("What one layer costs")
    problem = st.radio("Input", list(cmp.PROBLEMS), format_func=lambda key: cmp.PROBLEMS[key][0], horizontal=True)
    units = st.select_slider("Units in the layer", [16, 32, 64, 128, 256], value=64)
    st.dataframe(pd.DataFrame(cmp.parameter_rows(problem, units)), hide_index=True,
                 column_config={"parameters": st.column_config.NumberColumn("parameters", format="%d"),
                                "sees": st.column_config.TextColumn("sees", width="large")})
    st.caption("Weights + biases, counted as Keras counts them (the tests check each formula against the "
               "Keras layer). Sharing weights is what keeps the CNN, RNN and GCN small; the LSTM pays four "
               "times an RNN for its three gates and candidate.")


def notes_table():
    with st.expander("What the notes' table said, cell by cell"):
        for row in cmp.TABLE:
            st.markdown(f"**{row.family}**: {row.notes_said}")


layer_cost()
notes_table()
quiz(cmp.QUESTIONS, key="comparison")
corrections(cmp.CORRECTIONS)
next_steps("views/tasks/mnist.py", "views/tasks/sentiment.py", "views/tasks/traffic.py")
