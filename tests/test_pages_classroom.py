"""The classroom through AppTest: an instructor starts a class, learners join and answer, the board shows it,
a pushed setup reaches a learner, and a reload is the same learner."""

from tests.test_pages import go, lab, open_app, owner


def start_class(name="Workshop"):
    teacher = open_app("classroom")
    teacher.text_input(key="class_start_name").input(name).run()
    teacher.button(key="class_start").click().run()
    link = owner(teacher).teaching.params()
    assert set(link) == {"class", "teach"} and teacher.query_params["teach"] == link["teach"]
    assert any(link["teach"] in c.value for c in teacher.code)  # the instructor link, shown to the instructor
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
    assert any("Your instructor shared a setup" in m.value for m in ada.markdown)
    apply = next(b for b in ada.button if b.key and b.key.startswith("pushed_apply_"))
    apply.click().run()
    assert lab(ada).classroom.applied >= 1 and lab(ada).data_spec.standardize
    assert not any("Your instructor shared a setup" in m.value for m in ada.markdown)


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
