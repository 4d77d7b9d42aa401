"""The Playground page through AppTest: Step, Play, Reset, replay, shared settings, contributions."""

from tests.test_pages import go, lab, no_exception, open_app, owner


def status(at) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("**epoch"))


def playground(at):
    return owner(at).playground


def play_to_the_end(at):
    """In the browser the views' fragment reruns itself every frame; AppTest has no clock, so rerun by hand."""
    for _ in range(200):
        if not playground(at).playing:
            return at
        at.run()
    raise AssertionError("Play never finished")


def test_step_trains_exactly_one_epoch_and_reset_starts_again():
    at = open_app("playground")
    assert status(at) == "**epoch 0/100** · not trained yet"
    at.button(key="play_step").click().run()
    at.button(key="play_step").click().run()
    assert status(at).startswith("**epoch 2/100**") and playground(at).epoch == 2
    first = playground(at).training.network_now().fingerprint()
    at.button(key="play_reset").click().run()
    assert status(at) == "**epoch 0/100** · not trained yet"
    at.button(key="play_step").click().run()
    at.button(key="play_step").click().run()
    assert playground(at).training.network_now().fingerprint() == first  # the same seed, the same start
    no_exception(at)


def test_play_runs_to_the_end_joins_the_history_and_replays():
    at = open_app("playground")
    at.number_input(key="play_epochs").set_value(40).run()
    play_to_the_end(at.button(key="play_play").click().run())
    no_exception(at)
    assert playground(at).epoch == 40 and [r.name for r in lab(at).history] == ["run 1 (playground)"]
    history = playground(at).training.history
    at.select_slider(key="play_replay_40").set_value(12).run()
    assert status(at) == f"**epoch 12/40** · training loss {history[11]['loss']:.3g} · training accuracy " \
                         f"{history[11]['accuracy']:.0%}"


def test_the_settings_are_the_labs_and_a_change_starts_the_network_afresh():
    at = open_app("playground")
    at.button(key="play_step").click().run()
    at.number_input(key="play_units_0").set_value(6).run()
    assert lab(at).model_spec.hidden[0].units == 6 and playground(at).epoch == 0
    go(at, "architecture").run()
    assert at.number_input(key="arch_units_0").value == 6
    at.number_input(key="arch_units_0").set_value(7).run()
    go(at, "playground").run()
    assert playground(at).training.spec.hidden[0].units == 7 and at.number_input(key="play_units_0").value == 7


def test_auto_train_trains_again_after_a_change():
    at = open_app("playground")
    at.toggle(key="play_auto").set_value(True).run()
    play_to_the_end(at.number_input(key="play_epochs").set_value(20).run())
    assert playground(at).epoch == 20 and playground(at).done


def test_contributions_for_the_chosen_penguin_and_the_test_set():
    at = open_app("playground")
    at.toggle(key="play_standardize").set_value(True).run()
    at.number_input(key="play_epochs").set_value(30).run()
    play_to_the_end(at.button(key="play_play").click().run())
    at.button(key="play_importance").click().run()
    no_exception(at)
    assert any("pushed" in m.value for m in at.markdown)
    assert playground(at).importance is not None and len(at.get("plotly_chart")) >= 6
