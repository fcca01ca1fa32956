"""One glossary for the Chinese texts, with the course notes' own terms, used consistently."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from i18n import CHINESE, ENGLISH, catalog_path
from i18n.check import english_words, glossary, outside_quotes
from i18n.text import page_names, page_text

NOTES = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"
ISSUE_TERMS = ["神经元", "激活函数", "损失函数", "梯度下降", "反向传播", "卷积核", "池化", "全连接",
               "循环神经网络", "长短期记忆", "门控循环单元", "梯度消失", "梯度爆炸", "梯度裁剪", "词嵌入",
               "自编码器", "生成对抗网络", "图卷积"]

# The issue's list, checked against the notes: they never write 词嵌入 (note 000 has "WordEmbedding"
# and 词向量 for the one-hot word vectors), so the glossary keeps the textbook term the issue asks for.
NOT_IN_NOTES = {"词嵌入"}


def pairs() -> list[tuple[str, str, str]]:
    """(where, English, Chinese) for every catalog message and every section of lesson prose."""
    with catalog_path(CHINESE).open("rb") as source:
        found = [("catalog", message.id, message.string) for message in read_po(source) if message.id]
    for name in page_names():
        english, chinese = page_text(name, ENGLISH), page_text(name, CHINESE)
        found += [(f"{name}.md#{section}", text, chinese.sections[section])
                  for section, text in english.sections.items()]
    return found


def test_the_glossary_holds_the_notes_terms():
    chinese = {term.chinese for term in glossary()}
    assert set(ISSUE_TERMS) <= chinese
    assert len(chinese) == len(glossary()), "a Chinese term is listed twice"


@pytest.mark.skipif(not NOTES.is_dir(), reason="the course notes (../shared/seeds) are not next to this clone")
def test_the_glossary_uses_the_notes_own_words_where_they_have_one():
    notes = "".join(path.read_text(encoding="utf-8") for path in NOTES.glob("*.txt"))
    for term in ISSUE_TERMS:
        assert term in notes or term in NOT_IN_NOTES, f"the notes never write {term}"
    for term in glossary():  # where the notes waver, the glossary takes their more frequent word
        chosen = notes.count(term.notes_form or term.chinese)
        for variant in term.avoid:
            assert notes.count(variant) <= chosen, f"the notes write {variant} more often than {term.chinese}"


def test_every_english_term_is_rendered_with_its_glossary_term():
    """A Chinese text that is only the notes' sentence in “…” keeps the notes' words and is skipped."""
    problems = []
    for where, english, chinese in pairs():
        own_words = outside_quotes(chinese)
        if not english_words(own_words) and not own_words.strip(" 。，：“”"):
            continue
        problems += [(where, term.english[0], term.chinese, chinese[:50]) for term in glossary()
                     if term.used_in_english(english) and term.chinese not in chinese]
    assert not problems, problems[:10]


def test_no_avoided_variant_outside_the_notes_quotes():
    problems = [(where, variant, chinese[:50]) for where, _, chinese in pairs() for term in glossary()
                for variant in term.avoid if variant in outside_quotes(chinese)]
    assert not problems, problems


def test_no_english_prose_in_the_chinese_catalog():
    with catalog_path(CHINESE).open("rb") as source:
        left = {message.id: english_words(message.string) for message in read_po(source) if message.id}
    assert not {key: words for key, words in left.items() if words}


def test_the_detector_flags_english_prose_and_allows_code_names_numbers_and_units():
    assert english_words("Press the button to train") == ["Press", "the", "button", "train"]
    assert english_words("训练 Keras 模型：`model.fit(x, y)`，用时 3.2 s，熵 1.386 nats") == []
    assert english_words("测试会与 TensorFlow 的 GradientTape 和 keras.ops.softmax 核对，扰动 ±1e-6") == []
    assert english_words("它们处在一个**平台**（plateau）上；论文 'Learning representations by back-propagating "
                         "errors'；logits 与 one-hot 目标；METR-LA") == []
    assert english_words("损失函数（loss）很大，but the answer is wrong") == ["but", "the", "answer", "wrong"]
    assert english_words("speeds.csv 第 1 行：字节 0xe9 不是 UTF-8 编码，另存为 CSV（Excel）；另有 {count:,} 个") == []
