"""Keras 3 builders for every architecture of the app, and the registry that names them.

`models.registry` is free of Keras at import time so pages can list architectures cheaply;
the builder modules import Keras and are loaded only when a model is built.
"""
