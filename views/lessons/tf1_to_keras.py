"""Lesson 8: the notes' TF1 code, what is wrong with it, and the same layer in Keras 3."""

import inspect

import pandas as pd
import streamlit as st

from lessons import tf1_to_keras
from ui.i18n import gettext_for_session, text
from ui.lesson import corrections, lesson_header, next_steps, quiz
from ui.lesson_training import idle_prompt, session_result

_, prose = gettext_for_session(), text("tf1_to_keras")
lesson_header("views/lessons/tf1_to_keras.py")
st.markdown(prose("intro"))

problems = tf1_to_keras.name_problems(tf1_to_keras.NOTES_CODE)
left, right = st.columns(2)
with left:
    st.markdown(_("**The notes' code (TF1), as written**"))
    st.code(tf1_to_keras.NOTES_CODE, language="python")
    st.error(prose("notes-bugs", undefined=_(", ").join(problems["undefined"]),
                   unused=_(", ").join(problems["unused"])), icon=":material/bug_report:")
with right:
    st.markdown(_("**The same layer in Keras 3**"))
    st.code(inspect.getsource(tf1_to_keras.keras_layer), language="python")

st.markdown(_("**The notes' code, repaired, run the TF1 way** (`tf.compat.v1` inside TensorFlow 2)"))
st.code(inspect.getsource(tf1_to_keras.tf1_layer), language="python")

st.subheader(_("What replaced what"))
st.markdown(prose("replacements"))


@st.fragment
def run_demo():
    st.subheader(_("Run all three on the same numbers"))
    st.caption(prose("same-numbers"))
    start = st.button(_("Run them"), type="primary", icon=":material/play_arrow:", key="tf1-run")
    outputs = session_result("tf1", (0,), tf1_to_keras.compare_layers, {"seed": 0},
                             _("Importing TensorFlow and running the three versions…"), start=start)
    if outputs is None:
        idle_prompt("tf1", _("Press the button: the three versions run in a worker process, which loads "
                             "TensorFlow (a few seconds)."))
        return
    units = [_("unit {number}").format(number=number) for number in (1, 2)]
    for column, name in zip(st.columns(3), ("NumPy", "TF1 graph + session", "Keras 3 Dense")):
        column.markdown(f"**{_(name)}**")
        column.dataframe(pd.DataFrame(outputs[name], columns=units), hide_index=True)
    st.metric(_("Largest difference between the three"), f"{outputs['largest difference']:.1e}",
              help=_("float32 rounding; anything below about 1e-6 means the same computation"))


run_demo()
quiz(tf1_to_keras.QUESTIONS, key="tf1")
corrections(tf1_to_keras.CORRECTIONS)
next_steps("views/lessons/convolution.py", "views/tasks/mnist.py")
