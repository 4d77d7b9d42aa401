"""An exercise's answer box, as every page that asks one draws it."""

from __future__ import annotations

import streamlit as st

from penguin_core.lab import MAX_ANSWER


def exercise(lab, question, label: str | None = None):
    """The answer box, starting from what the learner last typed, with its feedback below it; the feedback."""
    typed = st.text_input(label or question.question, lab.state.answers.get(question.id, ""),
                          key=f"exercise_{question.id}", max_chars=MAX_ANSWER)
    feedback = lab.answer(question, typed)
    if feedback:
        (st.success if feedback.correct else st.error)(feedback.message)
    return feedback
