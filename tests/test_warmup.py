"""What is slow the first time is made once: in the background when the server starts, a picture kept on
disk for the next server."""

from penguin_core import warmup


def test_a_picture_is_made_once_and_found_on_disk_by_the_next_server(tmp_path, monkeypatch):
    monkeypatch.setattr(warmup, "CACHE", tmp_path / "cache")
    made = []

    def make() -> bytes:
        made.append(1)
        return b"\x89PNG picture"

    assert warmup._cached("pairplot-x.png", make) == b"\x89PNG picture"
    assert warmup._cached("pairplot-x.png", make) == b"\x89PNG picture" and made == [1]
    assert [p.name for p in (tmp_path / "cache").iterdir()] == ["pairplot-x.png"]  # no partial file left


def test_the_pairplot_depends_on_the_libraries_that_draw_it():
    assert len(warmup._version()) == 12 and warmup._version() == warmup._version()


def test_the_warm_up_makes_the_lesson_pairplot_and_the_keras_checks_in_the_background():
    warmup.warm_up()
    assert warmup.wait(240)
    assert warmup.pairplot().startswith(b"\x89PNG")
    from penguin_core import keras_worker

    assert keras_worker.check_environment.cache_info().currsize == 1  # the Environment page answers at once
