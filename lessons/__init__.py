"""Lesson content and math, free of Streamlit. TensorFlow/Keras are imported inside the
functions that need them, so a lesson page that only reads never pays for the import.

One module per lesson page: `views/lessons/X.py` shows `lessons/X.py` (its math, its quiz
`QUESTIONS` and its checked notes `CORRECTIONS`), tested in `tests/test_lesson_X.py`. The few
modules that are not a lesson are shared by several: `quiz` (the Question and Correction types),
`toy_data`, `keras_demo`, `projection`, `pretrained` and `end_to_end`."""
