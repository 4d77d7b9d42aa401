"""The classroom in two browsers: a learner answers 1.5, the instructor's board shows it within 2 seconds
without a reload; the instructor pushes a setup, the learner applies it."""

import re
import time

from tests.browser.harness import wait_idle
from tests.browser.test_e2e import assert_clean, go


def test_a_learner_answers_and_the_board_shows_it_then_a_pushed_setup_is_applied(chromium, app_server):
    url = app_server[1]
    teacher = chromium.new_context(viewport={"width": 1400, "height": 1400}).new_page()
    teacher.goto(url + "/classroom")
    wait_idle(teacher)
    teacher.get_by_text("Start a class (for an instructor)").click()
    teacher.get_by_label("Name of the class").fill("Workshop <b>day 1</b>")
    teacher.get_by_role("button", name="Start the class").click()
    wait_idle(teacher)
    teacher.get_by_text("Show my instructor link").click()  # on demand: not shown to a projected room
    wait_idle(teacher)
    board_link = re.search(r"\S*/instructor\?\S+", teacher.get_by_test_id("stCode").last.inner_text()).group(0)
    code = re.search(r"class=(\w+)", board_link).group(1)
    teacher.goto(board_link + "&std=1&hidden=16-relu")  # the instructor's own setup, to push later
    wait_idle(teacher)
    assert teacher.get_by_text("Workshop <b>day 1</b>").count() == 1  # shown as typed, never as HTML

    learner = chromium.new_context(viewport={"width": 1400, "height": 1400}).new_page()
    learner.goto(f"{url}/classroom?class={code}")
    wait_idle(learner)
    learner.get_by_label("Your name").fill("Ada")
    learner.get_by_role("button", name="Join the class").click()
    wait_idle(learner)
    assert learner.get_by_text("You are in").count() == 1
    go(learner, "neuron")
    learner.get_by_label("Your answer").fill("1.5")
    learner.get_by_label("Your answer").press("Enter")
    learner.get_by_text("Not quite").wait_for()
    posted = time.monotonic()
    teacher.get_by_text(re.compile(r"Most common wrong answer: 1\.5")).wait_for(timeout=5_000)
    seen = time.monotonic() - posted
    assert seen <= 2.0, f"the board showed the answer after {seen:.1f} s"
    assert teacher.get_by_text("1 answered, 0 right").count() == 1

    teacher.get_by_role("button", name="Push it to the class").click()
    teacher.get_by_text("sent to the class").wait_for()
    learner.get_by_text("Your instructor shared a setup").wait_for(timeout=10_000)  # no click needed to see it
    learner.get_by_role("button", name="Apply", exact=True).click()
    wait_idle(learner)
    assert learner.get_by_text("Your instructor shared a setup").count() == 0
    assert "std=1" in learner.url and "hidden=16-relu" in learner.url
    teacher.screenshot(path="tests/screenshots/instructor_board.png", full_page=True)
    assert_clean(teacher)
    assert_clean(learner)
