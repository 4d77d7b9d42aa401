"""The frame around every page: one lab a tab under one key, every other key a page's or the frame's own,
and every page ending the same way so the lab is saved and the address written."""

from penguin_core import workflow
from penguin_core.lab import SESSION_KEY
from tests.test_pages import go, lab, no_exception, open_app, owner, trained
from tests.test_pages_lab import reload


def keys(at) -> set[str]:
    return set(at.session_state._state._state.filtered_state)


def test_a_tab_keeps_its_lab_under_one_key_and_nothing_loose():
    at = trained(epochs=3)
    for entry in workflow.PAGES:
        go(at, entry.url).run()
        no_exception(at)
    go(at, "sweep").run()
    at.button(key="sweep_run").click().run()
    go(at, "playground").run()
    owner(at).playground.train()
    at.run()
    go(at, "neuron").run()
    at.text_input(key="exercise_neuron").input("1.25").run()
    prefixes = tuple(entry.prefix for entry in workflow.PAGES) + workflow.SHARED_PREFIXES
    loose = {key for key in keys(at) if key != SESSION_KEY and not key.startswith(prefixes)}
    assert not loose
    assert len({entry.prefix for entry in workflow.PAGES}) == len(workflow.PAGES)
    assert lab(at).solved == {"neuron": True} and owner(at).sweeping.kept == len(owner(at).sweeping.sweep.trainings)


def test_a_cold_join_link_keeps_the_code_in_the_address_before_joining_and_the_lab_once_there_is_work():
    """/classroom?class=K7P2QX opened cold: a reload before joining finds the code; the lab's key joins the
    address (and the store) once the learner did something, and a reload then finds the same lab."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file("../app.py", default_timeout=60)
    at.query_params["class"] = "K7P2QX"
    at.run()
    go(at, "classroom").run()
    no_exception(at)
    assert "lab" not in at.query_params and at.query_params["class"] == "K7P2QX"
    assert at.text_input(key="class_code").value == "K7P2QX"
    assert reload(at, "classroom").text_input(key="class_code").value == "K7P2QX"
    lab(at).answers["neuron"] = "1.25"  # some work
    at.run()
    assert at.query_params["lab"] == lab(at).key and at.query_params["class"] == "K7P2QX"
    again = reload(at, "classroom")
    assert lab(again).key == lab(at).key and again.text_input(key="class_code").value == "K7P2QX"


def test_the_start_pages_steps_and_the_sidebars_progress_come_from_the_registry():
    at = open_app()
    links = [link.proto.page for link in at.get("page_link")]
    start = workflow.PAGES[0]  # the default page: its address is the server's
    assert links == ["" if workflow.step_page(n) is start else workflow.step_page(n).url for n in range(1, 11)]
    marks = [entry.marks for entry in workflow.PAGES if entry.marks] + [workflow.TRAINED]
    progress = next(m.value for m in at.sidebar.markdown if "radio_button_unchecked" in m.value)
    assert [line.split(": ", 1)[1] for line in progress.split("  \n")] == marks
