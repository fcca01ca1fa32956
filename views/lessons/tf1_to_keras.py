"""Lesson 8: the notes' TF1 code, what is wrong with it, and the same layer in Keras 3."""

import inspect

import pandas as pd
import streamlit as st

from lessons import tf1_to_keras
from ui.lesson import corrections, lesson_header, next_steps, quiz
from ui.lesson_training import idle_prompt, session_result

lesson_header("views/lessons/tf1_to_keras.py")
st.markdown(
    "Note 001 builds one hidden layer in TensorFlow 1: placeholders for the data, variables for the "
    "weights, then a graph of operations that a session runs later. TensorFlow 2 runs eagerly and Keras 3 "
    "wraps the whole layer in `Dense`. Below, the notes' snippet as written, then the two working versions; "
    "the code shown is the code that runs when you press the button."
)

problems = tf1_to_keras.name_problems(tf1_to_keras.NOTES_CODE)
left, right = st.columns(2)
with left:
    st.markdown("**The notes' code (TF1), as written**")
    st.code(tf1_to_keras.NOTES_CODE, language="python")
    st.error(f"Read but never defined: **{', '.join(problems['undefined'])}**. Computed but never used: "
             f"**{', '.join(problems['unused'])}**. The missing line is `Z = XW + B`. Under TensorFlow 1 the "
             "snippet stops with `NameError: name 'Z' is not defined`; under TensorFlow 2 it fails even "
             "earlier, because `tf.placeholder` no longer exists.", icon=":material/bug_report:")
with right:
    st.markdown("**The same layer in Keras 3**")
    st.code(inspect.getsource(tf1_to_keras.keras_layer), language="python")

st.markdown("**The notes' code, repaired, run the TF1 way** (`tf.compat.v1` inside TensorFlow 2)")
st.code(inspect.getsource(tf1_to_keras.tf1_layer), language="python")

st.subheader("What replaced what")
st.dataframe(pd.DataFrame([
    ("tf.placeholder(tf.float32, shape=(None, d))", "keras.Input(shape=(d,)), or pass NumPy arrays directly"),
    ("tf.Variable(tf.random_normal([d, units])), tf.Variable(tf.ones([units]))",
     "created by Dense(units) when it is built: layer.kernel (Glorot uniform), layer.bias (zeros)"),
    ("tf.matmul(X, W) + B, then tf.sigmoid", "Dense(units, activation='sigmoid')"),
    ("tf.global_variables_initializer(); session.run(init)", "nothing: weights exist once the layer is built"),
    ("session.run(A, feed_dict={X: data})", "model(data) or model.predict(data)"),
    ("optimizer.minimize(loss) run in a session loop", "model.compile(optimizer, loss); model.fit(x, y)"),
], columns=["TensorFlow 1 (note 001)", "Keras 3"]), hide_index=True)


@st.fragment
def run_demo():
    st.subheader("Run all three on the same numbers")
    st.caption("Four examples with three features, a layer of two sigmoid units; the same W and B "
               "(ones, as in the notes) go into NumPy, the repaired TF1 graph and a Keras Dense layer.")
    start = st.button("Run them", type="primary", icon=":material/play_arrow:", key="tf1-run")
    outputs = session_result("tf1", (0,), tf1_to_keras.compare_layers, {"seed": 0},
                             "Importing TensorFlow and running the three versions…", start=start)
    if outputs is None:
        idle_prompt("tf1", "Press the button: the three versions run in a worker process, which loads "
                           "TensorFlow (a few seconds).")
        return
    for column, name in zip(st.columns(3), ("NumPy", "TF1 graph + session", "Keras 3 Dense")):
        column.markdown(f"**{name}**")
        column.dataframe(pd.DataFrame(outputs[name], columns=["unit 1", "unit 2"]), hide_index=True)
    st.metric("Largest difference between the three", f"{outputs['largest difference']:.1e}",
              help="float32 rounding; anything below about 1e-6 means the same computation")


run_demo()
quiz(tf1_to_keras.QUESTIONS, key="tf1")
corrections(tf1_to_keras.CORRECTIONS)
next_steps("views/lessons/convolution.py", "views/tasks/mnist.py")
