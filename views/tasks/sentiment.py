"""Train and compare sentiment classifiers live on IMDB reviews; then score a review of your own."""

from ui.sentiment_views import sentiment_views, your_review
from ui.task_page import task_page
from ui.worker import session_results

task_page("imdb", "views/tasks/sentiment.py", views=sentiment_views, intro=(
    "Decide whether a movie review is positive or negative. The bag of embeddings ignores word "
    "order; the recurrent networks read the review word by word; the 1-D CNN spots short phrases; "
    "the attention model weighs each word and averages them by weight. "
    "**Quick** trains on 5,000 of the 20,000 training reviews."))
your_review([run.run_id for run in reversed(session_results("imdb")) if run.run_id])
