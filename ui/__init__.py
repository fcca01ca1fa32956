"""Streamlit helpers shared by the pages. Only pages and these helpers import Streamlit."""
