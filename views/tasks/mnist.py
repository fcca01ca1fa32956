"""Train and compare MNIST classifiers live: DNN vs CNN vs a modern CNN; then draw a digit for them."""

from ui.digit_views import draw_a_digit
from ui.i18n import text
from ui.mnist_views import mnist_views
from ui.task_page import task_page
from ui.worker import session_results

task_page("mnist", "views/tasks/mnist.py", views=mnist_views, intro=text("tasks")("mnist-intro"))
draw_a_digit("mnist-draw", preferred_runs=[run.run_id for run in reversed(session_results("mnist")) if run.run_id])
