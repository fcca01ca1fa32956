"""A refused dataset in the learner's language: every OwnDataError is an English template with values
(an i18n.Message, error.text.translated), said in Chinese without English prose, and in English exactly as
str(error) (the CLI's and the tests' text). A refusal inside a training worker keeps its template."""

from __future__ import annotations

import pickle
import re

import pytest

from data import own_store, own_validation
from data.own_validation import OwnDataError, validate_reviews
from data.tiny import own_reviews_csv
from i18n import CHINESE, ENGLISH, Message, translations
from i18n.check import english_words
from tests.test_own_data import (
    ADJACENCY_CASES,
    LOCATION_CASES,
    REVIEW_CASES,
    REVIEWS,
    SPEED_CASES,
    speeds_lines,
    traffic,
    with_line,
)
from training.process import error_message

CHINESE_TEXT = translations(CHINESE).gettext
ENGLISH_TEXT = translations(ENGLISH).gettext
HAN = re.compile(r"[\u4e00-\u9fff]")


def refusal(action) -> OwnDataError:
    with pytest.raises(OwnDataError) as caught:
        action()
    return caught.value


def many_bad_cells() -> bytes:
    lines = speeds_lines()
    lines[7] = "50,fast,50,50"
    lines[8] = "50,slow,50,50"
    return ("\n".join(lines) + "\n").encode()


def too_large(monkeypatch) -> OwnDataError:
    monkeypatch.setattr(own_validation, "MAX_SPEEDS_BYTES", 2 * own_validation.MB)
    return refusal(lambda: traffic(speeds=b"S1,S2\n" + b"50,50\n" * 400_000))


# (refusal, the Chinese text a learner reads)
EXAMPLES = {
    "not a number, and more like it": (
        lambda monkeypatch: refusal(lambda: traffic(speeds=many_bad_cells())),
        "speeds.csv 第 8 行第 2 列（传感器 'S101'）：'fast' 不是数字（另有 1 个这样的单元格）"),
    "adjacency not square": (
        lambda monkeypatch: refusal(lambda: traffic(adjacency=ADJACENCY_CASES["not square"][0])),
        "adjacency.csv 第 3 行有 3 个值；邻接矩阵必须是方阵：它有 4 行，所以每行都需要 4 个值"),
    "bad label": (
        lambda monkeypatch: refusal(lambda: validate_reviews(with_line(REVIEWS, 3, "fine film,positive"))),
        "reviews.csv 第 4 行 'label' 列：'positive' 不是有效的标签；请用 0（负面）或 1（正面）"),
    "file too large": (too_large, "speeds.csv 大小为 2.3 MB；上限是 2 MB"),
    "duplicate sensor id": (
        lambda monkeypatch: refusal(lambda: traffic(speeds=SPEED_CASES["duplicate id"][0])),
        "speeds.csv 第 1 行：第 1 列和第 3 列的传感器编号都是 'S100'；每个传感器都需要自己的编号"),
    "too few of one label": (
        lambda monkeypatch: refusal(lambda: validate_reviews(REVIEW_CASES["too few"][0])),
        "reviews.csv 只有 15 条负面（0）影评；每种标签至少需要 20 条，这样验证集和测试集里才会两种标签都有"),
}


@pytest.mark.parametrize("case", list(EXAMPLES))
def test_a_refusal_reads_in_chinese_and_in_english_as_before(case, monkeypatch):
    make, expected = EXAMPLES[case]
    error = make(monkeypatch)
    chinese = error.text.translated(CHINESE_TEXT)
    assert chinese == expected
    assert english_words(chinese) == [], chinese  # the quoted cells and the file names are not prose
    assert error.text.translated(ENGLISH_TEXT) == str(error)


def leaves(text: Message) -> list[str]:
    """The values a message quotes (cells, names, paths, the csv module's own words), not its templates."""
    return [part for value in text.values.values()
            for part in (leaves(value) if isinstance(value, Message) else [str(value)])]


def every_refusal() -> dict[str, OwnDataError]:
    cases = {}
    for file, table, check in (("speeds", SPEED_CASES, lambda raw: traffic(speeds=raw)),
                               ("adjacency", ADJACENCY_CASES, lambda raw: traffic(adjacency=raw)),
                               ("locations", LOCATION_CASES, lambda raw: traffic(locations=raw)),
                               ("reviews", REVIEW_CASES, validate_reviews)):
        for name, (raw, _) in table.items():
            cases[f"{file}: {name}"] = refusal(lambda: check(raw))  # noqa: B023 - called at once
    lines = speeds_lines()
    negatives = with_line(with_line(lines, 7, "50,-1,-2,50").decode().splitlines(), 8, "-1,50,50,50")
    cases["negatives"] = refusal(lambda: traffic(speeds=negatives))
    cases["not bytes"] = refusal(lambda: own_validation.check_size("text", "speeds.csv", 10))
    cases["no rows"] = refusal(lambda: own_validation.read_rows("", "speeds.csv"))
    cases["long id"] = refusal(lambda: own_validation.sensor_header(["a" * 101, "b"], "speeds.csv"))
    cases["reference"] = refusal(lambda: own_store.parse_reference("../elsewhere"))
    cases["task"] = refusal(lambda: own_store.import_path("mnist", ".", "me"))
    return cases


def test_every_refusal_has_a_chinese_text_without_english_prose(isolated_home):
    refusals = every_refusal()
    assert len(refusals) == 44
    for name, error in refusals.items():
        chinese = error.text.translated(CHINESE_TEXT)
        assert HAN.search(chinese), (name, chinese)
        quoted = set(english_words(" ".join(leaves(error.text))))  # e.g. latitude, a column the file lacks
        assert set(english_words(chinese)) <= quoted, (name, chinese)
        assert error.text.translated(ENGLISH_TEXT) == str(error), name


def test_the_store_refusals_read_in_chinese(isolated_home):
    dataset = own_store.save_reviews("me", "Film club", own_reviews_csv())
    other = refusal(lambda: own_store.delete_dataset(dataset.reference, "someone else"))
    assert other.text.translated(CHINESE_TEXT) == f"数据集 '{dataset.reference}' 属于另一位学习者"
    (dataset.folder / "reviews.csv").write_bytes(b"text,label\n")
    changed = refusal(lambda: own_store.load_own_reviews(dataset.reference))
    assert changed.text.translated(CHINESE_TEXT) == (f"自有数据集 'Film club'：{dataset.folder / 'reviews.csv'} 在上传"
                                                  "之后被改动过（它的 SHA-256 校验和已对不上）：请重新上传")
    own_store.delete_dataset(dataset.reference, "me")
    gone = refusal(lambda: own_store.get_dataset(dataset.reference))
    assert gone.text.translated(CHINESE_TEXT).endswith("中：它已被删除，或者从未上传过")


def test_a_refusal_in_a_training_worker_reaches_the_page_translatable(isolated_home):
    from ui.live import run_message

    error = refusal(lambda: own_store.load_own_traffic("me/traffic-0123456789ab"))
    # a training worker reports this error to the server through a multiprocessing queue, which pickles
    # it: a round trip of the app's own exception between its own processes, never of a user's file
    assert pickle.loads(pickle.dumps(error)).text == error.text  # it keeps its template
    message = error_message(error)  # what the worker puts on its queue (training.process.child_main)
    assert message == str(error)
    received = pickle.loads(pickle.dumps(message))
    assert isinstance(received, Message) and received == message and received.values == error.text.values
    chinese = run_message(received, CHINESE_TEXT)
    assert chinese.startswith("自有数据集 'me/traffic-0123456789ab' 不在 ")
    assert english_words(chinese.replace("\\", "")) == []
    assert error_message(ValueError("bad")) == "ValueError: bad"
