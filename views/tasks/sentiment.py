"""Train and compare sentiment classifiers live on IMDB reviews; then score a review of your own."""

from ui.i18n import text
from ui.sentiment_views import sentiment_views, your_review
from ui.task_page import task_page
from ui.worker import session_results

task_page("imdb", "views/tasks/sentiment.py", views=sentiment_views, intro=text("tasks")("imdb-intro"))
your_review([run.run_id for run in reversed(session_results("imdb")) if run.run_id])
