"""The parts every lesson page shares: header, quiz, corrections of the notes, next steps."""

from __future__ import annotations

import streamlit as st

from lessons.quiz import Correction, Question
from views.catalog import LESSONS, TASKS, PageInfo


def page_info(script: str) -> PageInfo:
    for page in LESSONS + TASKS:
        if page.script == script:
            return page
    raise ValueError(f"{script} is not listed in views/catalog.py")


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
                st.error(f"Not quite: the answer is **{question.options[question.answer]}**. "
                         f"{question.explanation}", icon=":material/cancel:")
            if question.notes_said:
                st.info(f"The course notes marked this differently ({question.notes_said}); "
                        "that answer is wrong, for the reason above.", icon=":material/edit_note:")


def corrections(items: list[Correction]) -> None:
    """What the course notes get wrong, side by side with the correct version."""
    if not items:
        return
    with st.expander(f"Corrections to the course notes ({len(items)})", icon=":material/edit_note:"):
        for item in items:
            st.markdown(f"**{item.note} says:** {item.claim}\n\n**Correct:** {item.correction}")


def next_steps(*scripts: str) -> None:
    """Links to the pages where the idea is trained at scale or explained further."""
    st.subheader("Next")
    for script in scripts:
        info = page_info(script)
        if info.exists:
            st.page_link(info.script, label=info.title, icon=info.icon)
        else:
            st.caption(f"{info.title} (coming soon)")
