"""Train and compare sentiment classifiers live on IMDB reviews."""

from ui.sentiment_views import sentiment_views
from ui.task_page import task_page

task_page("imdb", "views/tasks/sentiment.py", views=sentiment_views, intro=(
    "Decide whether a movie review is positive or negative. The bag of embeddings ignores word "
    "order; the recurrent networks read the review word by word; the 1-D CNN spots short phrases. "
    "**Quick** trains on 5,000 of the 20,000 training reviews."))
