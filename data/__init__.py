"""Real datasets for Deep Learning Lab: MNIST, IMDB reviews and the METR-LA week.

Streamlit-free on purpose: the dashboard, the training engine, the CLI and the
benchmarks all load data through these functions.
"""
