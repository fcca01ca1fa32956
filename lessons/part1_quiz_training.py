"""Quiz questions and corrections of the course notes for lessons 5-8 (backpropagation, why deep,
overfitting, TF1 to Keras). Numbers quoted here are recomputed by tests/test_lessons_part1.py."""

from __future__ import annotations

from lessons.quiz import NOTE_PARTLY, Correction, Question

BACKPROP_QUESTIONS = [
    Question("In the worked example (input (1, −1), first hidden unit with weights 1, −2 and bias 1), what is z1[1]?",
             ("4", "−2", "0.98", "1"), 0,
             "z1[1] = 1·1 + (−2)·(−1) + 1 = 4; its activation is sigmoid(4) ≈ 0.98."),
    Question("What is backpropagation?",
             ("An optimiser, the same thing as stochastic gradient descent", "A way to choose the learning rate",
              "An efficient way to compute the gradient of the loss for every weight, applying the chain rule "
              "from the output backwards and re-using each intermediate result",
              "Running the network with its inputs reversed"), 2,
             "Backpropagation only computes gradients. An optimiser (SGD, Adam…) then uses them to update the "
             "weights; you can backpropagate without SGD and run SGD with gradients from elsewhere.",
             notes_said="note 001: backpropagation is in essence stochastic gradient descent"),
    Question("For a weight w on the connection from value a into the sum z (z = … + w·a + …), what is ∂z/∂w?",
             ("w", "1", "z", "a, the input on that connection"), 3,
             "z depends on w only through the term w·a, so ∂z/∂w = a. That is why the forward pass values are "
             "kept: they are half of every weight's gradient."),
    Question("Every weight starts at 0. What happens during training?",
             ("The hidden units get identical gradients and stay identical, so the layer acts like a single unit",
              "Nothing different: initial values do not matter", "Training is faster", "The loss becomes negative"), 0,
             "With equal starting weights the hidden units compute the same thing and receive the same update "
             "forever. In the demo the all-zero network never solves XOR; random starts do, but not every seed.",
             notes_said="note 004: the initial weights do not affect the training result"),
    Question("The total loss L(θ) is the sum of the per-example losses Cⁿ over…",
             ("every parameter", "every training example n", "every layer", "every epoch"), 1,
             "L(θ) = Σₙ Cⁿ(θ) over the training examples, so ∂L/∂w = Σₙ ∂Cⁿ/∂w: backpropagate each example "
             "(or a batch) and add up the gradients.",
             notes_said="note 002: the Cⁿ of every parameter are summed"),
]

BACKPROP_CORRECTIONS = [
    Correction("note 001", "Error backpropagation is in essence stochastic gradient descent (本质是随机梯度下降法).",
               "Backpropagation computes gradients (reverse-mode automatic differentiation, the chain rule from the "
               "output back). Stochastic gradient descent is an optimiser that uses them. They are separate steps."),
    Correction("note 001", "Rumelhart, Hinton & Williams, 'Learning internal representations by back-propagating "
               "errors', Nature 323(99): 533-536, 1986.",
               "The Nature paper is 'Learning representations by back-propagating errors', Nature 323 (6088): "
               "533-536, 1986. 'Learning internal representations by error propagation' is the authors' chapter "
               "in the book Parallel Distributed Processing."),
    Correction("note 002", "Summing the Cⁿ of every parameter gives L(θ).",
               "Cⁿ is the loss on training example n; L(θ) sums it over the examples, not over parameters."),
    Correction("note 004",
               "The initial values of the weights do not affect the training result (权值的初始值, 不影响训练结果).",
               "They do. All-equal weights keep hidden units identical forever (the demo's all-zero network is stuck "
               "at loss 0.25 on XOR), and different random starts end in different minima (some seeds fail). "
               "That is why Keras uses random Glorot initialisation and why results are reported over several seeds."),
    Correction("note 003", "When the result is wrong, some neurons are made duller and others more sensitive.",
               "Training changes weights and biases, every one in proportion to its gradient, and it does so for "
               "correct but unconfident answers too: any example with non-zero loss contributes.",
               kind=NOTE_PARTLY),
]

WHY_DEEP_QUESTIONS = [
    Question("To compare a deep and a shallow network fairly, what should be about the same?",
             ("The number of parameters", "The number of layers", "The learning rate only", "The number of outputs"), 0,
             "Otherwise the bigger network may win just by being bigger. The notes make this point correctly."),
    Question("A ReLU network two units wide and d layers deep can compute a sawtooth with how many straight pieces?",
             ("d", "2d", "d²", "2^d"), 3,
             "Each layer folds the interval in two (the tent map), doubling the pieces. One hidden layer needs one "
             "unit per kink, 2^d − 1 units, for the same curve."),
    Question("The universal approximation theorem: for any continuous function on a bounded, closed region and "
             "any tolerance ε > 0, some network with one hidden layer of non-polynomial activations stays within "
             "ε of the function everywhere on the region. What does it NOT tell you?",
             ("That such a network exists however small ε is",
              "How many hidden units that takes, or whether training will find those weights",
              "That it covers continuous functions on a bounded, closed region",
              "That the activation must not be a polynomial"), 1,
             "The other three are in the statement. It is an existence result: the number of units can be "
             "astronomically large (the sawtooth table), and it says nothing about gradient descent finding them."),
    Question("How many parameters has a network 2 inputs → Dense(100) → Dense(1)?", ("201", "300", "401", "10,100"), 2,
             "(2 + 1)·100 weights and biases into the hidden layer, (100 + 1)·1 into the output: 300 + 101 = 401."),
    Question("What does 'modularity' mean in the why-deep argument?",
             ("Each layer is trained separately", "The network is split across machines",
              "Early layers learn simple features that later layers re-use, so later units need fewer parameters "
              "and less data", "Every layer has the same width"), 2,
             "A feature detected once (an edge, a stroke) is shared by everything built on it, instead of each "
             "output unit learning it again from scratch."),
]

WHY_DEEP_CORRECTIONS = [
    Correction("note 000",
               "As long as the hidden layer has enough neurons, one hidden layer can fit any continuous function.",
               "It can approximate (not fit exactly) any continuous function on a bounded, closed input region, to "
               "any accuracy, with a non-polynomial activation, given enough units. 'Enough' can mean exponentially "
               "many (the sawtooth table), and the theorem says nothing about whether training finds the weights.",
               kind=NOTE_PARTLY),
    Correction("note 000", "Any function can be fitted with ReLUs (任意函数都能使用Relu函数去拟合).",
               "Any continuous function on a bounded region, approximately. Far outside its training range a ReLU "
               "network is linear, so it cannot follow sin(x) over the whole real line.", kind=NOTE_PARTLY),
    Correction("note 000", "Depth only makes the model learn better and faster (deep 只是让模型更好更快的学习出).",
               "Depth changes what a given number of parameters can represent: 2^d pieces from about 6d parameters "
               "instead of 3·2^d. It does not make training faster; very deep plain networks are harder to train."),
    Correction("note 002", "'Fat' means the network has more features.",
               "'Fat' (wide) means more neurons per layer; 'deep' means more layers."),
]

OVERFITTING_QUESTIONS = [
    Question("Training loss keeps falling while validation loss has been rising since epoch 60. This is…",
             ("Underfitting", "A learning rate that is too small", "Normal convergence", "Overfitting"), 3,
             "The model keeps improving on the examples it sees while getting worse on new ones: it is "
             "memorising noise. Early stopping would keep the weights from about epoch 60."),
    Question("What does Dropout(0.5) do?",
             ("During training, zeroes each unit's output with probability 0.5 and doubles the rest; at prediction "
              "time nothing is dropped", "Removes half the layers for good", "Halves the learning rate",
              "Drops half the training examples"), 0,
             "Keras scales the surviving outputs by 1 / (1 − rate) so their expected value is unchanged, which is "
             "why the layer does nothing at prediction time."),
    Question("EarlyStopping(monitor='val_loss', patience=10, restore_best_weights=True) …",
             ("stops after 10 epochs", "stops when training loss reaches 10",
              "stops once validation loss has not improved for 10 epochs in a row and puts back the weights of the "
              "best epoch", "runs 10 more epochs after the end"), 2,
             "Patience is how many epochs without improvement it tolerates; a noisy validation curve needs more."),
    Question("Does adding hidden layers cause overfitting?",
             ("Yes, depth is the cause of overfitting",
              "Not by itself: too much capacity for too little data does; very deep plain networks often do worse "
              "on the training data too, which is an optimisation problem, not overfitting",
              "Never", "Only with ReLU"), 1,
             "Overfitting is low training error with high validation error. He et al. (2016) showed a 56-layer plain "
             "network with higher training error than a 20-layer one: worse fitting, not overfitting.",
             notes_said="note 002: a network that is too deep overfits"),
    Question("A polynomial of degree 14 is fitted by least squares to 15 noisy points. Its training error is…",
             ("about zero", "large", "the same as its validation error", "negative"), 0,
             "Fifteen coefficients pass exactly through fifteen points, noise included; the validation error is "
             "huge. The polynomial demo shows the U-shaped validation curve."),
]

OVERFITTING_CORRECTIONS = [
    Correction("note 002", "Hidden layers cannot be too many: once a network is too deep it easily overfits.",
               "Oversimplified. Overfitting comes from capacity that is large for the amount of data, whatever the "
               "shape. A very deep plain network often has a higher training error as well (He et al., 2016, "
               "'Deep residual learning'), which is an optimisation problem; residual connections fix that one.",
               kind=NOTE_PARTLY),
]

TF1_QUESTIONS = [
    Question("What is wrong with the notes' last line, A = tf.sigmoid(Z)?",
             ("Nothing", "tf.sigmoid does not exist", "A must be called Y",
              "Z is never defined: it should be Z = XW + B, and B is otherwise never used"), 3,
             "The code computes XW and creates B but never adds them; running it raises NameError: name 'Z' is "
             "not defined. The repaired TF1 version on this page adds Z = XW + B."),
    Question("In Keras 3, what takes the place of tf.placeholder?",
             ("keras.Input(shape=…), or simply passing NumPy arrays to the model", "tf.Session",
              "tf.Variable", "Nothing can"), 0,
             "TF 2 runs eagerly, so there is no graph to feed: keras.Input describes the input shape for the "
             "functional API, and fit/predict/calls take arrays directly."),
    Question("What shape is the weight matrix of Dense(units) applied to inputs with d features?",
             ("(units, d)", "(d, units)", "(d,)", "(units,)"), 1,
             "Keras stores the kernel as (inputs, units), like the notes' W of shape [features_num, "
             "hidden_layer_nodes_num], so outputs = inputs @ kernel + bias."),
    Question("How does keras.layers.Dense initialise its weights and biases by default?",
             ("Standard normal weights and biases of one, like the notes", "All zeros",
              "Glorot-uniform weights and zero biases", "All ones"), 2,
             "Glorot scaling keeps pre-activations in a sensible range; standard-normal weights over many inputs "
             "saturate sigmoids, and all-equal weights would keep units identical (lesson 5)."),
]

TF1_CORRECTIONS = [
    Correction("note 001", "A = tf.sigmoid(Z) after XW = tf.matmul(X, W).",
               "Z is never defined and B is never used: the line missing is Z = XW + B (or tf.add(XW, B))."),
    Correction("note 001", "tf.placeholder, tf.random_normal and sessions build the network.",
               "That is the TensorFlow 1 API. TF 2 removed them from the main namespace (tf.compat.v1.placeholder, "
               "tf.random.normal); Keras 3 uses keras.Input and layers.Dense and runs eagerly.", kind=NOTE_PARTLY),
    Correction("note 001", "W starts from tf.random_normal (standard deviation 1) and B from tf.ones.",
               "Legal, but a poor default: with many inputs, standard-deviation-1 weights give large sums that "
               "saturate a sigmoid. Keras defaults to Glorot-uniform weights and zero biases.", kind=NOTE_PARTLY),
]
