"""Pages under careless use and hostile input: messages, never tracebacks; text shown as text; nothing re-sent."""

import shlex

import pytest
from streamlit.testing.v1 import AppTest

from penguin_core.isolation.worker import WorkerFailed
from tests.test_pages import go, lab, no_exception, open_app, owner, plain, trained, upload

SNEAKY = "![x](http://e.vl/a.png) [log in](http://e.vl)"


def test_a_refused_upload_is_read_once_not_on_every_rerun(monkeypatch):
    import penguin_core.uploads

    calls = []
    real = penguin_core.uploads.read_model
    monkeypatch.setattr(penguin_core.uploads, "read_model", lambda *a, **k: calls.append(1) or real(*a, **k))
    at = upload(open_app(), "junk.keras", b"definitely not a model")
    at.run()
    at.run()  # the file stays in the uploader: every rerun sees it
    assert len(calls) == 1
    assert any("junk.keras was not loaded" in plain(e.value) for e in at.error)


def test_a_run_name_is_shown_as_text_not_markdown():
    at = trained(epochs=3)
    lab(at).run.name = SNEAKY
    at.run()
    no_exception(at)
    captions = [c.value for c in at.sidebar.caption if "Current model" in c.value]
    assert captions and "](" not in captions[0] and plain(captions[0]).startswith(f"Current model: {SNEAKY}")
    assert any(plain(h.value) == f"Results of {SNEAKY}" for h in at.header)


def test_share_snippets_quote_the_name_for_the_shell_and_python():
    at = trained(epochs=3)
    lab(at).run.name = 'x"; touch /tmp/pwned; echo "'
    go(at, "share").run()
    no_exception(at)
    shell = next(c.value for c in at.code if "python -m penguin_core predict" in c.value)
    folder, command = shell.split("\n", 1)  # where the command works: in the app's folder (issue: it did not say)
    assert shlex.split(folder, comments=True) == ["cd", "path/to/penguin-lab"] and "penguin_core/" in folder
    words = shlex.split(command.replace("\\\n", " "))
    assert words[:5] == ["python", "-m", "penguin_core", "predict", "path/to/x-touch-tmp-pwned-echo.keras"]
    assert "touch" not in words[5:]
    python = next(c.value for c in at.code if "keras.saving.load_model" in c.value)
    assert "load_model('x-touch-tmp-pwned-echo.keras')" in python


def test_an_unexpected_error_in_a_page_is_a_sentence_not_a_traceback(monkeypatch):
    import penguin_core.evaluation

    at = trained(epochs=3)

    def broken(*args):
        raise RuntimeError("/srv/penguin/secret.py line 3")

    monkeypatch.setattr(penguin_core.evaluation, "evaluation_of", broken)
    at.run()
    assert not at.exception
    assert any("Something went wrong on this page" in e.value for e in at.error)
    assert not any("secret" in e.value for e in at.error) and lab(at).run is not None


@pytest.mark.parametrize("page, function", [("architecture", "summary_text"), ("share", "model_bytes"),
                                            ("environment", "check_environment")])
def test_a_failed_keras_helper_is_a_message_on_every_page_that_needs_it(monkeypatch, page, function):
    import penguin_core.keras_worker

    def failed(*args):
        raise WorkerFailed("The Keras helper process took longer than 30 s and was restarted: nothing of yours is lost.")

    monkeypatch.setattr(penguin_core.keras_worker, function, failed)
    from penguin_core import warmup

    at = trained(epochs=3) if page == "share" else open_app("start")
    assert warmup.wait(180)  # the Environment page waits for the server's warm-up before it checks
    owner(at).peek("parameters")
    go(at, page).run()
    no_exception(at)
    shown = [plain(m.value) for m in [*at.warning, *at.error]]
    assert any("took longer than 30 s and was restarted" in m for m in shown), shown


def markdown_shown(at) -> list[str]:
    """Every string the page hands to Streamlit's Markdown: texts, captions, alerts, headers, metric labels."""
    shown = [e.value for kind in ("markdown", "caption", "success", "info", "warning", "error", "header",
                                  "subheader", "title") for e in getattr(at, kind)]
    return shown + [m.label for m in at.metric]


@pytest.mark.parametrize("page", ["train", "compare", "predict", "share", "playground", "sweep"])
def test_a_run_name_is_never_markdown_on_any_page(page):
    """An uploaded model's name, or a rename, is shown as typed: no image fetched, no link made (issue 22)."""
    at = trained(epochs=3)
    lab(at).run.name = SNEAKY
    go(at, page).run()
    no_exception(at)
    raw = [text for text in markdown_shown(at) if "e.vl" in plain(text)]
    assert raw, f"the name is not on the {page} page"
    assert not any("](" in text for text in raw), raw


def test_renaming_a_run_to_markdown_says_so_as_text():
    at = trained(epochs=3)
    go(at, "compare").run()
    at.text_input(key="compare_new_name").set_value("[log in](http://e.vl)").run()
    next(b for b in at.button if b.label == "Rename").click().run()
    no_exception(at)
    assert lab(at).history[-1].name == "[log in](http://e.vl)"
    said = [s.value for s in at.success if "Renamed" in s.value]
    assert said and "](" not in said[0] and plain(said[0]) == "Renamed to [log in](http://e.vl)."


@pytest.mark.parametrize("query, field, value", [({"lr": "0.000001"}, "learning_rate", 0.000001),
                                                 ({"batch": "100000"}, "batch_size", 100000),
                                                 ({"batch": "200", "test": "0.5"}, "batch_size", 200)])
def test_a_value_the_lab_accepted_never_breaks_a_page(query, field, value):
    """Issue 22: such links once broke Architecture, Train and the Playground ("Something went wrong"), and
    the value, saved, kept the lab broken. Now every page draws, saying what to change when a run cannot use it."""
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.query_params.update(query)  # a link: read on the tab's first run
    at.run()
    assert getattr(lab(at).model_spec, field) == value
    for page in ("architecture", "train", "playground", "prepare", "sweep"):
        go(at, page).run()
        no_exception(at)
        assert not any("Something went wrong" in e.value for e in at.error), (page, [e.value for e in at.error])


def test_a_file_whose_reader_was_killed_is_read_again_when_uploaded_again(monkeypatch):
    """Issue 22: a sandbox killed mid-upload made a good model "damaged" for the rest of the session."""
    import penguin_core.uploads
    from penguin_core.sharing import model_bytes
    from penguin_core.uploads import NotChecked

    content = model_bytes(lab(trained(epochs=3)).run)
    real, calls = penguin_core.uploads.read_model, []

    def killed_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise NotChecked("This file could not be checked just now.")
        return real(*args, **kwargs)

    monkeypatch.setattr(penguin_core.uploads, "read_model", killed_once)
    at = upload(open_app(), "good.keras", content)
    assert any("could not be checked" in plain(e.value) for e in at.error)
    at.run()
    assert len(calls) == 1  # not read on every rerun...
    at.file_uploader(key="predict_upload").upload("good.keras", content).run()  # ... but on a new upload
    no_exception(at)
    assert len(calls) == 2 and any("Loaded good.keras" in plain(s.value) for s in at.success)
