"""Lesson 21: attention. A small model on IMDB learns which words to weigh; the learner's own
sentence is read with the trained weights."""

import pandas as pd
import streamlit as st

from i18n import N_, translations
from lessons import attention
from models.registry import architecture
from ui.bar_charts import word_weights_chart
from ui.i18n import gettext_for_session, language, text
from ui.lesson import corrections, lesson_header, next_steps, quiz
from ui.lesson_training import idle_prompt, session_result

SCRIPT = "views/lessons/attention.py"
READING_COLUMNS = (N_("word"), N_("known"), N_("weight"), N_("polarity e·u"), N_("adds to the verdict"))
LEARNED_COLUMNS = (N_("word"), N_("score"), N_("polarity e·u"))  # of attention.most_weighed_words
_, prose = gettext_for_session(), text("attention")
lesson_header(SCRIPT)

st.markdown(prose("intro"))


@st.fragment
def train_and_read():
    recipe = architecture("imdb", "attention").quick_recipe
    st.header(_("Train it on IMDB"))
    start = st.button(_("Train the attention model ({reviews} reviews, {epochs} epochs, about 30 s)").format(
        reviews=f"{recipe.limit:,}", epochs=recipe.epochs), icon=":material/play_arrow:", key="attention-train")
    trained = session_result("attention", (), attention.train_attention, {},
                             _("Training the attention model on IMDB reviews…"), start=start)
    if trained is None:
        idle_prompt("attention", _("Press the button: the sentiment task's attention model is trained with its quick "
                                   "recipe, and then it reads a sentence of yours."))
    else:
        summary = st.columns(3)
        summary[0].metric(_("Test accuracy"), f"{trained.test_accuracy:.1%}",
                          help=_("On {reviews} test reviews drawn at random").format(
                              reviews=f"{trained.test_reviews:,}"))
        summary[1].metric(_("Training reviews"), f"{trained.train_reviews:,}")
        summary[2].metric(_("Training time"), f"{trained.seconds:.0f} s", help=_("including loading and vectorising"))

        st.subheader(_("Your sentence, as the model reads it"))
        text = st.text_area(_("A review of your own (the model knows the English words of its training reviews)"),
                            "The plot was predictable and far too long, but the acting was wonderful and I loved "
                            "the ending.", max_chars=2000, key="attention-text")
        try:
            reading = attention.read(trained.weights, text)
        except ValueError as error:
            st.warning(_(str(error)), icon=":material/warning:")
        else:
            shown = min(len(reading.words), attention.MAX_WORDS_SHOWN)
            order = reading.weights.argsort()[::-1][:shown]
            kept = sorted(order)
            st.altair_chart(word_weights_chart([reading.words[index] for index in kept], reading.weights[kept],
                                               reading.contributions[kept], _, translations(language()).pgettext),
                            width="stretch")
            verdict = st.columns(2)
            verdict[0].metric(_("P(positive)"), f"{reading.probability:.1%}")
            top = int(reading.weights.argmax())
            verdict[1].metric(_("Most weighed word"), reading.words[top],
                              help=_("weight {weight}").format(weight=f"{reading.weights[top]:.2f}"))
            if len(reading.words) > shown:
                st.caption(prose("shown-words", shown=shown, words=len(reading.words)))
            word, known, weight, polarity, adds = (_(name) for name in READING_COLUMNS)
            st.dataframe(pd.DataFrame({word: reading.words, known: reading.known, weight: reading.weights,
                                       polarity: reading.polarity, adds: reading.contributions}),
                         hide_index=True, column_config={
                             name: st.column_config.NumberColumn(format="%.3f") for name in (weight, polarity, adds)})
            share = float(reading.weights[order[:3]].sum())
            st.caption(prose("reading", share=f"{share:.0%}", words=len(reading.words)))

        st.subheader(_("The words it learned to weigh"))
        word, score, polarity = (_(name) for name in LEARNED_COLUMNS)
        st.dataframe(pd.DataFrame(attention.most_weighed_words(trained.weights, count=20),
                                  columns=[word, score, polarity]), hide_index=True,
                     column_config={score: st.column_config.NumberColumn(format="%.2f"),
                                    polarity: st.column_config.NumberColumn(format="%.2f")})
        st.caption(prose("learned"))

    st.markdown(prose("limits"))


train_and_read()
quiz(attention.QUESTIONS, key="attention")
corrections(attention.CORRECTIONS)
next_steps("views/tasks/sentiment.py", "views/lessons/embeddings.py")
