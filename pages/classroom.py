"""The classroom, for a learner: join the class, raise a sticky note, see how the class answered. Or start a class."""

import streamlit as st

from pages import inside_the_app
from pages.ui.display import chart
from penguin_core.classroom import EXERCISES
from penguin_core.classroom.figures import answers_figure
from penguin_core.errors import PenguinError
from penguin_core.lab import CLASS_LINK_KEY, apply_setup, class_link, lab_state, setup_link
from penguin_core.lab.store import key_hash
from penguin_core.text import markdown_literal

inside_the_app()

state = lab_state(st.session_state)
st.title("Classroom")
room = state.poster.classroom if state.poster is not None else None
if room is None:
    st.warning("The class board needs the server's store, which is not available on this server.")
    st.stop()
member = state.poster.member(state)

if member is None:
    st.markdown("Your instructor gives you a class code (or a link with it). Join with the name you want the "
                "instructor to see: no account, and your answers and runs go to the class as you work.")
    code = st.text_input("Class code", class_link(st.session_state).get("class", ""), max_chars=12, key="join_code")
    name = st.text_input("Your name", max_chars=40, key="join_name")
    joined = st.button("Join the class", type="primary", key="join_button")
    if joined:
        try:
            member = room.join(code, key_hash(state.key), name)
            state.classroom = {"code": member.code, "name": member.name, "applied": 0}
            pushed = room.pushed(member.code)
            if pushed is not None:  # the join link brings the class's current setup
                apply_setup(state, pushed.params)
                state.classroom["applied"] = pushed.number
            state.save()
            st.rerun()
        except PenguinError as error:
            st.error(markdown_literal(str(error)))
    with st.expander("Start a class (for an instructor)"):
        class_name = st.text_input("Name of the class", max_chars=60, key="start_name",
                                   placeholder="Deep learning workshop, day 1")
        if st.button("Start the class", key="start_class"):
            try:
                code, key = room.start(class_name)
                st.session_state[CLASS_LINK_KEY] = {"class": code, "teach": key}
                st.session_state["started_class"] = code
            except PenguinError as error:
                st.error(markdown_literal(str(error)))
        started = st.session_state.get("started_class")
        if started:
            links = class_link(st.session_state)
            address = (st.context.url or "").rsplit("/", 1)[0]
            st.success(f"Class {started} started.")
            st.markdown("**For the learners**: the code, or this link")
            st.code(setup_link(address + "/classroom", {"class": started}), language=None, wrap_lines=True)
            st.markdown("**For you only**: your instructor link. Keep it: it is the key to the class's board.")
            st.code(setup_link(address + "/instructor", {"class": started, "teach": links.get("teach", "")}),
                    language=None, wrap_lines=True)
            st.page_link("pages/instructor.py", label="Open the board", icon=":material/dashboard:")
    st.stop()

st.markdown(f"You are in **{markdown_literal(member.class_name)}** as **{markdown_literal(member.name)}** "
            f"(class code {member.code}).")
notes, answers = st.columns([1.4, 2], gap="large")
with notes:
    st.subheader("Your sticky note")
    now = st.empty()  # filled below, after any click of this run
    mine = room.my_note(member)
    text = st.text_input("A line for your instructor (optional)", max_chars=140, key="note_text")
    done_column, help_column = st.columns(2)
    choice = None
    if done_column.button("Done", icon=":material/check:", key="note_done", width="stretch"):
        choice = "done"
    if help_column.button("I need help", icon=":material/pan_tool:", key="note_help", width="stretch"):
        choice = "help"
    if mine is not None and st.button("Take my note down", key="note_down"):
        choice = "down"
    if choice:
        try:
            room.post_note(member, None if choice == "down" else choice, text)
            st.success("Your instructor sees it." if choice != "down" else "Your note is down.")
            mine = room.my_note(member)
        except PenguinError as error:
            st.error(markdown_literal(str(error)))
    now.caption("Now: " + ("no note" if mine is None else ("done" if mine[0] == "done" else "I need help")
                           + (f": {markdown_literal(mine[1])}" if mine[1] else "")))
with answers:
    st.subheader("How the class answered")
    shown = False
    for exercise, question in EXERCISES.items():
        if state.answers.get(exercise):  # only after answering: no spoilers
            rows = room.distribution(member.code, exercise)
            if rows:
                shown = True
                st.markdown(f"**{question}** (you answered {markdown_literal(state.answers[exercise])}; "
                            f"{sum(n for _, n, _ in rows)} in the class so far)")
                chart(answers_figure(rows, height=220), state.projector, key=f"class_answers_{exercise}")
    if not shown:
        st.info("Answer an exercise (on A neuron, Prepare or Architecture) to see how the class answered it.")
if st.button("Leave the class", key="leave_class"):
    state.classroom = None
    st.session_state[CLASS_LINK_KEY] = {}
    state.save()
    st.rerun()
