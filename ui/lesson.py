"""The parts every lesson page shares: header, quiz, the notes checked, next steps."""

from __future__ import annotations

import streamlit as st

from i18n import N_
from lessons.quiz import KINDS, NOTE_PARTLY, NOTE_RIGHT, NOTE_WRONG, Correction, Question
from ui.catalog import LESSONS, TASKS, PageInfo
from ui.i18n import gettext_for_session


def page_info(script: str) -> PageInfo:
    for page in LESSONS + TASKS:
        if page.script == script:
            return page
    raise ValueError(f"{script} is not listed in ui/catalog.py")


def lesson_header(script: str) -> None:
    info = page_info(script)
    _ = gettext_for_session()
    st.title(_(info.title))
    st.caption(_("{minutes} min · {summary}").format(minutes=info.minutes, summary=_(info.summary))
               if info.minutes else _(info.summary))


def quiz(questions: list[Question], key: str) -> None:
    """One radio per question; the answer and its explanation appear after the learner picks."""
    _ = gettext_for_session()
    st.subheader(_("Check yourself"))
    for number, question in enumerate(questions, start=1):
        with st.container(border=True):
            choice = st.radio(f"**Q{number}.** {_(question.prompt)}", range(len(question.options)),
                              format_func=lambda index, q=question: _(q.options[index]),
                              index=None, key=f"{key}-q{number}")
            if choice is None:
                continue
            if question.is_correct(choice):
                st.success(_("Correct. {explanation}").format(explanation=_(question.explanation)),
                           icon=":material/check_circle:")
            else:
                st.error(_("Not quite: the answer is **{answer}**. {explanation}").format(
                    answer=_(question.right_option), explanation=_(question.explanation)),
                    icon=":material/cancel:")
            if question.notes_said:
                st.info(_("The course notes marked this differently ({notes_said}); that answer is wrong, for "
                          "the reason above.").format(notes_said=_(question.notes_said)), icon=":material/edit_note:")


# How each verdict on a note is shown: a coloured badge with its own icon, so "the note is right"
# never looks like a correction. Markdown badges, not alert boxes: a page's alerts stay its own.
VERDICTS = {
    NOTE_WRONG: (":red-badge[:material/cancel: {}]", N_("The note is wrong")),
    NOTE_PARTLY: (":orange-badge[:material/rule: {}]", N_("The note is partly right")),
    NOTE_RIGHT: (":green-badge[:material/check_circle: {}]", N_("The note is right")),
}
VERDICT_COUNTS = {NOTE_WRONG: N_("{count} wrong"), NOTE_PARTLY: N_("{count} partly right"),
                  NOTE_RIGHT: N_("{count} right")}


def corrections(items: list[Correction]) -> None:
    """The course notes' claims, each in its own box under a badge saying whether the note was
    wrong, partly right or right, followed by what is true and why."""
    if not items:
        return
    _ = gettext_for_session()
    counts = _(", ").join(_(VERDICT_COUNTS[kind]).format(count=count) for kind in KINDS
                          if (count := sum(item.kind == kind for item in items)))
    with st.expander(_("The course notes, checked ({counts})").format(counts=counts), icon=":material/edit_note:"):
        for item in sorted(items, key=lambda entry: KINDS.index(entry.kind)):
            badge, verdict = VERDICTS[item.kind]
            reason = _("**Why:** {text}") if item.kind == NOTE_RIGHT else _("**What is true:** {text}")
            with st.container(border=True):
                st.markdown(badge.format(_(verdict)) + "\n\n"
                            + _("**{note} says:** {claim}").format(note=_(item.note), claim=_(item.claim))
                            + "\n\n" + reason.format(text=_(item.correction)))


def next_steps(*scripts: str) -> None:
    """Links to the pages where the idea is trained at scale or explained further."""
    _ = gettext_for_session()
    st.subheader(_("Next"))
    for script in scripts:
        info = page_info(script)
        st.page_link(info.script, label=_(info.title), icon=info.icon)
