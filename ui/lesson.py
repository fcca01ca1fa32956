"""The parts every lesson page shares: header, quiz, the notes checked, next steps."""

from __future__ import annotations

import streamlit as st

from lessons.quiz import KINDS, NOTE_PARTLY, NOTE_RIGHT, NOTE_WRONG, Correction, Question
from ui.catalog import LESSONS, TASKS, PageInfo


def page_info(script: str) -> PageInfo:
    for page in LESSONS + TASKS:
        if page.script == script:
            return page
    raise ValueError(f"{script} is not listed in ui/catalog.py")


def lesson_header(script: str) -> None:
    info = page_info(script)
    st.title(info.title)
    st.caption(f"{info.minutes} min · {info.summary}" if info.minutes else info.summary)


def quiz(questions: list[Question], key: str) -> None:
    """One radio per question; the answer and its explanation appear after the learner picks."""
    st.subheader("Check yourself")
    for number, question in enumerate(questions, start=1):
        with st.container(border=True):
            choice = st.radio(f"**Q{number}.** {question.prompt}", range(len(question.options)),
                              format_func=lambda index, q=question: q.options[index],
                              index=None, key=f"{key}-q{number}")
            if choice is None:
                continue
            if question.is_correct(choice):
                st.success(f"Correct. {question.explanation}", icon=":material/check_circle:")
            else:
                st.error(f"Not quite: the answer is **{question.right_option}**. "
                         f"{question.explanation}", icon=":material/cancel:")
            if question.notes_said:
                st.info(f"The course notes marked this differently ({question.notes_said}); "
                        "that answer is wrong, for the reason above.", icon=":material/edit_note:")


# How each verdict on a note is shown: a coloured badge with its own icon, so "the note is right"
# never looks like a correction. Markdown badges, not alert boxes: a page's alerts stay its own.
VERDICTS = {
    NOTE_WRONG: ":red-badge[:material/cancel: The note is wrong]",
    NOTE_PARTLY: ":orange-badge[:material/rule: The note is partly right]",
    NOTE_RIGHT: ":green-badge[:material/check_circle: The note is right]",
}
VERDICT_COUNTS = {NOTE_WRONG: "wrong", NOTE_PARTLY: "partly right", NOTE_RIGHT: "right"}


def corrections(items: list[Correction]) -> None:
    """The course notes' claims, each in its own box under a badge saying whether the note was
    wrong, partly right or right, followed by what is true and why."""
    if not items:
        return
    counts = ", ".join(f"{count} {VERDICT_COUNTS[kind]}" for kind in KINDS
                       if (count := sum(item.kind == kind for item in items)))
    with st.expander(f"The course notes, checked ({counts})", icon=":material/edit_note:"):
        for item in sorted(items, key=lambda entry: KINDS.index(entry.kind)):
            with st.container(border=True):
                st.markdown(f"{VERDICTS[item.kind]}\n\n**{item.note} says:** {item.claim}\n\n"
                            f"**{'Why' if item.kind == NOTE_RIGHT else 'What is true'}:** {item.correction}")


def next_steps(*scripts: str) -> None:
    """Links to the pages where the idea is trained at scale or explained further."""
    st.subheader("Next")
    for script in scripts:
        info = page_info(script)
        st.page_link(info.script, label=info.title, icon=info.icon)
