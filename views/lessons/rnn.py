"""Lesson 11: recurrent networks: memory as an extra input, the notes' worked example, Elman,
Jordan and bidirectional networks, words as vectors, and slot filling trained live."""

import numpy as np
import pandas as pd
import streamlit as st

from lessons import rnn
from ui.grid_charts import sequence_grid
from ui.lesson import corrections, lesson_header, next_steps, quiz
from ui.lesson_training import idle_prompt, session_result

SCRIPT = "views/lessons/rnn.py"
lesson_header(SCRIPT)


def rebuilt_taggers(trained: dict) -> dict:
    """The worker's two taggers as Keras models, rebuilt once per session from their weights."""
    cached = st.session_state.get("slot-tagger-models")
    if cached is None or cached[0] is not trained:
        cached = (trained, {kind: rnn.rebuild_tagger(tagger, trained["vocabulary"])
                            for kind, tagger in trained["taggers"].items()})
        st.session_state["slot-tagger-models"] = cached
    return cached[1]


st.markdown(
    "A feed-forward network sees each input on its own. For a sentence, a sound or a week of "
    "traffic that is not enough: the meaning of a word depends on the words before it. A "
    "**recurrent** network stores its hidden layer's values in a **memory** and reads them back "
    "as an **extra input** at the next step, so each output depends on the whole sequence so far. "
    "The same weights are used at every step.")


@st.fragment
def notes_example():
    st.header("The notes' example, computed")
    st.markdown("Two inputs, two hidden units whose values go into two memory cells (starting at 0), "
                "two outputs; **every weight is 1, no bias, linear activation**. At each step a hidden "
                "unit adds both inputs and both memory cells; each output adds both hidden units.")
    orders = rnn.orderings()
    chosen = st.selectbox("Input sequence (reorder it)", list(orders))
    inputs = rnn.NOTES_INPUTS[orders[chosen]]
    trace = rnn.elman(inputs, rnn.all_ones())
    st.dataframe(pd.DataFrame(rnn.trace_rows(inputs, trace)), hide_index=True)
    original = rnn.elman(rnn.NOTES_INPUTS, rnn.all_ones()).outputs
    if np.array_equal(inputs, rnn.NOTES_INPUTS):
        st.markdown(f"Outputs **{rnn.as_text(trace.outputs)}**: note 004's numbers. Now pick another order.")
    else:
        st.markdown(f"The same three inputs in another order give **{rnn.as_text(trace.outputs)}** instead of "
                    f"{rnn.as_text(original)}: the memory makes the output depend on the order.")


def three_kinds():
    st.header("Elman, Jordan and bidirectional")
    kinds = pd.DataFrame(rnn.kinds_rows())
    st.dataframe(kinds, hide_index=True)
    st.markdown(
        "- **Elman** (the usual RNN, and Keras' `SimpleRNN`): the memory holds the *hidden* values.\n"
        "- **Jordan**: the memory holds the network's *output*. The output has a training target, so "
        "it is clearer what the memory contains.\n"
        "- **Bidirectional**: one hidden layer reads left to right, another right to left, and each "
        "output sees both, so the first output already depends on the last input. It needs the "
        "whole sequence before answering: fine for tagging a written sentence, impossible for live "
        "forecasting.\n\n"
        "All three use the same all-ones weights; the bidirectional network has a second set for its "
        "backward layer.")


@st.fragment
def jordan_against_elman():
    st.subheader("Jordan networks: what an output memory buys and costs")
    st.markdown(
        "A Jordan network (Jordan, 1986) stores its **output**, not its hidden layer. That buys two things. The "
        "memory means something you can read: it is the network's last answer (note 000). And the output has a "
        "training target, so training can feed the *true* previous answer instead of the network's own "
        "(**teacher forcing**): every step becomes an ordinary feed-forward example, and no gradient has to flow "
        "back through time. The cost: the network remembers only what its outputs say. Two tasks on random bits "
        "show both. In **running parity** (is the number of 1s so far odd?) the answer so far is all the memory "
        "needed. In **echo** (repeat the bit read two steps ago) no output ever holds the bit that will be needed.")
    jordan_task = st.radio("Task", list(rnn.TASKS), horizontal=True, key="jordan-task",
                           format_func=lambda name: f"{name}: {rnn.TASKS[name]}")
    jordan_start = st.button("Train the three networks (about 20 s)", icon=":material/model_training:",
                             key="jordan-train")
    memories = session_result("jordan", (jordan_task,), rnn.compare_memories, {"task": jordan_task},
                              f"Training an Elman and two Jordan networks on {jordan_task}…", start=jordan_start)
    if memories is None:
        idle_prompt("jordan", "Pick a task and press the button: an Elman network and a Jordan network are trained "
                    "through time on the same 1,000 sequences of 20 bits, and a third, Jordan network with teacher "
                    "forcing.")
    else:
        st.dataframe(pd.DataFrame([{"network": item.kind, "steps right on new sequences": item.step_accuracy,
                                    "final training loss": item.losses[-1], "training seconds": item.seconds}
                                   for item in memories.results]), hide_index=True,
                     column_config={"steps right on new sequences": st.column_config.NumberColumn(format="percent"),
                                    "final training loss": st.column_config.NumberColumn(format="%.3f"),
                                    "training seconds": st.column_config.NumberColumn(format="%.1f")})
        series = {"input bit": memories.example_bits, "target": memories.example_targets,
                  **{f"{item.kind}: output": item.example_outputs for item in memories.results}}
        st.altair_chart(sequence_grid(series, f"One new sequence, {memories.task}"), width="stretch")
        scores = {item.kind: item.step_accuracy for item in memories.results}
        forced = scores["Jordan, teacher forcing"]
        if memories.task == "running parity":
            st.markdown(
                f"Elman {scores['Elman']:.0%}, Jordan {scores['Jordan']:.0%}, "
                f"Jordan with teacher forcing {forced:.0%}: "
                "the output is all the memory parity needs. The teacher-forced network never saw its own mistakes "
                "in training; it runs on its own answers here, so one wrong step would spoil all the following ones "
                + ("(it made none)." if forced > 0.99 else f"(and did: {1 - forced:.0%} of the steps are wrong)."))
        else:
            st.markdown(
                f"Elman {scores['Elman']:.0%}, Jordan {scores['Jordan']:.0%}, "
                f"Jordan with teacher forcing {forced:.0%}. "
                "A coin would get about 55 % (the first two targets are always 0). With teacher forcing each step "
                "sees the current bit and the bit from three steps ago, and neither says anything about the bit "
                "from two steps ago: no amount of training helps. Trained through time, the Jordan network's only "
                "state is its output, a number between 0 and 1, so the only place to keep the bit is in *how sure* "
                "each output is; the cross-entropy loss punishes unsure outputs"
                + (", yet it found room for some of it here." if scores["Jordan"] > 0.6 else "."))


@st.fragment
def words_as_vectors():
    st.header("Words as vectors")
    vocabulary = ["apple", "bag", "cat", "dog", "elephant"]
    word = st.text_input("A word", "dog", max_chars=40)
    encoded = rnn.one_of_n(word, vocabulary)
    st.dataframe(pd.DataFrame([encoded.astype(int)], columns=vocabulary + ['"other"']), hide_index=True)
    st.markdown("**1-of-N**: one dimension per vocabulary word. A word outside the vocabulary would "
                "have no vector at all, so an extra **\"other\"** dimension collects every unknown word; "
                "they all look the same to the network. **Word hashing** avoids that: a word becomes the "
                f"counts of its letter trigrams, in {rnn.HASH_SIZE:,} dimensions whatever the vocabulary, so "
                "unseen words and typos still get a vector close to their neighbours'.")
    pair = st.columns(2)
    first = pair[0].text_input("Word hashing: first word", "apple", max_chars=40)
    second = pair[1].text_input("Second word", "apples", max_chars=40)
    pair[0].write(f"Trigrams: {', '.join(rnn.letter_trigrams(first)) or '(no letters)'}")
    pair[1].write(f"Trigrams: {', '.join(rnn.letter_trigrams(second)) or '(no letters)'}")
    st.metric("Cosine similarity of the two hashed words",
              f"{rnn.cosine(rnn.word_hash(first), rnn.word_hash(second)):.2f}")


@st.fragment
def slot_filling():
    st.header("Slot filling: why memory matters")
    st.markdown(
        "A travel assistant fills slots from a sentence: in *arrive Taipei on November 2nd*, Taipei is "
        "the **destination**; in *leave Taipei on November 2nd* it is the **place of departure**. A "
        "feed-forward tagger sees one word at a time: Taipei is the same vector in both sentences, so "
        "it must give the same answer, so on sentence pairs that differ only in the verb it can be right "
        "at most half the time. An RNN has read *arrive* or *leave* before reaching Taipei.")
    start = st.button("Train both taggers (a few seconds)", icon=":material/model_training:")
    trained = session_result("slot-taggers", (), rnn.train_tagger_weights, {},
                             "Training a feed-forward and a recurrent tagger on 200 sentences…", start=start)
    if trained is None:
        idle_prompt("slot-taggers", "Press the button to train the two taggers.")
    else:
        scores = st.columns(2)
        for column, (kind, result) in zip(scores, trained["taggers"].items(), strict=True):
            column.metric(f"{'Feed-forward' if kind == 'feedforward' else 'RNN'}: city tagged correctly",
                          f"{result.city_accuracy:.0%}",
                          help=f"On {rnn.TEST_SENTENCES} new sentences in pairs that differ only in the verb, "
                          f"some with a city never seen in training ({rnn.HELD_OUT_CITY}).")
        text = st.text_input("Tag a five-word sentence", "leave Taipei on November 2nd", max_chars=120)
        try:
            sentence = rnn.split_sentence(text)
        except ValueError as error:
            st.warning(str(error))
        else:
            for kind, model in rebuilt_taggers(trained).items():
                st.caption("Feed-forward tagger" if kind == "feedforward" else "RNN tagger")
                tagged = pd.DataFrame(rnn.tag_sentence(model, trained["vocabulary"], sentence))
                st.dataframe(tagged, hide_index=True)
            st.caption('"known" is False for words outside the training vocabulary: they reach the '
                       'taggers as the "other" dimension, yet the RNN can still tag an unseen city '
                       "from the verb before it.")


notes_example()
three_kinds()
jordan_against_elman()
words_as_vectors()
slot_filling()
quiz(rnn.QUESTIONS, key="rnn")
corrections(rnn.CORRECTIONS)
next_steps("views/lessons/lstm_gru.py", "views/tasks/sentiment.py")
