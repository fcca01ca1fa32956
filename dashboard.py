"""Deep Learning Lab: `streamlit run dashboard.py`."""

import streamlit as st

from ui.catalog import SECTIONS
from ui.worker import keep_alive, session_owner

st.set_page_config(page_title="Deep Learning Lab", page_icon=":material/neurology:", layout="wide")

navigation = {
    section: [st.Page(page.script, title=page.title, icon=page.icon, url_path=page.url_path,
                      default=page.script == "views/home.py")
              for page in pages]
    for section, pages in SECTIONS.items()
}
page = st.navigation(navigation)
session_owner()  # sets the browser's owner cookie on a first visit
keep_alive()  # trainings of this session stay alive while any page of the app is open
page.run()
