"""The classroom through AppTest: an instructor starts a class, learners join and answer, the board shows it,
a pushed setup reaches a learner, and a reload is the same learner."""

import time

import pytest
from sqlalchemy.exc import OperationalError

from penguin_core.errors import PenguinError
from tests.test_pages import go, lab, open_app, owner


def start_class(name="Workshop"):
    teacher = open_app("classroom")
    teacher.text_input(key="class_start_name").input(name).run()
    teacher.button(key="class_start").click().run()
    link = owner(teacher).teaching.params()
    assert set(link) == {"class", "teach"} and teacher.query_params["teach"] == link["teach"]
    assert not any(link["teach"] in c.value for c in teacher.code)  # not to the room while projecting...
    teacher.toggle(key="class_show_key").set_value(True).run()
    assert any(link["teach"] in c.value for c in teacher.code)  # ... but on the instructor's demand
    return teacher, link["class"], link["teach"]


def join(code, name):
    learner = open_app("classroom")
    learner.text_input(key="class_code").input(code).run()
    learner.text_input(key="class_name").input(name).run()
    learner.button(key="class_join").click().run()
    assert not learner.exception and lab(learner).classroom.code == code
    return learner


def board(teacher):
    go(teacher, "instructor").run()
    assert not teacher.exception
    return " ".join(m.value.replace("\\", "") for m in teacher.markdown) + " ".join(
        str(m.value) for m in teacher.metric) + " ".join(c.value.replace("\\", "") for c in teacher.caption)


def test_answers_reach_the_board_and_the_class_distribution_after_answering():
    teacher, code, key = start_class()
    ada, bo = join(code, "Ada"), join(code, "Bo")
    for learner, typed in ((ada, "1.25"), (bo, "1.5")):
        go(learner, "neuron").run()
        learner.text_input(key="exercise_neuron").input(typed).run()
    bo.run()  # a rerun does not post the same answer again
    text = board(teacher)
    assert "2 answered, 1 right" in text and "Most common wrong answer: **1.5** (1)" in text
    assert "Learners" in [m.label for m in teacher.metric] and "2" in [str(m.value) for m in teacher.metric]
    go(ada, "classroom").run()
    assert any("you answered 1.25" in m.value.replace("\\", "") for m in ada.markdown)
    assert ada.get("plotly_chart")


def test_the_board_tells_a_first_try_from_a_right_answer_after_a_wrong_one_or_after_seeing_it():
    teacher, code, key = start_class()
    ada, bo, cy = join(code, "Ada"), join(code, "Bo"), join(code, "Cy")
    for learner in (ada, bo, cy):
        go(learner, "architecture").run()
    ada.text_input(key="exercise_parameters").input("83").run()
    bo.text_input(key="exercise_parameters").input("70").run()
    bo.text_input(key="exercise_parameters").input("83").run()
    cy.button(key="arch_show_count").click().run()
    cy.text_input(key="exercise_parameters").input("83").run()
    assert "3 answered, 3 right: 1 at the first try, 1 after a wrong try, 1 after seeing the answer" in board(teacher)


def test_notes_runs_and_a_pushed_setup():
    teacher, code, key = start_class()
    ada = join(code, "Ada <b>")
    ada.button(key="class_note_help").click().run()
    assert any("Your instructor sees it" in s.value for s in ada.success)
    go(ada, "train").run()
    ada.button(key="train_button").click().run()
    ada.run()  # the click reran the Train page's fragment alone: the whole page again
    board(teacher)
    assert "Need help: Ada <b>" in " ".join(e.value.replace("\\", "") for e in teacher.error)
    assert "Runs posted" in [m.label for m in teacher.metric]
    assert teacher.dataframe and "Ada <b>" in teacher.dataframe[0].value["learner"].tolist()
    assert teacher.dataframe[0].value["fingerprint"].tolist() == [lab(ada).run.network.fingerprint()]
    bo = join(code, "Bo")  # a run that never predicts Chinstrap (seen with other seeds): the board names it
    room = owner(bo).classwork.classroom
    room.post_run(owner(bo).classwork.member(), "r1", {"epochs": "20"}, 0.8, {"Adelie": 1, "Chinstrap": 0, "Gentoo": 1},
                  "0badc0de")
    board(teacher)
    assert any("never predict a species" in w.value and "Bo (Chinstrap, raw inputs)" in w.value for w in teacher.warning)
    owner(teacher).change("standardize", True)
    teacher.run()
    teacher.selectbox(key="board_push_choice").select("my own current settings").run()
    teacher.button(key="board_push").click().run()
    assert any("sent to the class" in s.value for s in teacher.success)
    ada.run()
    banner = next(m.value.replace("\\", "") for m in ada.markdown if "Your instructor shared a setup" in m.value)
    assert "(your instructor's settings). Apply changes Standardize: False → True" in banner  # what changes
    apply = next(b for b in ada.button if b.key and b.key.startswith("pushed_apply_"))
    apply.click().run()
    assert lab(ada).classroom.applied >= 1 and lab(ada).data_spec.standardize
    assert not any("Your instructor shared a setup" in m.value for m in ada.markdown)
    go(teacher, "instructor").run()
    pushed = next(c.value.replace("\\", "") for c in teacher.caption if c.value.startswith("Last pushed"))
    assert "applied by Ada <b>" in pushed and "not answered: Bo" in pushed


def test_a_wrong_instructor_key_opens_no_board_and_a_learner_rejoins_as_themselves():
    teacher, code, key = start_class()
    outsider = open_app("classroom")
    owner(outsider).teaching.code, owner(outsider).teaching.key = code, key[:-2] + "xx"
    go(outsider, "instructor").run()
    assert not outsider.metric and any(f.label for f in outsider.text_input)
    ada = join(code, "Ada")
    member = owner(ada).classwork.member()
    from streamlit.testing.v1 import AppTest  # a new session on Ada's lab key (a reload): the same learner
    reload = AppTest.from_file("../app.py", default_timeout=60)
    reload.query_params["lab"] = lab(ada).key
    reload.run()
    reload.switch_page("pages/lab/classroom.py").run()
    assert owner(reload).classwork.member() == member
    assert any("You are in" in m.value for m in reload.markdown)


def test_the_activation_quiz_goes_to_the_class_too():
    teacher, code, key = start_class()
    ada = join(code, "Ada")
    go(ada, "neuron").run()
    shown = ada.session_state["neuron_quiz_curve"]
    ada.radio(key="neuron_quiz_guess").set_value(shown).run()
    board(teacher)
    assert any("Which activation is this?" in m.value for m in teacher.markdown)
    assert any("1 answered, 1 right" in m.value for m in teacher.markdown)


def test_the_join_link_uses_the_public_address_and_a_local_one_is_flagged(monkeypatch):
    """The issue: the join link was built from the instructor's browser address (http://localhost:8501/...),
    useless to learners."""
    teacher, code, key = start_class()
    join_link = next(c.value for c in teacher.code if f"class={code}" in c.value and "teach" not in c.value)
    assert join_link.startswith("http://localhost") or not join_link.startswith("http")
    assert any("works on this computer only" in w.value for w in teacher.warning)
    monkeypatch.setenv("PENGUIN_PUBLIC_URL", "https://lab.example.org")
    teacher.run()
    assert any(c.value == f"https://lab.example.org/classroom?class={code}" for c in teacher.code)
    assert not any("works on this computer only" in w.value for w in teacher.warning)
    assert teacher.get("image")  # the QR code


def test_a_leaked_instructor_key_is_replaced_and_the_old_one_opens_nothing():
    teacher, code, old = start_class()
    teacher.button(key="class_replace_key").click().run()
    new = owner(teacher).teaching.key
    assert new != old and teacher.query_params["teach"] == new
    room = owner(teacher).teaching.classroom
    assert room.check_key(code, new) == "Workshop"
    with pytest.raises(PenguinError):
        room.check_key(code, old)


def test_work_done_before_joining_reaches_the_board_and_the_learner_is_told():
    teacher, code, key = start_class()
    ada = open_app("architecture")
    ada.text_input(key="exercise_parameters").input("83").run()
    go(ada, "train").run()
    ada.button(key="train_button").click().run()
    go(ada, "classroom").run()
    ada.text_input(key="class_code").input(code).run()
    ada.text_input(key="class_name").input("Ada").run()
    ada.button(key="class_join").click().run()
    assert any("Sent to your class: your work so far (1 answer and run 1)." in w.value.replace("\\", "")
               for w in ada.warning)
    text = board(teacher)
    assert "1 answered, 1 right: 1 at the first try" in text
    assert teacher.dataframe[0].value["run"].tolist() == ["run 1"]


def test_a_closed_or_deleted_class_is_said_to_its_learners_within_seconds():
    teacher, code, key = start_class()
    ada = join(code, "Ada")
    classwork = owner(ada).classwork
    assert not classwork.news()  # the first look: nothing to tell
    owner(teacher).teaching.close()
    assert classwork.news() and "closed the class" in lab(ada).notices[-1]
    ada.run()
    assert any("(closed by your instructor)" in c.value for c in ada.sidebar.caption)
    owner(teacher).teaching.delete()
    assert classwork.news() and "no longer exists" in lab(ada).notices[-1]
    assert lab(ada).classroom is None
    go(ada, "classroom").run()
    assert ada.text_input(key="class_code").value == ""  # the join form is not prefilled with the dead code


def test_apply_sticks_on_a_page_with_the_settings_controls():
    """The issue: after Apply on the Train page the switch still showed off and the units 10, and the next
    click sent the old values back."""
    teacher, code, key = start_class()
    ada = join(code, "Ada")
    go(ada, "train").run()
    assert ada.toggle(key="train_standardize").value is False
    owner(teacher).teaching.push({"std": "1", "hidden": "16-relu", "epochs": "30"}, "a wider network")
    ada.run()
    next(b for b in ada.button if b.key and b.key.startswith("pushed_apply_")).click().run()
    assert ada.toggle(key="train_standardize").value is True and ada.number_input(key="train_units_0").value == 16
    assert ada.number_input(key="train_epochs").value == 30
    ada.button(key="train_button").click().run()
    ada.run()
    run = lab(ada).run
    assert run.data_spec.standardize and run.model_spec.hidden[0].units == 16 and run.model_spec.epochs == 30
    assert ada.query_params["std"] == "1" and ada.query_params["hidden"] == "16-relu"


def test_the_export_is_read_at_the_click_with_everything_posted_until_then():
    """The issue: the CSV was made when the whole board page last ran while the board refreshed only its own
    part, so an export could miss everything posted since."""
    teacher, code, key = start_class()
    go(teacher, "instructor").run()
    ada = join(code, "Ada")
    go(ada, "neuron").run()
    ada.text_input(key="exercise_neuron").input("1.25").run()  # posted after the board page was drawn
    teacher.button(key="board_export_now").click().run()
    content = teacher.session_state["board_export"][0].decode("utf-8-sig")
    assert "answer,Ada," in content and ",neuron,1.25,True," in content
    assert any(b.label.startswith("Download the export of ") for b in teacher.get("download_button"))


def test_a_post_the_board_cannot_take_now_is_kept_and_sent_again_once(monkeypatch):
    """The issue: under load, finished runs never reached the board. A post that fails (the database away,
    or a burst over the 4-a-second limit) waits in the lab's outbox and is sent again; it counts once."""
    teacher, code, key = start_class()
    ada = join(code, "Ada")
    classwork = owner(ada).classwork
    room = classwork.classroom
    real, failures = room.post_answer, iter([OperationalError("SELECT", {}, Exception("server closed"))])

    def flaky(*args, **kwargs):
        error = next(failures, None)
        if error is not None:
            raise error
        return real(*args, **kwargs)

    monkeypatch.setattr(room, "post_answer", flaky)
    go(ada, "neuron").run()
    ada.text_input(key="exercise_neuron").input("1.25").run()
    assert [p[:2] for p in lab(ada).unsent] == [("answer", "neuron")]
    for exercise in ("outputs", "parameters", "parameters_11", "activation", "x1", "x2"):  # a burst: over the limit
        classwork.answer(exercise, "3", True)
    assert lab(ada).unsent  # some wait for the next second
    for _ in range(5):
        time.sleep(1.05)
        classwork.news()
    assert lab(ada).unsent == []
    neuron = next(e for e in room.board(code, key).exercises if e.id == "neuron")
    assert (neuron.answered, neuron.right) == (1, 1)
    assert sum(e.answered for e in room.board(code, key).exercises) == 7


def test_the_instructor_key_rides_only_in_the_boards_address():
    """Issue 22: after opening the board, ``teach=`` was in every page's address (a shared screen leaks it)."""
    teacher, code, key = start_class()
    board(teacher)
    assert teacher.query_params["teach"] == key
    for page in ("start", "train", "explore", "share"):
        go(teacher, page).run()
        assert "teach" not in teacher.query_params and "class" not in teacher.query_params, page
    board(teacher)
    assert teacher.query_params["teach"] == key and teacher.query_params["class"] == code
