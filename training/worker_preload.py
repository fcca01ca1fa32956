"""Imported once by the forkserver every training worker forks from (training.process): each run
then starts with TensorFlow and Keras already imported instead of paying their import itself."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # before TensorFlow reads it, at its import

import keras  # noqa: E402,F401 - the import is the point
