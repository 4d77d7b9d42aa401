"""Tailored links: an instructor's link hides controls or pages, or fixes values, on every page that draws
them; the tailoring survives navigation and reloads; the sidebar offers the plain and the tailored link."""

from urllib.parse import parse_qsl, urlparse

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.errors import AppTestError

from penguin_core import workflow
from penguin_core.lab.link import Tailoring
from tests.test_pages import go, lab, no_exception, open_app, owner, plain
from tests.test_pages_lab import reload

EXERCISE = {"std": "1", "hidden": "16-tanh", "hide": "epochs,lr", "fix": "std,hidden",
            "hide_pages": "explore,playground"}
CONTROL_PAGES = {  # page: (its widget prefix, the controls it draws that the exercise leaves alone)
    "prepare": ("prep_", ["test_size", "random_state"]),
    "architecture": ("arch_", ["optimizer", "batch_size", "seed"]),
    "train": ("train_", []),
    "playground": ("play_", ["batch_size", "seed"]),
}


def opened(params, page="start"):
    """A fresh session opened with ``params`` as its address, on ``page``."""
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.query_params.update(params)
    at.run()
    if page != "start":
        go(at, page).run()
    no_exception(at)
    return at


def widgets(at):
    """Every settings widget on the page: key -> (value, disabled)."""
    found = {}
    for kind in ("number_input", "toggle", "checkbox", "selectbox", "multiselect"):
        for widget in at.get(kind):
            if widget.key:
                found[widget.key] = (widget.value, widget.proto.disabled)
    return found


def notices(at):
    return [plain(box.value) for box in at.info if "instructor" in plain(box.value)]


@pytest.mark.parametrize("page", CONTROL_PAGES)
def test_every_page_hides_and_fixes_the_links_controls_and_says_so_once(page):
    tailored = {key: value for key, value in EXERCISE.items() if key != "hide_pages"}  # the Playground too
    at = opened(tailored, page)
    prefix, untouched = CONTROL_PAGES[page]
    shown = widgets(at)
    assert not any(key.endswith(("epochs", "learning_rate")) for key in shown), page
    assert all(prefix + field in shown and not shown[prefix + field][1] for field in untouched), page
    if page != "architecture":
        assert shown[f"{prefix}fixed_standardize"] == (True, True)
    if page != "prepare":
        assert shown[f"{prefix}fixed_layers"] == (1, True) and shown[f"{prefix}fixed_units_0"] == (16, True)
        assert shown[f"{prefix}fixed_activation_0"] == ("tanh", True)
    [notice] = notices(at)  # one a page, naming what this page would have drawn
    if page == "prepare":
        assert notice == "Your instructor fixed some settings for this exercise (shown, not changeable): standardization."
    elif page == "architecture":
        assert notice == ("Your instructor hid some settings for this exercise: learning rate, epochs; "
                          "and fixed these (shown, not changeable): hidden layers.")
    else:
        assert notice.startswith("Your instructor hid some settings for this exercise: ") and "epochs" in notice
        assert "learning rate" in notice
        assert "fixed these (shown, not changeable): standardization, hidden layers." in notice


def test_a_fixed_value_cannot_be_changed_by_its_control_nor_by_a_reset():
    at = opened(EXERCISE, "prepare")
    with pytest.raises(AppTestError, match="disabled"):
        at.toggle(key="prep_fixed_standardize").set_value(False)
    at.session_state["prep_fixed_standardize"] = False  # a forged change from the browser: never applied
    at.run()
    at.number_input(key="prep_test_size").set_value(0.3).run()
    assert lab(at).data_spec.standardize and lab(at).data_spec.test_size == 0.3
    at.button(key="prep_reset").click().run()  # Reset to the lesson
    assert lab(at).data_spec.standardize and lab(at).data_spec.test_size == 0.2
    assert at.toggle(key="prep_fixed_standardize").value
    go(at, "architecture").run()
    at.session_state["arch_fixed_units_0"] = 3
    at.number_input(key="arch_seed").set_value(7).run()
    at.button(key="arch_show_count").click().run()
    assert lab(at).model_spec.hidden[0].units == 16 and lab(at).model_spec.seed == 7
    next(b for b in at.button if b.label == "Reset to the lesson").click().run()
    assert lab(at).model_spec.hidden[0].units == 16 and lab(at).model_spec.seed == 2
    assert lab(at).model_spec.epochs == 100  # hidden, and held at the link's value (the lesson's)
    no_exception(at)


def test_hidden_pages_leave_the_navigation_and_the_start_pages_steps():
    at = opened(EXERCISE)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        go(at, "explore")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        go(at, "playground")
    linked = [link.proto.page for link in at.get("page_link")]
    assert "explore" not in linked and "prepare" in linked and "train" in linked
    assert any("hid some pages" in c.value and "Explore the data, Playground" in c.value for c in at.sidebar.caption)
    assert any("their steps are left out" in c.value for c in at.caption)
    for url in ("neuron", "prepare", "train", "sweep", "compare", "share", "environment"):
        go(at, url).run()
        no_exception(at)


def test_the_tailoring_survives_every_page_and_a_reload():
    at = opened(EXERCISE, "architecture")
    key = lab(at).key
    for url in [entry.url for entry in workflow.PAGES if entry.url not in ("explore", "playground")]:
        go(at, url).run()
        params = dict(at.query_params)
        assert params["lab"] == key and params["hide"] == "lr,epochs" and params["fix"] == "std,hidden", url
        assert params["hide_pages"] == "explore,playground" and params["std"] == "1", url
    again = reload(at, "train")
    assert lab(again).key == key and owner(again).tailoring.hide == {"epochs", "lr"}
    assert "train_epochs" not in widgets(again) and widgets(again)["train_fixed_standardize"] == (True, True)
    assert len(notices(again)) == 1


def test_a_plain_link_tailors_nothing():
    at = opened({"std": "1", "epochs": "40"}, "train")
    assert widgets(at)["train_epochs"] == (40, False) and widgets(at)["train_standardize"] == (True, False)
    assert notices(at) == [] and "hide" not in at.query_params
    go(at, "explore").run()
    no_exception(at)


def test_names_a_link_cannot_tailor_are_ignored_and_shown_as_text():
    at = opened({"hide": "epochs,[x](http://e.vil)", "hide_pages": "start,nowhere", "epochs_hide": "1"})
    warnings = [plain(w.value) for w in at.warning]
    tailoring = next(w for w in warnings if "tailoring could not be used" in w)
    assert "hide: '[x](http://e.vil)' is not a setting" in tailoring.replace("\u200b", "")
    assert "the start page cannot be hidden" in tailoring and "'nowhere' is not a page" in tailoring
    assert any("'epochs_hide' is not a setting (to hide its control, write hide=epochs)" in w for w in warnings)
    escaped = next(w.value for w in at.warning if "tailoring" in w.value)
    assert "\\[x\\]\\(" in escaped  # Markdown escaped: a name is never a link
    go(at, "train").run()
    assert "train_epochs" not in widgets(at) and owner(at).tailoring == Tailoring({"epochs"})


def links(at):
    """The links in the sidebar's Share this setup: the plain one, and the tailored one once asked for."""
    return [c.value for c in at.get("code") if "Trainable params" not in c.value]


def test_share_this_setup_offers_the_plain_and_the_tailored_link():
    at = open_app("architecture")
    at.number_input(key="arch_epochs").set_value(40).run()
    assert links(at) == ["?epochs=40"]  # written after the page: the change just made is in it
    assert not at.get("multiselect")  # the lesson's pages keep their own widgets to themselves
    at.toggle(key="share_tailoring").set_value(True).run()
    assert links(at) == ["?epochs=40"]
    assert any("Choose controls or pages above" in c.value for c in at.sidebar.caption)
    at.multiselect(key="share_hide").select("seed").select("lr").run()
    at.multiselect(key="share_fix").select("std").run()
    at.multiselect(key="share_hide_pages").select("playground").run()
    assert links(at) == ["?epochs=40", "?epochs=40&hide=lr,seed&fix=std&hide_pages=playground"]
    assert lab(at).key not in " ".join(links(at))
    assert "arch_seed" in widgets(at) and notices(at) == []  # choosing tailors the link, not this session
    tailored = links(at)[-1]
    at.number_input(key="arch_epochs").set_value(50).run()
    assert links(at) == ["?epochs=50", "?epochs=50&hide=lr,seed&fix=std&hide_pages=playground"]

    learner = opened(dict(parse_qsl(urlparse(tailored).query)), "architecture")
    shown = widgets(learner)
    assert "arch_seed" not in shown and "arch_learning_rate" not in shown and shown["arch_epochs"] == (40, False)
    learner.toggle(key="share_tailoring").set_value(True).run()
    assert learner.multiselect(key="share_hide").value == ["lr", "seed"]  # passed on as it came
    assert links(learner)[-1] == tailored
    with pytest.raises(ValueError):
        go(learner, "playground")
