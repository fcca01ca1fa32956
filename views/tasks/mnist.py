"""Train and compare MNIST classifiers live: DNN vs CNN vs a modern CNN."""

from ui.mnist_views import mnist_views
from ui.task_page import task_page

task_page("mnist", "views/tasks/mnist.py", views=mnist_views, intro=(
    "Pick one or more architectures and train them side by side on the 60,000 training digits "
    "(or a 10,000-digit subset with **Quick**). The multilayer perceptron flattens the image; the "
    "convolutional networks keep its 2-D layout, so they need far fewer parameters for the same "
    "accuracy."))
