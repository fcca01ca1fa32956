"""AppTests for lessons 9-13 and 19: each page opens through the navigation, shows its demo, quiz,
corrections and links, and its controls work."""

from __future__ import annotations

from tests.pages import open_page


def markdown_text(app) -> str:
    return "\n".join(element.value for element in app.markdown)


def quiz_radios(app) -> list:
    return [radio for radio in app.radio if radio.key and "-q" in radio.key]


def test_convolution_page_steps_through_the_kernel_and_pools():
    app = open_page("views/lessons/convolution.py")
    assert "Dot product:" in markdown_text(app) and "= **3**" in markdown_text(app)
    assert len(app.get("vega_lite_chart")) >= 12
    assert len(quiz_radios(app)) == 5 and len(app.expander) == 1  # quiz and corrections
    app.segmented_control[0].set_value(2).run()
    assert app.slider[0].max == 4
    app.slider[0].set_value(2).run()
    assert "= **-3**" in markdown_text(app)
    app.slider[1].set_value(1).run()  # move the image down one pixel
    assert "pooled values that changed" in markdown_text(app)
    quiz_radios(app)[0].set_value(0).run()  # the notes' wrong answer
    assert app.error and "course notes marked this differently" in app.info[0].value
    assert not app.exception
