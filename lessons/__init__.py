"""Lesson content and math, free of Streamlit. TensorFlow/Keras are imported inside the
functions that need them, so a lesson page that only reads never pays for the import."""
