"""Quiz questions for the topics added to the lessons (issue 17): softmax, more loss functions,
supervised learning, end-to-end learning, AlphaGo's CNN, deep dream, Jordan networks, transfer
learning and attention. Numbers quoted here are recomputed by tests/test_lessons_added_math.py."""

from __future__ import annotations

from lessons import go_board, softmax
from lessons.part2_quiz_models import LIMITS_CORRECTIONS
from lessons.quiz import Question

_PROBABILITIES = softmax.with_temperature([2.0, 1.0, 0.0])

SOFTMAX_QUESTIONS = [
    Question("Logits (2, 1, 0) give softmax probabilities "
             f"({', '.join(f'{value:.2f}' for value in _PROBABILITIES)}). What do the logits (12, 11, 10) give?",
             ("The same probabilities", "Probabilities closer to (1, 0, 0)", "Probabilities closer to (⅓, ⅓, ⅓)",
              "Probabilities that no longer sum to 1"), 0,
             "Adding the same number c to every logit multiplies every e^z by e^c, which cancels in the division. "
             "Only differences between logits matter; that is also why the code may subtract the largest logit "
             "first, to keep e^z from overflowing."),
    Question("Softmax is applied to the logits divided by a temperature T = 0.1. Compared with T = 1, the "
             "probabilities are…",
             ("closer to a one-hot vector on the largest logit", "closer to uniform", "unchanged",
              "reversed in order"), 0,
             "Dividing by 0.1 multiplies every difference between logits by 10, so the largest logit takes "
             "almost everything: softmax tends to the hard max as T → 0. A large T flattens towards uniform; "
             "the order of the classes never changes."),
    Question("With a softmax output and the cross-entropy loss, the gradient of the loss with respect to the "
             "logit of class j is…",
             ("p_j − y_j (probability minus one-hot target)", "p_j (1 − p_j)", "(p_j − y_j)²", "−log p_j"), 0,
             "The loss is log Σ e^(z_k) − z_true; its derivative is p_j − y_j. It stays large while the "
             "answer is wrong: unlike a squared error after a saturated sigmoid, the gradient does not vanish."),
]

LOSS_QUESTIONS = [
    Question("Nine delivery times, one of them a two-hour outlier. Which single prediction has the smallest "
             "mean absolute error (L1)?",
             ("The mean", "The median", "The largest time", "The midpoint of the smallest and largest"), 1,
             "The median: moving the prediction past a point changes the L1 loss by one unit per point on "
             "each side, whatever the distance, so the outlier counts only as 'one point above'."),
    Question("Pinball loss with q = 0.9: the prediction is 5 minutes off. When does it cost more?",
             ("When the delivery took 5 minutes longer than predicted",
              "When the delivery took 5 minutes less than predicted", "Both cost the same"), 0,
             "Under-predicting costs q per minute (0.9 × 5 = 4.5), over-predicting 1 − q (0.1 × 5 = 0.5). "
             "The best constant is therefore the 0.9-quantile: a time you beat 9 times in 10."),
    Question("What does a contrastive loss need for each training example?",
             ("A pair of examples and whether they are the same thing", "A class label per example",
              "A number to predict", "Nothing: it is unsupervised"), 0,
             "It learns distances: same pairs are pulled together, different pairs pushed at least a margin "
             "apart. Face verification and signature checking train this way, so new people need no retraining."),
]

SUPERVISED_QUESTIONS = [
    Question("What does supervised learning need that unsupervised learning does not?",
             ("More examples", "A target (label or value) for every training example", "A neural network",
              "A test set"), 1,
             "Supervised learning fits a mapping from inputs to given targets; unsupervised learning gets the "
             "inputs alone and finds structure in them. Both are tested on held-out data."),
]

END_TO_END_QUESTIONS = [
    Question("In end-to-end learning, who decides what each hidden layer computes?",
             ("The engineer, one stage at a time", "Training: gradient descent on the final loss sets every "
              "layer's weights together", "Each layer's own loss", "Nobody: the hidden layers stay random"), 1,
             "Only the input and the desired output are given; backpropagation carries the final error to every "
             "layer, so each layer becomes whatever helps the output."),
]

ALPHAGO_QUESTIONS = [
    Question("Why does AlphaGo's policy network use no pooling?",
             ("Pooling would need too many parameters",
              "Its answer is one exact point of the board, and moving a stone by one point changes a Go "
              "position; 2×2 pooling merges four points into one cell",
              "Go boards have no local patterns", "Pooling only works on colour images"), 1,
             "Pooling has no parameters at all. It buys tolerance to small shifts, which helps find a cat "
             "anywhere in a photo; on a Go board a one-point shift is a different position with a different "
             "best move."),
    Question("AlphaGo's policy network stacks one 5×5 layer, eleven 3×3 layers and a 1×1 output layer, all with "
             "stride 1. How wide is the area one output point can see?",
             ("5 points", "13 points", f"{go_board.receptive_field()} points", "19 points"), 2,
             "Each k×k layer widens the view by k − 1: 1 + 4 + 11 × 2 + 0 = 27, more than the 19 points of the "
             "board, so every decision can depend on the whole board."),
]

DEEP_DREAM_QUESTIONS = [
    Question("How does deep dream differ from the activation maximisation above?",
             ("It starts from a real image and amplifies everything a layer already responds to",
              "It trains the network's weights", "It starts from noise and climbs one class score",
              "It needs labels"), 0,
             "Same gradient ascent on the pixels, but the objective is the whole layer's activity (the mean of "
             "its squared values) and the start is a photo, so the patterns the layer half-sees grow stronger."),
]

JORDAN_QUESTIONS = [
    Question("What lets a Jordan network be trained without backpropagation through time?",
             ("Its memory is the output, which has a target: training can feed the true previous output "
              "(teacher forcing), making every step an ordinary feed-forward example",
              "It has no recurrent weights", "It uses ReLU activations"), 0,
             "An Elman network's hidden state has no target, so its gradient must flow back through the steps."),
    Question("Which task can a Jordan network (memory = its previous output) not learn, however long it trains?",
             ("Output the parity of all bits so far", "Output the bit read two steps earlier",
              "Output the current bit"), 1,
             "Parity so far is its own output, so the output is all the memory it needs. The bit from two "
             "steps ago appears in no output until it is needed; only tricks hidden in how sure the output is "
             "can carry it."),
]

TRANSFER_QUESTIONS = [
    Question("To reuse a trained network's features for a new task, which layer do you remove first?",
             ("The input layer", "The output layer", "Every convolution", "None: retrain everything"), 1,
             "The output layer answers the old question (which of 0–4); the layers below it compute features. A "
             "new output layer is trained on top for the new question.",
             notes_said="note 003: remove the input layer"),
    Question("Why can features learned on digits 0–4 help to recognise 5–9?",
             ("Because 5–9 were secretly in the training data",
              "Because strokes, curves and loops are shared by all digits, and the lower layers detect those",
              "Because any random network works as well"), 1,
             "Lower layers learn general parts; the layer just below the output is the most specialised to the "
             "old classes, which is why the cut point matters."),
]

ATTENTION_QUESTIONS = [
    Question("The attention weights of one review…",
             ("sum to 1 over its words", "are all equal", "are the same for every review",
              "are learned separately for each review"), 0,
             "They are a softmax over the review's words. A word's score is learned once; its weight depends on "
             "which other words compete with it in this review."),
    Question("A word has a large attention weight. Does that mean it made the review positive?",
             ("Yes, always", "No: the weight says how much the word counts, its own polarity says which way",
              "Only if it is an adjective"), 1,
             "Each word contributes weight × polarity to the verdict's logit: a heavily weighted 'awful' pushes "
             "towards negative."),
]

# The notes' claims about transfer are checked on lesson 19's page; lesson 20 measures them, so it
# shows the same entries (one text, two pages).
TRANSFER_CORRECTIONS = [item for item in LIMITS_CORRECTIONS if "transfer" in item.claim.lower()]
