"""The translated pages in both languages, through dashboard.py as a learner reaches them: they render
without exception, and in Chinese no English prose is left outside code, numbers, units and names
(i18n.check.english_words), in texts, widgets, tables, tooltips and chart titles alike."""

from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from data.tiny import own_reviews_csv, tiny_review
from i18n import CHINESE, ENGLISH, TRANSLATED_PAGES, translations
from i18n.check import english_words
from tests.pages import rerun, wait_for_demos, wait_for_result
from ui.catalog import LESSONS, ROOT, SECTIONS
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
    # an empty multiselect shows its placeholder, Streamlit's English one unless the page sets it
    found += [("multiselect placeholder", widget.proto.placeholder or "Choose options")
              for widget in app.multiselect if widget.key != PICKER_KEY and not widget.value]
    for table in app.dataframe:
        frame = table.value
        found += [("table column", str(column)) for column in frame.columns]
        found += [("table cell", cell) for column in frame.columns for cell in frame[column] if isinstance(cell, str)]
    for chart in app.get("arrow_vega_lite_chart") + app.get("vega_lite_chart"):
        found += [("chart", title) for title in chart_titles(json.loads(chart.proto.spec))]
    found += [("link", link.proto.label) for link in app.get("page_link")]
    return [(where, text) for where, text in found if text]


def answer_every_question(app: AppTest) -> AppTest:
    """Pick an answer everywhere, so each explanation (right or wrong) is on the page: every answer
    set, then one rerun (a rerun per answer reran the whole page as often)."""
    for index, radio in enumerate(radio for radio in app.radio if radio.key and "-q" in radio.key):
        radio.set_value(index % len(radio.options))
    app = app.run()
    assert not app.exception, [item.value for item in app.exception]
    return app


def english_left(app: AppTest, data_words: frozenset[str] = frozenset()) -> list[tuple[str, str, list[str]]]:
    """English words left, except `data_words`: words of an English data set that the page shows as data."""
    return [(where, text[:80], words) for where, text in visible_texts(app)
            if (words := [word for word in english_words(text) if word.lower() not in data_words])]


# The embeddings lesson shows the words of the (tiny) IMDB reviews it learns from: options, tables, map.
REVIEW_WORDS = frozenset(re.findall(r"[a-z]+", " ".join(tiny_review(positive, index).lower().replace("<br />", " ")
                                                       for positive in (True, False) for index in range(5))))
DATA_WORDS = {"views/lessons/embeddings.py": REVIEW_WORDS}


def with_own_reviews(app: AppTest) -> AppTest:
    """The own-data page shows its table, training form and comparison once a dataset is kept."""
    app = app.segmented_control(key="own-kind").set_value("imdb").run()
    app.file_uploader(key="own-reviews").set_value(("mine.csv", own_reviews_csv(), "text/csv"))
    return next(button for button in app.button if button.label == "检查并保存").click().run()


PREPARE = {"views/tasks/own_data.py": with_own_reviews}  # pages that show little until the learner acts


@pytest.mark.parametrize("script", TRANSLATED_PAGES)
def test_translated_page_in_chinese_has_no_english_prose(script, tiny_mirror):  # explorers load data
    app = answer_every_question(PREPARE.get(script, lambda page: page)(open_page(script, CHINESE)))
    assert app.query_params["lang"] == CHINESE
    if script in TITLES:
        assert app.title[0].value == translations(CHINESE).gettext(TITLES[script]) != TITLES[script]
    assert not any("本页尚未翻译" in info.value for info in app.info)
    assert len(visible_texts(app)) > 20
    left = english_left(app, DATA_WORDS.get(script, frozenset()))
    assert not left, left


@pytest.mark.parametrize("script", TRANSLATED_PAGES)
def test_translated_page_in_english_is_unchanged(script, tiny_mirror):  # explorers load data
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


def test_embeddings_trained_demo_speaks_chinese(tiny_mirror):
    """After the skip-gram training: the loss chart, both neighbour tables, the map of either method and
    the correlation table with its verdict; the review words stay as they are."""
    app = open_page("views/lessons/embeddings.py", CHINESE)
    app = wait_for_demos(app.button[0].click().run())
    correlations = app.dataframe[-1].value
    assert list(correlations.columns) == ["向量", "相关系数（原始计数）", "相关系数（对数计数）", "相关系数（PMI）"]
    assert list(correlations["向量"]) == ["基于计数", "基于预测"]
    verdict = next(caption.value for caption in app.caption if caption.value.startswith("皮尔逊"))
    assert "基于计数的向量：内积" in verdict and "基于预测的向量：内积" in verdict
    assert not english_left(app, REVIEW_WORDS), english_left(app, REVIEW_WORDS)
    app = app.radio[0].set_value("prediction-based").run()  # the map of the trained vectors; values stay English
    assert not english_left(app, REVIEW_WORDS), english_left(app, REVIEW_WORDS)


def test_autoencoder_trained_demo_speaks_chinese(tiny_mirror):
    """After training: metrics, the loss curves, the projected code space and both measured verdicts."""
    app = open_page("views/lessons/autoencoders.py", CHINESE)
    app.select_slider[0].set_value(8)  # a code of 8 numbers: the picture is a PCA projection
    app.slider[1].set_value(3)
    app = wait_for_demos(app.button[0].click().run())
    chinese = translations(CHINESE).gettext
    assert [metric.label for metric in app.metric] == [
        chinese(label) for label in ("Pixel error of the noisy input", "Pixel error after denoising", "Training time")]
    assert any(block.value.startswith("这次运行中，随机编码解码出") for block in app.markdown)
    assert any("的测试数字，其最近邻是同一个数字" in caption.value for caption in app.caption)
    assert not english_left(app), english_left(app)


def test_gan_trained_demo_speaks_chinese():
    """After live training: the snapshots, metrics, losses with their reference lines and the quality table."""
    app = open_page("views/lessons/gans.py", CHINESE)
    app.slider[0].set_value(3)  # epochs
    app = wait_for_demos(app.button[0].click().run())
    assert [metric.label for metric in app.metric][2] == "覆盖的模式数（共 8 个）"
    assert list(app.dataframe[0].value.columns) == ["轮", "假到真", "真到假", "覆盖的模式数", "靠近某个模式"]
    specs = [json.loads(chart.proto.spec) for chart in app.get("arrow_vega_lite_chart") + app.get("vega_lite_chart")]
    assert ["真实数据", "生成的点"] in [domain for spec in specs for domain in domains(spec)]  # the legend
    assert not english_left(app), english_left(app)


def domains(node) -> list[list]:
    """Every scale domain in a Vega-Lite spec (the legend's categories)."""
    if isinstance(node, dict):
        return ([node["domain"]] if isinstance(node.get("domain"), list) else []) + [
            found for value in node.values() for found in domains(value)]
    return [found for item in node for found in domains(item)] if isinstance(node, list) else []


UNTRANSLATED = [page.script for pages in SECTIONS.values() for page in pages if page.script not in TRANSLATED_PAGES]


@pytest.mark.skipif(not UNTRANSLATED, reason="every page is translated")
def test_untranslated_page_says_so_in_chinese_and_still_works(tiny_mirror):
    script = UNTRANSLATED[0]
    app = open_page(script, CHINESE)
    assert any("本页尚未翻译" in info.value for info in app.info)
    assert any(english_words(block.value) for block in app.markdown)  # its content in English, as the note says
    english = open_page(script, ENGLISH)
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


def test_traffic_comparison_after_training_speaks_chinese(tiny_mirror):
    """The baselines (computed, not trained): the live panel's verdicts, the comparison table and notes,
    the error-by-horizon charts, a sensor's forecast and the error map."""
    from tests.test_pages_tasks import configure, run_until

    app = open_page("views/tasks/traffic.py", CHINESE)
    configure(app, "traffic", ["persistence"]).run()
    run_until(app, lambda page: any(header.value == "哪些传感器难以预测" for header in page.subheader),
              what="the traffic views")
    assert any(item.value.startswith("**持续性预测**：MAE 15 分钟") for item in app.success)
    assert any(item.value.startswith("本次比较中 MAE 最低的模型 · 15 分钟：**") for item in app.markdown)
    assert list(app.dataframe[0].value.columns)[:3] == ["模型", "来源", "状态"]
    assert not english_left(app), english_left(app)


def test_mnist_comparison_after_training_speaks_chinese(tiny_mirror):
    """One epoch of the DNN on tiny MNIST: the live verdict, curves, confusion matrix and mistakes, and the
    stored model offered to the digit drawer."""
    from tests.test_pages_tasks import configure, run_until

    app = open_page("views/tasks/mnist.py", CHINESE)
    configure(app, "mnist", ["dnn"], epochs=1, batch=64).run()
    run_until(app, lambda page: any(header.value == "每个模型错在哪里" for header in page.subheader),
              what="the MNIST views")
    assert any(item.value.startswith("**DNN（MLP）**：测试准确率") for item in app.success)
    assert any("个测试数字中有" in item.value for item in app.markdown)
    assert not english_left(app), english_left(app)


def test_a_diverged_run_is_explained_in_chinese(tiny_mirror):
    from tests.test_pages_tasks import configure, run_until

    app = open_page("views/tasks/mnist.py", CHINESE)
    configure(app, "mnist", ["dnn"], epochs=1, batch=8, lr=9.5).run()
    run_until(app, lambda page: bool(page.error), what="the divergence")
    message = app.error[0].value
    assert message.startswith("**DNN（MLP） 发散了。** ") and "学习率太高" in message, message
    assert not english_left(app), english_left(app)
