"""Train and compare sentiment classifiers live on IMDB reviews; then score a review of your own."""

from ui.sentiment_views import sentiment_views, your_review
from ui.task_page import task_page
from ui.worker import session_results

task_page("imdb", "views/tasks/sentiment.py", views=sentiment_views, intro=(
    "Decide whether a movie review is positive or negative. NBSVM, the baseline, weighs each word "
    "and word pair by how much more often it appears in positive reviews (naive Bayes) and adds "
    "them up in a logistic regression: every network should beat it. The bag of embeddings ignores word "
    "order; the recurrent networks read the review word by word; the 1-D CNN spots short phrases; "
    "the attention model weighs each word and averages them by weight. "
    "**Quick** trains two epochs on 7,000 to 10,000 of the 20,000 training reviews (the bag of "
    "embeddings on all of them: its epochs take seconds)."))
your_review([run.run_id for run in reversed(session_results("imdb")) if run.run_id])
