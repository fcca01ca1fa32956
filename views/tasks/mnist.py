"""Train and compare MNIST classifiers live: DNN vs CNN vs a modern CNN; then draw a digit for them."""

from ui.digit_views import draw_a_digit
from ui.mnist_views import mnist_views
from ui.task_page import task_page
from ui.worker import session_results

task_page("mnist", "views/tasks/mnist.py", views=mnist_views, intro=(
    "Pick one or more architectures and train them side by side on the 60,000 training digits "
    "(or a 10,000-digit subset with **Quick**). The multilayer perceptron flattens the image; the "
    "convolutional networks keep its 2-D layout, so they need far fewer parameters for the same "
    "accuracy."))
draw_a_digit("mnist-draw", preferred_runs=[run.run_id for run in reversed(session_results("mnist")) if run.run_id])
