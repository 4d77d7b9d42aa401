"""The classroom, for a learner: join the class, raise a sticky note, see how the class answered. Or start a class."""

import streamlit as st

from pages.ui.classwork import class_links
from pages.ui.display import chart
from penguin_core import workflow
from penguin_core.classroom import EXERCISES
from penguin_core.classroom.figures import answers_figure
from penguin_core.errors import PenguinError
from penguin_core.lab import the_lab
from penguin_core.text import markdown_literal

lab = the_lab(st.session_state)
classwork, teaching = lab.classwork, lab.teaching


def join() -> None:
    st.markdown("Your instructor gives you a class code (or a link with it). Join with the name you want the "
                "instructor to see: no account, and your answers and runs go to the class as you work.")
    code = st.text_input("Class code", classwork.code, max_chars=12, key="class_code")
    name = st.text_input("Your name", max_chars=40, key="class_name")
    if st.button("Join the class", type="primary", key="class_join"):
        try:
            classwork.join(code, name)
            st.rerun()
        except PenguinError as error:
            st.error(markdown_literal(str(error)))


def start() -> None:
    with st.expander("Start a class (for an instructor)"):
        class_name = st.text_input("Name of the class", max_chars=60, key="class_start_name",
                                   placeholder="Deep learning workshop, day 1")
        if st.button("Start the class", key="class_start"):
            try:
                teaching.start(class_name, lab.client)
            except PenguinError as error:
                st.error(markdown_literal(str(error)))
        if teaching.started:
            st.success(f"Class {teaching.started} started.")
            class_links(teaching)
            st.page_link(workflow.page("instructor").file, label="Open the board", icon=":material/dashboard:")
        else:
            st.page_link(workflow.page("instructor").file, label="A class already started: open its board (with "
                         "your instructor link or its key)", icon=":material/dashboard:")


def note(member) -> None:
    st.subheader("Your sticky note")
    now = st.empty()  # filled below, after any click of this run
    room = classwork.classroom
    mine = room.my_note(member)
    text = st.text_input("A line for your instructor (optional)", max_chars=140, key="class_note_text")
    done_column, help_column = st.columns(2)
    choice = None
    if done_column.button("Done", icon=":material/check:", key="class_note_done", width="stretch"):
        choice = "done"
    if help_column.button("I need help", icon=":material/pan_tool:", key="class_note_help", width="stretch"):
        choice = "help"
    if mine is not None and st.button("Take my note down", key="class_note_down"):
        choice = "down"
    if choice:
        try:
            classwork.note(None if choice == "down" else choice, text)
            st.success("Your instructor sees it." if choice != "down" else "Your note is down.")
            mine = room.my_note(member)
        except PenguinError as error:
            st.error(markdown_literal(str(error)))
    now.caption("Now: " + ("no note" if mine is None else ("done" if mine[0] == "done" else "I need help")
                           + (f": {markdown_literal(mine[1])}" if mine[1] else "")))


def answers(member) -> None:
    st.subheader("How the class answered")
    shown = False
    for exercise, question in EXERCISES.items():
        if lab.state.answers.get(exercise):  # only after answering: no spoilers
            rows = classwork.classroom.distribution(member.code, exercise)
            if rows:
                shown = True
                st.markdown(f"**{question}** (you answered {markdown_literal(lab.state.answers[exercise])}; "
                            f"{sum(n for _, n, _ in rows)} in the class so far)")
                chart(answers_figure(rows, height=220), lab.state.projector, key=f"class_answers_{exercise}")
    if not shown:
        st.info("Answer an exercise (on A neuron, Prepare or Architecture) to see how the class answered it.")


st.title("Classroom")
member = classwork.member() if classwork.classroom is not None else None
if classwork.classroom is None:
    st.warning("The class board needs the server's store, which is not available on this server.")
elif member is None:
    join()
    start()
else:
    st.markdown(f"You are in **{markdown_literal(member.class_name)}** as **{markdown_literal(member.name)}** "
                f"(class code {member.code}).")
    notes_column, answers_column = st.columns([1.4, 2], gap="large")
    with notes_column:
        note(member)
    with answers_column:
        answers(member)
    if st.button("Leave the class", key="class_leave"):
        classwork.leave()
        st.rerun()
