"""Deep Learning Lab: `streamlit run dashboard.py`."""

import streamlit as st

from views.catalog import SECTIONS, available

st.set_page_config(page_title="Deep Learning Lab", page_icon=":material/neurology:", layout="wide")

navigation = {
    section: [st.Page(page.script, title=page.title, icon=page.icon, url_path=page.url_path,
                      default=page.script == "views/home.py")
              for page in available(pages)]
    for section, pages in SECTIONS.items()
}
st.navigation({section: pages for section, pages in navigation.items() if pages}).run()
