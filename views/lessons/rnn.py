"""Lesson 11: recurrent networks: memory as an extra input, the notes' worked example, Elman,
Jordan and bidirectional networks, words as vectors, and slot filling trained live."""

import numpy as np
import pandas as pd
import streamlit as st

from i18n import N_
from lessons import rnn
from ui.grid_charts import sequence_grid
from ui.i18n import gettext_for_session, localized_chart, text
from ui.lesson import corrections, lesson_header, next_steps, quiz
from ui.lesson_training import idle_prompt, session_result

SCRIPT = "views/lessons/rnn.py"
_, prose = gettext_for_session(), text("rnn")
lesson_header(SCRIPT)
VOCABULARY = (N_("apple"), N_("bag"), N_("cat"), N_("dog"), N_("elephant"))  # shown in the reader's language
MEMORY_COLUMNS = (N_("network"), N_("steps right on new sequences"), N_("final training loss"),
                  N_("training seconds"))


def translated_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with its column names (marked N_ where they are made) in the reader's language."""
    return frame.rename(columns=lambda name: _(name))


def rebuilt_taggers(trained: dict) -> dict:
    """The worker's two taggers as Keras models, rebuilt once per session from their weights."""
    cached = st.session_state.get("slot-tagger-models")
    if cached is None or cached[0] is not trained:
        cached = (trained, {kind: rnn.rebuild_tagger(tagger, trained["vocabulary"])
                            for kind, tagger in trained["taggers"].items()})
        st.session_state["slot-tagger-models"] = cached
    return cached[1]


st.markdown(prose("intro"))

@st.fragment
def notes_example():
    st.header(_("The notes' example, computed"))
    st.markdown(prose("notes-example"))
    orders = rnn.orderings()
    chosen = st.selectbox(_("Input sequence (reorder it)"), list(orders))
    inputs = rnn.NOTES_INPUTS[orders[chosen]]
    trace = rnn.elman(inputs, rnn.all_ones())
    st.dataframe(translated_columns(pd.DataFrame(rnn.trace_rows(inputs, trace))), hide_index=True)
    original = rnn.elman(rnn.NOTES_INPUTS, rnn.all_ones()).outputs
    if np.array_equal(inputs, rnn.NOTES_INPUTS):
        st.markdown(prose("notes-outputs", outputs=rnn.as_text(trace.outputs)))
    else:
        st.markdown(prose("other-order", outputs=rnn.as_text(trace.outputs), original=rnn.as_text(original)))


def three_kinds():
    st.header(_("Elman, Jordan and bidirectional"))
    kinds = translated_columns(pd.DataFrame(rnn.kinds_rows()))
    st.dataframe(kinds, hide_index=True)
    st.markdown(prose("three-kinds"))

@st.fragment
def jordan_against_elman():
    st.subheader(_("Jordan networks: what an output memory buys and costs"))
    st.markdown(prose("jordan"))
    jordan_task = st.radio(_("Task"), list(rnn.TASKS), horizontal=True, key="jordan-task",
                           format_func=lambda name: _("{task}: {description}").format(
                               task=_(name), description=_(rnn.TASKS[name])))
    jordan_start = st.button(_("Train the three networks (about 20 s)"), icon=":material/model_training:",
                             key="jordan-train")
    memories = session_result("jordan", (jordan_task,), rnn.compare_memories, {"task": jordan_task},
                              _("Training an Elman and two Jordan networks on {task}…").format(task=_(jordan_task)),
                              start=jordan_start)
    if memories is None:
        idle_prompt("jordan", _("Pick a task and press the button: an Elman network and a Jordan network are trained "
                                "through time on the same 1,000 sequences of 20 bits, and a third, Jordan network "
                                "with teacher forcing."))
    else:
        network, right, loss, seconds = (_(name) for name in MEMORY_COLUMNS)
        st.dataframe(pd.DataFrame([{network: _(item.kind), right: item.step_accuracy,
                                    loss: item.losses[-1], seconds: item.seconds}
                                   for item in memories.results]), hide_index=True,
                     column_config={right: st.column_config.NumberColumn(format="percent"),
                                    loss: st.column_config.NumberColumn(format="%.3f"),
                                    seconds: st.column_config.NumberColumn(format="%.1f")})
        series = {_("input bit"): memories.example_bits, _("target"): memories.example_targets,
                  **{_("{network}: output").format(network=_(item.kind)): item.example_outputs
                     for item in memories.results}}
        st.altair_chart(localized_chart(sequence_grid(
            series, _("One new sequence, {task}").format(task=_(memories.task)))), width="stretch")
        scores = {item.kind: item.step_accuracy for item in memories.results}
        forced = scores["Jordan, teacher forcing"]
        shown = {"elman": f"{scores['Elman']:.0%}", "jordan": f"{scores['Jordan']:.0%}", "forced": f"{forced:.0%}"}
        if memories.task == "running parity":
            ending = prose("parity-no-mistake") if forced > 0.99 else prose("parity-mistakes",
                                                                             wrong=f"{1 - forced:.0%}")
            st.markdown(prose("parity-result", ending=ending, **shown))
        else:
            ending = prose("echo-some-room") if scores["Jordan"] > 0.6 else prose("echo-no-room")
            st.markdown(prose("echo-result", ending=ending, **shown))

@st.fragment
def words_as_vectors():
    st.header(_("Words as vectors"))
    vocabulary = [_(word) for word in VOCABULARY]
    word = st.text_input(_("A word"), _("dog"), max_chars=40)
    encoded = rnn.one_of_n(word, vocabulary)
    st.dataframe(pd.DataFrame([encoded.astype(int)], columns=vocabulary + [_('"other"')]), hide_index=True)
    st.markdown(prose("one-of-n", dimensions=f"{rnn.HASH_SIZE:,}"))
    pair = st.columns(2)
    first = pair[0].text_input(_("Word hashing: first word"), "apple", max_chars=40)
    second = pair[1].text_input(_("Second word"), "apples", max_chars=40)
    for column, chosen in zip(pair, (first, second), strict=True):
        trigrams = ", ".join(f"`{trigram}`" for trigram in rnn.letter_trigrams(chosen)) or _("(no letters)")
        column.write(_("Trigrams: {trigrams}").format(trigrams=trigrams))
    st.metric(_("Cosine similarity of the two hashed words"),
              f"{rnn.cosine(rnn.word_hash(first), rnn.word_hash(second)):.2f}")

@st.fragment
def slot_filling():
    st.header(_("Slot filling: why memory matters"))
    st.markdown(prose("slot-filling"))
    start = st.button(_("Train both taggers (a few seconds)"), icon=":material/model_training:")
    trained = session_result("slot-taggers", (), rnn.train_tagger_weights, {},
                             _("Training a feed-forward and a recurrent tagger on 200 sentences…"), start=start)
    if trained is None:
        idle_prompt("slot-taggers", _("Press the button to train the two taggers."))
    else:
        scores = st.columns(2)
        for column, (kind, result) in zip(scores, trained["taggers"].items(), strict=True):
            column.metric(_("Feed-forward: city tagged correctly") if kind == "feedforward"
                          else _("RNN: city tagged correctly"), f"{result.city_accuracy:.0%}",
                          help=_("On {count} new sentences in pairs that differ only in the verb, some with a city "
                                 "never seen in training ({city}).").format(count=rnn.TEST_SENTENCES,
                                                                            city=rnn.HELD_OUT_CITY))
        sentence_text = st.text_input(_("Tag a five-word sentence"), "leave Taipei on November 2nd", max_chars=120)
        try:
            sentence = rnn.split_sentence(sentence_text)
        except ValueError as error:
            st.warning(_(str(error)))
        else:
            for kind, model in rebuilt_taggers(trained).items():
                st.caption(_("Feed-forward tagger") if kind == "feedforward" else _("RNN tagger"))
                tagged = pd.DataFrame(rnn.tag_sentence(model, trained["vocabulary"], sentence))
                tagged["slot"] = [_(slot) for slot in tagged["slot"]]
                columns = {N_("word"): _("word"), N_("known"): _("known"), N_("slot"): _("slot")}
                columns |= {f"p({tag})": f"p({_(tag)})" for tag in rnn.TAGS}
                st.dataframe(tagged.rename(columns=columns), hide_index=True)
            st.caption(prose("known"))

notes_example()
three_kinds()
jordan_against_elman()
words_as_vectors()
slot_filling()
quiz(rnn.QUESTIONS, key="rnn")
corrections(rnn.CORRECTIONS)
next_steps("views/lessons/lstm_gru.py", "views/tasks/sentiment.py")
