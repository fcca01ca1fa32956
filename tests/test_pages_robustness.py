"""AppTests for what pages do with damaged files: dataset recoveries are shown, never silent."""

from __future__ import annotations

from data.mnist import load_mnist
from tests.pages import open_page
from ui.datasets import plain


def repairs(app) -> list[str]:
    return [item.value for item in app.warning if "needed a repair" in item.value]


def test_a_page_says_that_an_unusable_dataset_file_was_moved_aside(tiny_mirror, isolated_home):
    own = isolated_home / "datasets" / "mnist" / "mnist.npz"
    own.parent.mkdir(parents=True)
    own.write_bytes(b"an interrupted copy")
    app = open_page("views/explore/mnist.py")
    assert (own.parent / "mnist.npz.corrupt").read_bytes() == b"an interrupted copy"
    shown = repairs(app)
    assert len(shown) == 1 and plain(str(own.parent / "mnist.npz.corrupt")) in shown[0]
    assert {metric.label: metric.value for metric in app.metric}["Test images"] == "100"
    app.selectbox[0].select("7").run()  # still said on the next rerun of the session
    assert len(repairs(app)) == 1


def test_a_task_page_says_once_that_the_parsed_cache_was_rebuilt(tiny_mirror, isolated_home):
    load_mnist()
    (isolated_home / "cache" / "mnist.npz").write_bytes(b"PK and then nothing")
    app = open_page("views/tasks/mnist.py")
    shown = repairs(app)
    assert len(shown) == 1 and "parsed cache" in shown[0] and "rebuilt" in shown[0]
