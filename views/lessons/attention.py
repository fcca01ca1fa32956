"""Lesson 21: attention. A small model on IMDB learns which words to weigh; the learner's own
sentence is read with the trained weights."""

import pandas as pd
import streamlit as st

from lessons import attention
from models.registry import architecture
from ui.bar_charts import word_weights_chart
from ui.lesson import corrections, lesson_header, next_steps, quiz
from ui.lesson_training import idle_prompt, session_result

SCRIPT = "views/lessons/attention.py"
lesson_header(SCRIPT)

st.markdown(
    "Asked a question about a long text (reading comprehension) or about a picture (visual question "
    "answering), you do not give every word or every pixel the same attention: you look for the part "
    "that answers the question. An **attention** layer does the same with learned numbers (note 000). It "
    "gives each part of the input a **score**, turns the scores into **weights** that sum to 1 with a "
    "softmax (lesson 3), and passes on the weighted average of the parts. The weights are computed afresh "
    "for every input, and they can be read.\n\n"
    "The smallest useful example: deciding whether a movie review is positive. Every word t has a vector "
    "e_t (lesson 14), and the model learns\n\n"
    "- a score for each word, `score_t = q · tanh(e_t W + b)`;\n"
    "- the weights `a = softmax(score)` over the words of this review;\n"
    "- the verdict `P(positive) = sigmoid(Σ_t a_t (e_t · u) + c)`.\n\n"
    "So each word adds `a_t (e_t · u)` to the verdict: its weight times its own polarity. A bag of embeddings "
    "gives every word the same weight 1/n; attention lets a few words speak for the whole review.")


@st.fragment
def train_and_read():
    recipe = architecture("imdb", "attention").quick_recipe
    st.header("Train it on IMDB")
    start = st.button(f"Train the attention model ({recipe.limit:,} reviews, {recipe.epochs} epochs, about 30 s)",
                      icon=":material/play_arrow:", key="attention-train")
    trained = session_result("attention", (), attention.train_attention, {},
                             "Training the attention model on IMDB reviews…", start=start)
    if trained is None:
        idle_prompt("attention", "Press the button: the sentiment task's attention model is trained with its quick "
                    "recipe, and then it reads a sentence of yours.")
    else:
        summary = st.columns(3)
        summary[0].metric("Test accuracy", f"{trained.test_accuracy:.1%}",
                          help=f"On {trained.test_reviews:,} test reviews drawn at random")
        summary[1].metric("Training reviews", f"{trained.train_reviews:,}")
        summary[2].metric("Training time", f"{trained.seconds:.0f} s", help="including loading and vectorising")

        st.subheader("Your sentence, as the model reads it")
        text = st.text_area("A review of your own (the model knows the English words of its training reviews)",
                            "The plot was predictable and far too long, but the acting was wonderful and I loved "
                            "the ending.", max_chars=2000, key="attention-text")
        try:
            reading = attention.read(trained.weights, text)
        except ValueError as error:
            st.warning(str(error), icon=":material/warning:")
        else:
            shown = min(len(reading.words), attention.MAX_WORDS_SHOWN)
            order = reading.weights.argsort()[::-1][:shown]
            kept = sorted(order)
            st.altair_chart(word_weights_chart([reading.words[index] for index in kept], reading.weights[kept],
                                               reading.contributions[kept]), width="stretch")
            verdict = st.columns(2)
            verdict[0].metric("P(positive)", f"{reading.probability:.1%}")
            top = int(reading.weights.argmax())
            verdict[1].metric("Most weighed word", reading.words[top], help=f"weight {reading.weights[top]:.2f}")
            if len(reading.words) > shown:
                st.caption(f"The {shown} most weighed of {len(reading.words)} words are shown, in reading order.")
            st.dataframe(pd.DataFrame({"word": reading.words, "known": reading.known, "weight": reading.weights,
                                       "polarity e·u": reading.polarity, "adds to the verdict": reading.contributions}),
                         hide_index=True, column_config={
                             name: st.column_config.NumberColumn(format="%.3f")
                             for name in ("weight", "polarity e·u", "adds to the verdict")})
            share = float(reading.weights[order[:3]].sum())
            st.caption(f"The three most weighed words carry {share:.0%} of the weight of {len(reading.words)} words. "
                       "Words outside the vocabulary (known = False) all share one vector, \"[UNK]\". These numbers "
                       "are computed by hand from the trained weights; the tests check them against the Keras "
                       "model's own attention layer.")

        st.subheader("The words it learned to weigh")
        st.dataframe(pd.DataFrame(attention.most_weighed_words(trained.weights, count=20),
                                  columns=["word", "score", "polarity e·u"]), hide_index=True,
                     column_config={"score": st.column_config.NumberColumn(format="%.2f"),
                                    "polarity e·u": st.column_config.NumberColumn(format="%.2f")})
        st.caption("A word's score does not depend on its neighbours in this small model: these are the words that "
                   "take the weight whenever they appear. Numbers such as 710 or 410 are ratings like \"7/10\" with "
                   "the punctuation stripped, as the vectorizer does.")

    st.markdown(
        "**What the weights do not say.** A large weight means a word counted, not that the model understood "
        "it: this model reads \"not good\" as the weighted sum of \"not\" and \"good\", with no idea that one "
        "negates the other. Larger attention models put context into each word's vector first (a recurrent or "
        "convolutional layer, or attention itself, as in the Transformer), and then the weights are a partial, "
        "local explanation, like the saliency maps of lesson 10. On the sentiment task page the same model "
        "trains on all 20,000 training reviews, beside the recurrent and convolutional ones.")


train_and_read()
quiz(attention.QUESTIONS, key="attention")
corrections(attention.CORRECTIONS)
next_steps("views/tasks/sentiment.py", "views/lessons/embeddings.py")
