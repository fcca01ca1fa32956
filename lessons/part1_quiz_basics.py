"""Quiz questions and corrections of the course notes for lessons 1-4 (intro, neuron, activations,
gradient descent). Numbers quoted here are recomputed by tests/test_lessons_part1.py."""

from __future__ import annotations

from lessons.quiz import NOTE_PARTLY, Correction, Question

INTRO_QUESTIONS = [
    Question("A model predicts tomorrow's PM2.5 level in µg/m³. What kind of task is that?",
             ("Regression", "Binary classification", "Multi-class classification", "Clustering"), 0,
             "The output is a number on a continuous scale, so it is regression. Predicting one of the "
             "labels 'good / moderate / unhealthy' instead would be multi-class classification."),
    Question("How are artificial intelligence, machine learning and deep learning related?",
             ("DL ⊃ ML ⊃ AI", "ML and DL are separate fields", "AI ⊃ ML ⊃ DL", "They are three names for one thing"), 2,
             "AI is the goal (machines that act intelligently), machine learning is one way to reach it "
             "(learn from data instead of hand-written rules), and deep learning is one family of ML "
             "methods (many-layer neural networks)."),
    Question("You group shoppers by their purchase histories, without any labels. This is…",
             ("Supervised classification", "Unsupervised learning (clustering)", "Regression",
              "Reinforcement learning"), 1,
             "No target labels are given; the algorithm finds the groups itself, as k-means does in the demo."),
    Question("Why is a model judged on a test set it never saw during training?",
             ("The test set is larger", "Training error cannot be computed", "To make training faster",
              "Training error is optimistic: it also rewards memorising the training examples"), 3,
             "A model can fit its own training data better than new data; only held-out data estimates how "
             "it will do on new cases. A two-parameter line cannot memorise much, so in the demo the two errors "
             "are close; lesson 7 shows a model that memorises."),
    Question("How can the result of unsupervised learning be measured?",
             ("Hardly at all: without labels there is nothing to compare the result with",
              "With label-free scores such as within-cluster distances or reconstruction error, or by how much "
              "the learned features help a later supervised task",
              "Only by asking a human", "With training accuracy"), 1,
             "There are no labels to compare with, but there are still numbers: k-means reports its "
             "within-cluster sum of squares, an autoencoder its reconstruction error, PCA the variance it keeps.",
             notes_said="note 000: its effect can hardly be quantified, 几乎无法量化效果如何"),
]

INTRO_CORRECTIONS = [
    Correction("note 000", "Supervised learning can measure its effect because its goal is clear, while "
               "unsupervised learning can hardly quantify how well it works (无监督学习几乎无法量化效果如何).",
               "It has no labels, not no measures: within-cluster sum of squares, silhouette scores, "
               "reconstruction error and explained variance are all numbers, and learned features can be "
               "scored by a downstream task."),
    Correction("note 004", "A model can be understood as the combination of an algorithm and data.",
               "A model is a function: an architecture plus the parameters learned for it. The training "
               "algorithm and the data produce those parameters, but neither is part of the model you ship."),
    Correction("note 004", "Model training … finally yields an optimal solution (最优解).",
               "Training lowers the loss until we stop it; the result is usually a local minimum or simply "
               "a good point, not a proven optimum. And the aim is low error on new data, not the lowest "
               "possible error on the training data."),
    Correction("note 001", "Hinton's 2006 Science paper 'Reducing the dimensionality of data with neural networks' "
               "first proposed deep belief networks.",
               "Deep belief networks were introduced in Hinton, Osindero & Teh, 'A fast learning algorithm for "
               "deep belief nets', Neural Computation 18(7), 2006. The Science paper (Hinton & Salakhutdinov, "
               "2006) used the same layer-by-layer pre-training to train deep autoencoders."),
    Correction("note 001", "Classic ML methods stop improving as data grows, while larger networks keep improving.",
               "That figure is a sketch from Andrew Ng's course, not a measurement. How accuracy grows with "
               "data depends on the task and the model; measure it (the task pages do) rather than assume it.",
               kind=NOTE_PARTLY),
]

NEURON_QUESTIONS = [
    Question("A sigmoid neuron has weights w = (2, −1) and bias b = 0.5. What does it output for x = (1, 1)?",
             ("0.82", "0.62", "1.5", "0.18"), 0,
             "z = 2·1 + (−1)·1 + 0.5 = 1.5 and sigmoid(1.5) = 1 / (1 + e^(−1.5)) ≈ 0.82."),
    Question("Why can no single neuron (sigmoid plus a 0.5 threshold) solve XOR?",
             ("It has too few training examples", "The sigmoid is not differentiable",
              "Its decision boundary w·x + b = 0 is one straight line, and no line separates XOR's classes",
              "XOR needs negative inputs"), 2,
             "The output is above 0.5 exactly where w·x + b > 0: one straight cut. XOR's classes sit on "
             "opposite corners, so every line misclassifies at least one corner. The demo shows it."),
    Question("Can a single neuron learn from data?",
             ("No, never", "Yes: a perceptron or a sigmoid neuron learns its weights from examples; only the 1943 "
              "McCulloch-Pitts neuron had fixed, hand-set weights", "Only with a ReLU",
              "Only inside a deep network"), 1,
             "Rosenblatt's perceptron (1958) adjusts its weights after each mistake, and a sigmoid neuron trained "
             "by gradient descent is logistic regression. The 'one neuron' model in the demo learns its line.",
             notes_said="note 001: a single neuron model cannot learn from data"),
    Question("What does a hidden layer of many neurons add over one neuron?",
             ("Nothing: it is still one line", "Memory of earlier inputs", "Faster training only",
              "Many straight cuts whose combination can enclose curved regions"), 3,
             "Each hidden neuron makes its own cut; the output neuron combines them, so the boundary can bend. "
             "Deeper layers combine those combinations again, re-using the earlier cuts."),
    Question("A single neuron with an identity (linear) activation is trained with squared error to predict a "
             "number. What model is that?",
             ("Linear regression", "Logistic regression", "A decision tree", "k-means clustering"), 0,
             "Output = w·x + b fitted by least squares: linear regression. With a sigmoid and cross-entropy it "
             "would be logistic regression, a binary classifier. Note 000's homework answer says the same: "
             "before the activation a neuron is a linear regression model, and a sigmoid makes it a binary "
             "classifier (在激活函数之前,都是一个线性回归的模型…如果是个 sigmod函数起到二分类的作用)."),
]

NEURON_CORRECTIONS = [
    Correction("note 001", "A single neuron model cannot learn from data (单个的神经元模型无法从数据中学习).",
               "True of the McCulloch-Pitts neuron of 1943, whose weights were fixed by hand. False of the "
               "perceptron (Rosenblatt, 1958), which learns its weights from labelled examples, and of a sigmoid "
               "neuron trained by gradient descent (logistic regression).", kind=NOTE_PARTLY),
    Correction("note 001", "The first artificial neuron was proposed by 'Warren Maculloach' and Walter Pitts.",
               "Warren McCulloch and Walter Pitts, 'A logical calculus of the ideas immanent in nervous "
               "activity', 1943."),
    Correction("note 004", "h(x) = f(Wᵀx) = f(Σ Wᵢxᵢ + b)",
               "The middle term drops the bias: h(x) = f(Wᵀx + b)."),
    Correction("note 000", "A single neuron's role is binary classification (单个神经元的作用是做二分类).",
               "Only with a sigmoid or step activation and a threshold, where it is a linear classifier (logistic "
               "regression). The note's own next sentence says so: before the activation it is a linear "
               "regression model (在激活函数之前,都是一个线性回归的模型). With a linear activation it is linear "
               "regression, and inside a network a neuron is a feature detector, not a classifier of its own.",
               kind=NOTE_PARTLY),
    Correction("note 001", "The output layer turns the last hidden layer's output into a single value.",
               "The output layer has one unit per quantity to predict: one for a number or a yes/no label, "
               "ten softmax units for the ten MNIST digits."),
]

ACTIVATION_QUESTIONS = [
    Question("What is the derivative of ReLU at x = −2?", ("−1", "0", "1", "It does not exist"), 1,
             "ReLU is flat (0) for x < 0, so its slope there is 0; for x > 0 it is 1. That is the Heaviside "
             "step function, not sgn, which would give −1 on the left.",
             notes_said="note 001: ReLU's derivative is sgn(x), i.e. −1 here"),
    Question("What is the largest value the sigmoid's derivative ever takes?", ("1", "1/2", "1/4", "e"), 2,
             "σ'(x) = σ(x)(1 − σ(x)) peaks where σ(x) = 1/2, at x = 0, giving 1/4. Every sigmoid layer a "
             "gradient passes through multiplies it by at most 1/4."),
    Question("How many ReLUs build one hard sigmoid (flat, ramp, flat) exactly?",
             ("1", "2", "3", "None: only approximately"), 1,
             "relu(x − s) − relu(x − e), divided by e − s, is 0 before s, rises linearly to 1 at e and stays 1. "
             "A sigmoid can only approximate that shape; two ReLUs give it exactly."),
    Question("Must an activation function be differentiable everywhere and monotonic?",
             ("Yes, both", "Only differentiable", "Only monotonic",
              "Neither: ReLU has a kink at 0, and GELU or Swish are not monotonic, yet all train well"), 3,
             "What matters is that it is non-linear and has useful gradients almost everywhere. At ReLU's kink "
             "frameworks simply use the slope of one side.",
             notes_said="note 004: an activation should be differentiable and monotonic"),
]

ACTIVATION_CORRECTIONS = [
    Correction("note 001", "ReLU's derivative is sgn (ignoring x = 0).",
               "It is the Heaviside step: 0 for x < 0 and 1 for x > 0. sgn would be −1 for x < 0, which would "
               "push gradients backwards instead of blocking them."),
    Correction("note 001", "The activation function is expensive and its derivative involves a division "
               "(the paragraph does not say which function).",
               "It describes the sigmoid. Its derivative σ(x)(1 − σ(x)) reuses the forward value, with no "
               "division; the cost is the exponential. Its real weakness is saturation: the slope is at most "
               "1/4 and nearly 0 for large |x|."),
    Correction("note 002", "A sigmoid approximates a hard sigmoid with one function, ReLU with two functions.",
               "Two ReLUs give a hard sigmoid exactly, not approximately (the demo's two-ReLU fit uses exact ramps); "
               "only the sigmoid version is an approximation.", kind=NOTE_PARTLY),
    Correction("note 002", "The hard sigmoid is not used as the basic function because it cannot be "
               "differentiated at its corners.",
               "ReLU has a corner too and is the most used activation: a kink at isolated points is harmless "
               "(frameworks use one side's slope). The hard sigmoid's weakness is that it is flat, with zero "
               "gradient, on both sides."),
    Correction("note 004", "An activation function should be differentiable and monotonic (可微, 单调).",
               "Neither is required: ReLU is not differentiable at 0, and GELU and Swish, common in modern "
               "networks, are not monotonic."),
]

GRADIENT_QUESTIONS = [
    Question("A data set has N = 10,000 examples and the batch size is 10. How many parameter updates happen in "
             "one epoch?", ("10", "1,000", "10,000", "100,000"), 1,
             "One update per batch: 10,000 / 10 = 1,000 (the notes get this right). With N = 10,005 there would be "
             "1,001, the last batch holding 5 examples."),
    Question("On the narrow valley (curvatures 1 and 10), which step size makes gradient descent diverge?",
             ("0.01", "0.05", "0.15", "0.25"), 3,
             "Each step multiplies the steep coordinate by 1 − 10·step. Above step 0.2 that factor is below −1, "
             "so the walk overshoots further every time. At 0.15 it zig-zags but still converges."),
    Question("In which direction does gradient descent move the parameters?",
             ("Along the gradient", "Against the gradient (−∇f)", "Along a random direction", "Towards the origin"), 1,
             "The gradient points uphill, to where the loss grows fastest, so the update is x ← x − step·∇f(x).",
             notes_said="note 003: it descends 'in the direction of the gradient'"),
    Question("The label is 1 and the model says p = 0.01. Which loss punishes this more?",
             ("Squared error, (1 − p)² ≈ 0.98", "Cross-entropy, −ln p ≈ 4.6", "They are equal", "Neither"), 1,
             "Cross-entropy grows without bound as a confident answer gets more wrong, which is why it is the "
             "usual loss for classification; squared error is capped at 1 here."),
    Question("Gradient descent from one start ended in a poor local minimum. What can help?",
             ("Nothing: gradient descent always finds the global minimum", "Use a step size of zero",
              "Restart from several random points and keep the best end point", "Add more local minima"), 2,
             "Each start rolls into the basin it begins in. Several random restarts (or, in networks, several "
             "seeds) sample several basins; on a convex loss there is only one basin."),
]

GRADIENT_CORRECTIONS = [
    Correction("note 001", "If each step lowers the loss, f(xᵗ⁺¹) < f(xᵗ), repeating it converges to a local minimum.",
               "A decreasing loss does not imply reaching a minimum: the walk can stall at a saddle point, slide "
               "forever down a slope with no minimum (the notes' own third bullet), or take ever smaller steps "
               "that stop short. If the gradient changes at most L per unit of distance and the loss is bounded "
               "below, a step below 2/L drives the gradient to zero: the walk approaches stationary points, "
               "which may still be saddles."),
    Correction("note 001", "From the Taylor expansion, Δx = −step·∇f(x) makes f(x + Δx) < f(x).",
               "Only for a small enough step: the first-order expansion ignores curvature. On the narrow valley "
               "any step above 0.2 makes the loss grow, as the slider shows.", kind=NOTE_PARTLY),
    Correction("note 003", "Gradient descent descends in the direction of the gradient (在梯度的方向上下降).",
               "It moves against the gradient: the gradient points uphill."),
    Correction("note 003",
               "Optimisation has roughly three methods: Newton's method, least squares and gradient descent.",
               "Least squares is a kind of problem (minimise a sum of squared errors), solvable in closed form, by "
               "gradient descent or by Newton's method. Optimisers are many: Newton and quasi-Newton (L-BFGS), "
               "conjugate gradients, SGD with momentum, Adam…"),
    Correction("note 002", "A hyperparameter is a parameter you set yourself to adjust the size of the step.",
               "The learning rate is one hyperparameter; the term covers every setting not learned from data: "
               "batch size, number of epochs, number and width of layers, activation, dropout rate.",
               kind=NOTE_PARTLY),
]
