"""The instructor's board: the class's answers, sticky notes and runs, live; push a setup to everyone."""

import pandas as pd
import streamlit as st

from pages import inside_the_app
from pages.ui.display import chart
from penguin_core.classroom.figures import answers_figure, runs_figure
from penguin_core.errors import PenguinError
from penguin_core.lab import CLASS_LINK_KEY, class_link, lab_state, setup_params
from penguin_core.lab.link import NAMES, SETTINGS
from penguin_core.text import markdown_literal

inside_the_app()

REFRESH_SECONDS = 0.5
state = lab_state(st.session_state)
room = state.poster.classroom if state.poster is not None else None
st.title("Instructor's board")
if room is None:
    st.warning("The class board needs the server's store, which is not available on this server.")
    st.stop()
links = class_link(st.session_state)
code, key = links.get("class", ""), links.get("teach", "")
try:
    class_name = room.check_key(code, key)
except PenguinError:
    st.markdown("Open this page with your instructor link (it carries the class code and your key), or type them:")
    typed_code = st.text_input("Class code", max_chars=12, key="board_code")
    typed_key = st.text_input("Instructor key", type="password", max_chars=100, key="board_key")
    opened = st.button("Open the board", type="primary", key="board_open")
    if opened:
        try:
            room.check_key(typed_code.strip().upper(), typed_key.strip())
            st.session_state[CLASS_LINK_KEY] = {"class": typed_code.strip().upper(), "teach": typed_key.strip()}
            st.rerun()
        except PenguinError as error:
            st.error(markdown_literal(str(error)))
    st.caption("No class yet? Start one on the Classroom page.")
    st.stop()

st.markdown(f"**{markdown_literal(class_name)}** · learners join with the code **{code}** on the Classroom page.")


@st.fragment(run_every=REFRESH_SECONDS)
def board_view() -> None:
    """The board, read again every second without reloading the page."""
    board = room.board(code, key)
    top = st.columns(4)
    counts = board.counts()
    top[0].metric("Learners", len(board.learners))
    top[1].metric("Done", counts["done"])
    top[2].metric("Need help", counts["help"])
    top[3].metric("Runs posted", len(board.runs))
    if board.closed:
        st.info("This class is closed: it takes no new learners or posts.")
    notes_column, clear_column = st.columns([4, 1])
    with notes_column:
        helping = [f"{markdown_literal(n)}" + (f": {markdown_literal(t)}" if t else "")
                   for n, s, t in board.notes if s == "help"]
        done = [markdown_literal(n) for n, s, _ in board.notes if s == "done"]
        if helping:
            st.error("Need help: " + "; ".join(helping))
        if done:
            st.success("Done: " + ", ".join(done))
    if clear_column.button("Clear all notes", key="board_clear_notes", help="For the next exercise."):
        room.clear_notes(code, key)
        st.rerun(scope="fragment")
    st.subheader("Exercises")
    answered = [e for e in board.exercises if e.answered]
    if not answered:
        st.caption("No answers yet: they appear here as learners check them.")
    for exercise in answered:
        text, figure = st.columns([2, 3])
        with text:
            st.markdown(f"**{exercise.question}**  \n{exercise.answered} answered, {exercise.right} right")
            wrong = exercise.common_wrong()
            if wrong:
                st.markdown(f"Most common wrong answer: **{markdown_literal(wrong[0])}** ({wrong[1]})")
            if exercise.missing:
                st.caption("Not answered yet: " + ", ".join(markdown_literal(n) for n in exercise.missing))
        with figure:
            chart(answers_figure(exercise.distribution(), height=200), state.projector, key=f"board_{exercise.id}")
    st.subheader("Runs")
    if not board.runs:
        st.caption("No runs yet: a learner's finished runs appear here (settings and scores, never weights).")
        return
    table = pd.DataFrame([{"learner": r.name, "test accuracy": r.test_accuracy, "fingerprint": r.fingerprint,
                           "never predicts": ", ".join(r.never_predicted()),
                           "settings": " ".join(f"{k}={v}" for k, v in r.settings.items()) or "the lesson's"}
                          for r in board.runs])
    st.dataframe(table, hide_index=True, column_config={
        "test accuracy": st.column_config.NumberColumn(format="percent")})
    setting = st.selectbox("Plot test accuracy against", list(SETTINGS), format_func=NAMES.get,
                           index=list(SETTINGS).index("hidden"), key="board_setting")
    chart(runs_figure(board.runs, setting, NAMES[setting]), state.projector, key="board_runs")
    never = [r for r in board.runs if r.never_predicted()]
    if never:
        st.warning("Runs that never predict a species (the lesson's Chinstrap point): " + "; ".join(
            f"{markdown_literal(r.name)} ({', '.join(r.never_predicted())}, "
            f"{'standardized' if r.settings.get('std') == '1' else 'raw inputs'})" for r in never))


board_view()

st.subheader("Push a setup to the class")
st.caption("Every learner sees \"Your instructor shared a setup\" with an Apply button.")
board = room.board(code, key)
choices = {"my own current settings": setup_params(state)}
choices |= {f"{r.name}'s run {r.fingerprint} ({r.test_accuracy:.1%})": r.settings for r in board.runs}
chosen = st.selectbox("Setup", list(choices), key="push_choice")
if st.button("Push it to the class", key="push_setup", type="primary"):
    number = room.push_setup(code, key, choices[chosen], chosen)
    st.success(f"Setup {number} sent to the class.")

st.subheader("The class")
close_column, export_column, delete_column = st.columns(3)
with close_column:
    if st.button("Reopen the class" if board.closed else "Close the class", key="board_close"):
        room.close(code, key, not board.closed)
        st.rerun()
with export_column:
    st.download_button("Download answers and runs (.csv)", room.export_csv(code, key),
                       file_name=f"class_{code}.csv", mime="text/csv", key="board_export")
with delete_column:
    sure = st.checkbox("Yes, delete this class and everything posted to it", key="board_delete_sure")
    if st.button("Delete the class", key="board_delete", disabled=not sure):
        room.delete(code, key)
        st.session_state[CLASS_LINK_KEY] = {}
        st.rerun()
