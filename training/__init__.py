"""The training engine, the run store and the CLI (`python -m training`). No Streamlit here."""
