"""The translated pages in both languages, through dashboard.py as a learner reaches them: they render
without exception, and in Chinese no English prose is left outside code, numbers, units and names
(i18n.check.english_words), in texts, widgets, tables, tooltips and chart titles alike."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from i18n import CHINESE, ENGLISH, TRANSLATED_PAGES, translations
from i18n.check import english_words
from tests.pages import rerun, wait_for_demos, wait_for_result
from ui.catalog import LESSONS, ROOT
from ui.i18n import PICKER_KEY

TITLES = {page.script: page.title for page in LESSONS}
TEXT_ELEMENTS = ("title", "header", "subheader", "markdown", "caption", "info", "success", "warning", "error")
WIDGETS = ("radio", "selectbox", "multiselect", "slider", "select_slider", "number_input", "button", "toggle")


def open_page(script: str, language: str | None) -> AppTest:
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    if language:
        app.query_params["lang"] = language
    app.run()
    if script != "views/home.py":
        app.switch_page(script)
        app.run()
    assert not app.exception, [item.value for item in app.exception]
    return app


def chart_titles(node) -> list[str]:
    """Every title in a Vega-Lite spec (chart, axes, legends, tooltips)."""
    if isinstance(node, dict):
        found = [node["title"]] if isinstance(node.get("title"), str) else []
        if isinstance(node.get("title"), dict):
            found.append(node["title"].get("text", ""))
        return found + [title for key, value in node.items() if key != "datasets" for title in chart_titles(value)]
    if isinstance(node, list):
        return [title for item in node for title in chart_titles(item)]
    return []


def visible_texts(app: AppTest) -> list[tuple[str, str]]:
    """(where, text) for everything a learner reads on the page, the language switch excepted."""
    found = []
    for kind in TEXT_ELEMENTS:
        found += [(kind, str(element.value)) for element in getattr(app, kind)]
    found += [("expander", element.label) for element in app.expander]
    for metric in app.metric:
        found += [("metric", metric.label), ("metric", metric.value), ("metric help", metric.proto.help)]
        found += [("metric delta", metric.proto.delta)]
    for kind in WIDGETS:
        for widget in getattr(app, kind):
            if widget.key == PICKER_KEY:
                continue
            found += [(kind, widget.label), (f"{kind} help", widget.help or "")]
            found += [(f"{kind} option", str(option)) for option in getattr(widget, "options", [])]
    for table in app.dataframe:
        frame = table.value
        found += [("table column", str(column)) for column in frame.columns]
        found += [("table cell", cell) for column in frame.columns for cell in frame[column] if isinstance(cell, str)]
    for chart in app.get("arrow_vega_lite_chart") + app.get("vega_lite_chart"):
        found += [("chart", title) for title in chart_titles(json.loads(chart.proto.spec))]
    found += [("link", link.proto.label) for link in app.get("page_link")]
    return [(where, text) for where, text in found if text]


def answer_every_question(app: AppTest) -> AppTest:
    """Pick an answer everywhere, so each explanation (right or wrong) is on the page."""
    for index, radio in enumerate(radio for radio in app.radio if radio.key and "-q" in radio.key):
        app = radio.set_value(index % len(radio.options)).run()
    assert not app.exception, [item.value for item in app.exception]
    return app


def english_left(app: AppTest) -> list[tuple[str, str, list[str]]]:
    return [(where, text[:80], words) for where, text in visible_texts(app) if (words := english_words(text))]


@pytest.mark.parametrize("script", TRANSLATED_PAGES)
def test_translated_page_in_chinese_has_no_english_prose(script, tiny_mirror):  # the data pages need (METR-LA)
    app = answer_every_question(open_page(script, CHINESE))
    assert app.query_params["lang"] == CHINESE
    if script in TITLES:
        assert app.title[0].value == translations(CHINESE).gettext(TITLES[script]) != TITLES[script]
    assert not any("本页尚未翻译" in info.value for info in app.info)
    assert len(visible_texts(app)) > 20
    assert not english_left(app), english_left(app)


@pytest.mark.parametrize("script", TRANSLATED_PAGES)
def test_translated_page_in_english_is_unchanged(script, tiny_mirror):
    app = answer_every_question(open_page(script, ENGLISH))
    if script in TITLES:
        assert app.title[0].value == TITLES[script]
    assert not any("not translated" in info.value for info in app.info)


def test_backprop_experiment_speaks_chinese():
    app = open_page("views/lessons/backprop.py", CHINESE)
    app = wait_for_demos(app.button(key="backprop-run").click().run())
    results = app.dataframe[2].value
    assert list(results.columns) == ["起点", "最终损失", "最后 500 步的损失降幅", "解出 XOR", "隐藏单元相同"]
    assert results.iloc[0, 0] == "全零" and results.iloc[1, 0] == "随机，种子 0"
    sentence = next(block.value for block in app.markdown if block.value.startswith("从全零出发"))
    assert "**平台**" in sentence and sentence.endswith("初始值确实有影响。")
    assert not english_left(app), english_left(app)


def test_why_deep_trained_demos_speak_chinese(tiny_mirror):
    """After both trainings: tables, decision maps, loss curves, layer names and the pair sentences."""
    app = open_page("views/lessons/why_deep.py", CHINESE)
    rerun(app.slider(key="deep-budget").set_value(150))
    rerun(app.slider(key="deep-steps").set_value(50))
    app = wait_for_demos(rerun(app.button(key="deep-train").click()))
    rerun(app.button(key="end-to-end-train").click())
    wait_for_result(app, "训练好的 DNN 的测试准确率")
    networks = next(frame.value for frame in app.dataframe if "网络" in frame.value.columns)
    assert list(networks["网络"]) == ["浅而宽", "深而窄"]
    layers = next(frame.value for frame in app.dataframe if "层" in frame.value.columns)
    assert list(layers["层"])[:2] == ["像素", "隐藏层 1（256 个单元）"]
    assert app.select_slider(key="end-to-end-layer").value == "hidden layer 3 (64 units)"  # values stay English
    assert not english_left(app), english_left(app)


def test_untranslated_page_says_so_in_chinese_and_still_works():
    app = open_page("views/lessons/tf1_to_keras.py", CHINESE)
    assert any("本页尚未翻译" in info.value for info in app.info)
    assert app.title[0].value == "8. 从 TF1 到 Keras 3"  # the shared header and navigation are translated
    english = open_page("views/lessons/tf1_to_keras.py", ENGLISH)
    assert not any("not translated" in info.value or "本页" in info.value for info in english.info)


def test_language_defaults_to_english_and_the_sidebar_switch_keeps_it_in_the_url():
    app = open_page("views/home.py", None)  # AppTest sends no browser locale: English
    assert app.subheader[0].value == "1. Explore the data" and app.query_params["lang"] == ENGLISH
    app = app.radio(key=PICKER_KEY).set_value(CHINESE).run()
    assert app.subheader[0].value == "1. 探索数据" and app.query_params["lang"] == CHINESE
    app.switch_page("views/lessons/neuron.py")
    app = app.run()
    assert app.title[0].value == "2. 神经元" and app.query_params["lang"] == CHINESE


def test_limits_attack_speaks_chinese(tiny_mirror):
    """After the lesson CNN is trained (tiny MNIST, about 10 s): the FGSM sentences, in Chinese."""
    app = open_page("views/lessons/limits.py", CHINESE)
    app = wait_for_demos(app.button(key="limits-train").click().run())
    summary = next(block.value for block in app.markdown if block.value.startswith("能改变预测的最小步长是"))
    assert "**ε = " in summary and "ImageNet" in summary and "。 " not in summary  # no space between sentences
    captions = [image.proto.imgs[0].caption for image in app.get("image")]
    assert [caption.split("：")[0] for caption in captions] == ["原图", "扰动", "对抗样本"], captions
    assert not english_left(app), english_left(app)


def test_comparison_measured_lines_and_claims_speak_chinese():
    """With two stored MNIST runs: the measured lines and the checked claims, in Chinese."""
    from training.events import FINISHED, RunConfig
    from training.store import RunStore

    store = RunStore()
    for arch, accuracy in (("cnn", 0.99), ("dnn", 0.975)):
        store.finish_run(store.start_run(RunConfig(task="mnist", arch=arch)), FINISHED, metrics={"accuracy": accuracy})
    app = open_page("views/lessons/comparison.py", CHINESE)
    measured = [block.value for block in app.markdown if block.value.startswith("**实测**")]
    assert measured[1].endswith("MNIST cnn：准确率 99.00 %（共 1 次运行）"), measured[1]
    claims = app.dataframe[0].value
    assert list(claims.columns) == ["网络类型", "说法", "结论", "证据"]
    assert claims.iloc[0].tolist() == ["DNN", "把图像展平会丢失结构：CNN 胜过 DNN。", "成立",
                                       "cnn：准确率 99.00 %，dnn：准确率 97.50 %"]
    assert not english_left(app), english_left(app)
