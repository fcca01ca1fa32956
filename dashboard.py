"""Deep Learning Lab: `streamlit run dashboard.py`."""

import streamlit as st

from ui.catalog import SECTIONS
from ui.i18n import gettext_for_session, keep_in_url, language_picker, untranslated_note
from ui.worker import keep_alive, session_owner

st.set_page_config(page_title="Deep Learning Lab", page_icon=":material/neurology:", layout="wide")

_ = gettext_for_session()  # this session's language (URL, sidebar choice or browser)
scripts = {}  # each navigation page's script, to tell whether it is translated
navigation = {}
for section, pages in SECTIONS.items():
    navigation[_(section) if section else section] = []
    for page in pages:
        entry = st.Page(page.script, title=_(page.title), icon=page.icon, url_path=page.url_path,
                        default=page.script == "views/home.py")
        scripts[entry.url_path] = page.script
        navigation[_(section) if section else section].append(entry)
page = st.navigation({section: pages for section, pages in navigation.items() if pages})
keep_in_url()
language_picker()
untranslated_note(scripts[page.url_path])
session_owner()  # sets the browser's owner cookie on a first visit
keep_alive()  # trainings of this session stay alive while any page of the app is open
page.run()
keep_in_url()  # again: a page that rewrites its query string (a task's shared setup) drops ?lang=
