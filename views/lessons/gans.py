"""Lesson 16: generative adversarial networks: a generator and a discriminator trained against
each other, live, on 2-D points, with snapshots epoch by epoch."""

import pandas as pd
import streamlit as st

from i18n import N_
from lessons import gans
from ui.curve_charts import loss_chart
from ui.i18n import gettext_for_session, localized_chart, text
from ui.lesson import corrections, lesson_header, next_steps, quiz
from ui.lesson_training import idle_prompt, session_result
from ui.scatter_charts import gan_samples_chart, gan_snapshot_grid

SCRIPT = "views/lessons/gans.py"
_, prose = gettext_for_session(), text("gans")
lesson_header(SCRIPT)

st.markdown(prose("intro"))


@st.fragment
def train_a_gan():
    st.header(_("Train a GAN on 2-D points"))
    st.markdown(prose("setup"))
    with st.form("gan-form"):
        columns = st.columns(3)
        dataset = columns[0].selectbox(_("Real data"), list(gans.DATASETS),
                                       format_func=lambda name: _(gans.DATASETS[name]))
        epochs = columns[1].slider(_("Epochs (100 updates of each network per epoch)"), 3, 40, 20)
        learning_rate = columns[2].select_slider(_("Learning rate"), [5e-4, 1e-3, 2e-3, 5e-3], value=2e-3)
        submitted = st.form_submit_button(_("Train live"), icon=":material/model_training:")
    settings = (dataset, epochs, learning_rate)


    def show_epoch(payload: dict) -> None:
        """The latest epoch the worker sent: its generated points over the real data, and its losses."""
        st.altair_chart(localized_chart(gan_samples_chart(
            payload["real"], payload["points"],
            _("Generated points after epoch {epoch}").format(epoch=payload["epoch"]))))
        st.caption(_("Epoch {epoch} of {epochs}: discriminator loss {d_loss}, generator loss {g_loss}").format(
            epoch=payload["epoch"], epochs=payload["epochs"], d_loss=f"{payload['d_loss']:.3f}",
            g_loss=f"{payload['g_loss']:.3f}"))


    result = session_result("gan", settings, gans.train_gan,
                            {"dataset": dataset, "epochs": epochs, "learning_rate": learning_rate},
                            _("Training the generator and the discriminator (after any training already running)…"),
                            start=submitted, progress=show_epoch)
    if result is None:
        idle_prompt("gan", _("Choose the data and press **Train live**: the generated points appear epoch by epoch "
                             "(seconds to half a minute, depending on the machine)."))
        return

    st.caption(_("Trained in {seconds} s.").format(seconds=f"{result.seconds:.1f}"))
    epoch = st.slider(_("Show the generator after epoch"), 0, epochs, epochs)
    left, right = st.columns([3, 2])
    left.altair_chart(localized_chart(gan_samples_chart(
        result.real, result.snapshots[epoch],
        _("Real data (grey) and generated points (blue), epoch {epoch}").format(epoch=epoch))))
    quality = result.quality[epoch]
    right.metric(_("Mean distance, generated point to nearest real one"), f"{quality['fake to real']:.3f}",
                 help=_("Small when the fakes are realistic."))
    right.metric(_("Mean distance, real point to nearest generated one"), f"{quality['real to fake']:.3f}",
                 help=_("Small when every part of the data is covered: large after mode collapse."))
    if dataset == "ring":
        right.metric(_("Modes covered (of 8)"), f"{quality['modes covered']:.0f}")
        right.metric(_("Generated points within 3 std of a mode"), f"{quality['near a mode']:.0%}")
    steps = sorted({0, 1, epochs // 4, epochs // 2, epochs})
    st.altair_chart(localized_chart(gan_snapshot_grid(result.real, result.snapshots, steps)))

    st.altair_chart(localized_chart(loss_chart(
        {N_("discriminator"): list(result.d_losses), N_("generator"): list(result.g_losses)},
        _("Losses per epoch"), y_title=_("Cross-entropy"),
        reference={N_("discriminator guessing (2 ln 2)"): gans.EQUILIBRIUM_D_LOSS,
                   N_("generator at equilibrium (ln 2)"): gans.EQUILIBRIUM_G_LOSS})))
    st.caption(prose("losses"))
    table = pd.DataFrame([{_("epoch"): index, **{_(name): round(value, 3) for name, value in row.items()}}
                          for index, row in enumerate(result.quality)])
    with st.expander(_("Sample quality after every epoch")):
        st.dataframe(table, hide_index=True)


train_a_gan()
quiz(gans.QUESTIONS, key="gans")
corrections(gans.CORRECTIONS)
next_steps("views/lessons/autoencoders.py", "views/lessons/gcn.py")
