"""ui.i18n.translated_chart: every title and category name of a chart translated, by walking the
chart's objects (pages in Chinese draw dozens of charts on each rerun)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ui.i18n import translated_chart

WORDS = {"Loss": "损失", "Epoch": "轮次", "training": "训练", "validation": "验证", "Curves": "曲线",
         "split": "划分", "Minimum": "最小值", "loss": "损失值"}


def gettext(message: str) -> str:
    return WORDS.get(message, message)


def curves() -> alt.LayerChart:
    frame = pd.DataFrame({"epoch": [1, 2, 1, 2], "loss": [0.9, 0.5, 1.0, 0.7],
                          "split": ["training", "training", "validation", "validation"]})
    lines = alt.Chart(frame).mark_line().encode(
        x=alt.X("epoch:Q", title="Epoch"), y=alt.Y("loss:Q", title="Loss"),
        color=alt.Color("split:N", scale=alt.Scale(domain=["training", "validation"])),
        tooltip=[alt.Tooltip("split:N", title="split"), "loss:Q"])
    lowest = alt.Chart(pd.DataFrame({"loss": [0.5]})).mark_rule().encode(
        y="loss:Q", tooltip=alt.Tooltip("loss:Q", title="Minimum"))
    return alt.layer(lines, lowest).properties(title=alt.TitleParams(text="Curves"))


def titles(node) -> list[str]:
    if isinstance(node, dict):
        found = [node["title"]] if isinstance(node.get("title"), str) else []
        if isinstance(node.get("title"), dict):
            found.append(node["title"]["text"])
        return found + [title for key, value in node.items() if key != "datasets" for title in titles(value)]
    return [title for item in node for title in titles(item)] if isinstance(node, list) else []


def test_every_title_tooltip_and_category_is_translated_and_the_original_is_untouched():
    chart = curves()
    before = chart.to_dict()
    spec = translated_chart(chart, gettext).to_dict()
    assert sorted(titles(spec)) == sorted(["曲线", "轮次", "损失", "划分", "损失值", "最小值"])
    categories = {row["split"] for rows in spec["datasets"].values() for row in rows if "split" in row}
    assert categories == {"训练", "验证"}
    assert spec["layer"][0]["encoding"]["color"]["scale"]["domain"] == ["训练", "验证"]
    assert chart.to_dict() == before  # the page's chart and its data frame are not changed


def test_a_chart_without_text_comes_back_equal():
    chart = alt.Chart(pd.DataFrame({"x": [1, 2], "y": [3, 4]})).mark_point().encode(x="x:Q", y="y:Q")
    assert translated_chart(chart, gettext).to_dict() == chart.to_dict()
