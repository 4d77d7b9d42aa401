"""The instructor's board: the class's answers, sticky notes and runs, live; push a setup to everyone."""

import datetime

import pandas as pd
import streamlit as st

from pages.ui.classwork import class_links
from pages.ui.display import chart, fragment
from penguin_core.classroom.figures import answers_figure, runs_figure
from penguin_core.errors import PenguinError
from penguin_core.lab import setup_params, the_lab
from penguin_core.settings import BY_NAME, SETTINGS
from penguin_core.text import markdown_literal

REFRESH_SECONDS = 0.5
PUSH_REFRESH_SECONDS = 3.0
lab = the_lab(st.session_state)
teaching = lab.teaching


def open_the_board() -> None:
    st.markdown("Open this page with your instructor link (it carries the class code and your key), or type them:")
    typed_code = st.text_input("Class code", max_chars=12, key="board_code")
    typed_key = st.text_input("Instructor key", type="password", max_chars=100, key="board_key")
    if st.button("Open the board", type="primary", key="board_open"):
        try:
            teaching.open(typed_code, typed_key)
            st.rerun()
        except PenguinError as error:
            st.error(markdown_literal(str(error)))
    st.caption("No class yet? Start one on the Classroom page.")


@fragment(run_every=REFRESH_SECONDS)
def board_view() -> None:
    """The board, read again every half second without reloading the page."""
    board = teaching.board()
    top = st.columns(4)
    counts = board.counts()
    top[0].metric("Learners", len(board.learners))
    top[1].metric("Done", counts["done"])
    top[2].metric("Need help", counts["help"])
    top[3].metric("Runs posted", board.runs_posted)
    st.caption("Joined: " + (", ".join(markdown_literal(n) for n in board.learners) or "nobody yet"))
    if board.closed:
        st.info("This class is closed: it takes no new learners or posts.")
    notes_column, clear_column = st.columns([4, 1])
    with notes_column:
        helping = [f"{markdown_literal(n)} ({at:%H:%M})" + (f": {markdown_literal(t)}" if t else "")
                   for n, s, t, at in board.notes if s == "help"]
        done = [f"{markdown_literal(n)} ({at:%H:%M})" for n, s, _, at in board.notes if s == "done"]
        if helping:
            st.error("Need help: " + "; ".join(helping))
        if done:
            st.success("Done: " + ", ".join(done))
    if board.notes:
        with clear_column.popover("Clear all notes", help="For the next exercise."):
            st.markdown(f"Take down all {len(board.notes)} notes?")
            if st.button("Yes, clear them", key="board_clear_notes", type="primary"):
                teaching.clear_notes()
                st.rerun(scope="fragment")
    exercises(board)
    runs(board)


def exercises(board) -> None:
    st.subheader("Exercises")
    answered = [e for e in board.exercises if e.answered]
    if not answered:
        st.caption("No answers yet: they appear here as learners check them.")
    for exercise in answered:
        text, figure = st.columns([2, 3])
        with text:
            later = exercise.right - exercise.first_try - exercise.after_seeing
            st.markdown(f"**{exercise.question}**  \n{exercise.answered} answered, {exercise.right} right: "
                        f"{exercise.first_try} at the first try, {later} after a wrong try, "
                        f"{exercise.after_seeing} after seeing the answer")
            wrong = exercise.common_wrong()
            if wrong:
                st.markdown(f"Most common wrong answer: **{markdown_literal(wrong[0])}** ({wrong[1]})")
            if exercise.missing:
                st.caption("Not answered yet: " + ", ".join(markdown_literal(n) for n in exercise.missing))
        with figure:
            chart(answers_figure(exercise.distribution(), height=200), lab.state.projector,
                  key=f"board_{exercise.id}")


def runs(board) -> None:
    st.subheader("Runs")
    if not board.runs:
        st.caption("No runs yet: a learner's finished runs appear here (settings and scores, never weights).")
        return
    table = pd.DataFrame([{"learner": r.name, "run": r.run_name, "posted": f"{r.posted_at:%H:%M:%S}",
                           "test accuracy": r.test_accuracy, "fingerprint": r.fingerprint,
                           "never predicts": ", ".join(r.never_predicted()),
                           "settings": " ".join(f"{k}={v}" for k, v in r.settings.items()) or "the lesson's"}
                          for r in board.runs])
    st.dataframe(table, hide_index=True, column_config={
        "test accuracy": st.column_config.NumberColumn(format="percent")})
    names = [row.name for row in SETTINGS]
    setting = st.selectbox("Plot test accuracy against", names, format_func=lambda n: BY_NAME[n].spoken,
                           index=names.index("hidden"), key="board_setting")
    row = BY_NAME[setting]
    chart(runs_figure(board.runs, setting, row.spoken, row.format_value(row.default)), lab.state.projector,
          key="board_runs")
    never = [r for r in board.runs if r.never_predicted()]
    if never:
        st.warning("Runs that never predict a species (the lesson's Chinstrap point): " + "; ".join(
            f"{markdown_literal(r.name)} ({', '.join(r.never_predicted())}, "
            f"{'standardized' if r.settings.get('std') == '1' else 'raw inputs'})" for r in never))


@fragment(run_every=PUSH_REFRESH_SECONDS)
def push() -> None:
    """The setups to push, read again every few seconds (a run that just arrived is offered at once)."""
    board = teaching.board()
    st.subheader("Push a setup to the class")
    st.caption('Every learner sees "Your instructor shared a setup", with what it changes for them, and Apply.')
    own = "my own current settings"
    choices = {own: setup_params(lab.state)}
    choices |= {f"{r.name}'s {r.run_name or 'run'} {r.fingerprint} ({r.test_accuracy:.1%})": r.settings
                for r in board.runs}
    chosen = st.selectbox("Setup", list(choices), key="board_push_choice")
    if st.button("Push it to the class", key="board_push", type="primary"):
        number = teaching.push(choices[chosen], "your instructor's settings" if chosen == own else chosen)
        st.success(f"Setup {number} sent to the class.")
        board = teaching.board()
    if board.pushed is not None:
        pushed, waiting = board.pushed, [n for n in board.learners if n not in board.applied + board.put_aside]
        at = f" at {pushed.at[11:16]} UTC" if pushed.at else ""
        st.caption(f"Last pushed: setup {pushed.number}, {markdown_literal(pushed.label)}{at} · applied by "
                   + (", ".join(markdown_literal(n) for n in board.applied) or "nobody yet") + " · put aside by "
                   + (", ".join(markdown_literal(n) for n in board.put_aside) or "nobody") + " · not answered: "
                   + (", ".join(markdown_literal(n) for n in waiting) or "nobody"))


def the_class(board) -> None:
    st.subheader("The class")
    close_column, export_column, delete_column = st.columns(3)
    with close_column:
        if st.button("Reopen the class" if board.closed else "Close the class", key="board_close"):
            teaching.close(not board.closed)
            st.rerun()
    with export_column:
        if st.button("Export everything posted until now (.csv)", key="board_export_now"):
            st.session_state["board_export"] = (teaching.export_csv(), f"{datetime.datetime.now():%H:%M:%S}")
        if "board_export" in st.session_state:  # read at the click: the board moves on, the file does not
            content, at = st.session_state["board_export"]
            st.download_button(f"Download the export of {at}", content, file_name=f"class_{teaching.code}.csv",
                               mime="text/csv", on_click="ignore", key="board_export_file")
    with delete_column:
        sure = st.checkbox("Yes, delete this class and everything posted to it", key="board_delete_sure")
        if st.button("Delete the class", key="board_delete", disabled=not sure):
            teaching.delete()
            st.rerun()


st.title("Instructor's board")
class_name = teaching.class_name()
if teaching.classroom is None:
    st.warning("The class board needs the server's store, which is not available on this server.")
elif class_name is None:
    open_the_board()
else:
    st.markdown(f"**{markdown_literal(class_name)}** · learners join with the code **{teaching.code}** on the "
                "Classroom page.")
    with st.expander("Hand out: the class code, the join link, a QR code", expanded=True):
        class_links(teaching)
    board_view()
    push()
    the_class(teaching.board())
