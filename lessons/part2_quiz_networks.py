"""Quiz questions and the course notes checked, for lessons 9-13 (convolution, what a CNN learns,
recurrent networks, LSTM and GRU, vanishing and exploding gradients). Numbers quoted here are
computed by the lessons' own code; tests/test_lessons_text.py checks them against the demos."""

from __future__ import annotations

import numpy as np

from lessons import convolution as conv
from lessons import gradients as grads
from lessons import rnn
from lessons.quiz import NOTE_PARTLY, NOTE_RIGHT, Correction, Question


def _vectors(sequence: np.ndarray) -> str:
    return "  ".join(str(row.astype(int).tolist()) for row in sequence)


# ---- lesson 9: convolution and pooling ---------------------------------------------------------

NOTES_EXAMPLE = conv.parameter_comparison(6, 6, 1, 3, 2)
STRIDE_TWO = conv.feature_map(conv.X_IMAGE, conv.KERNEL_1, stride=2)
ONE_PIXEL_MOVES = conv.pooled_changes_after_moves(conv.X_IMAGE, list(conv.KERNELS.values()))
POOLED_VALUES = conv.conv_pool_flatten(conv.X_IMAGE, list(conv.KERNELS.values()))["pooled"].size

CONVOLUTION_QUESTIONS = [
    Question("A CNN is a fully connected network whose hidden layers usually include several "
             "convolutional layers.", ("True", "False"), 1,
             "A convolutional layer is *locally* connected (each output sees a small patch) and shares "
             "its weights across positions; only the classifier layers at the end are usually fully "
             "connected.", notes_said="True (note 004)"),
    Question("Pooling loses no information and does not reduce the spatial resolution.",
             ("True", "False"), 1,
             "2×2 max pooling halves height and width and keeps 1 value in 4: the shuffled map above "
             "pools to exactly the same numbers. Note 004's own slide says pooling loses a lot of "
             "information.", notes_said="True (note 004)"),
    Question("To compute one output pixel, the kernel's weights multiply the pixels it covers, the "
             "products are summed and the bias is added. True?", ("True", "False"), 0,
             "That is the whole computation (for a colour image the sum also runs over the channels). "
             "Two details in note 004's wording are loose: kernels need not be square, and with a "
             "stride above 1 or without padding the kernel does not visit every pixel."),
    Question("Kernel 1 is applied with stride 2 to the 6×6 image. How big is the feature map?",
             ("4×4", "3×3", "2×2", "6×6"), 2,
             "(6 − 3) // 2 + 1 = 2 positions per axis; its first row is "
             f"{STRIDE_TWO[0, 0]:g} and {STRIDE_TWO[0, 1]:g}, the stride-1 map's columns 0 and 2."),
    Question("How many weights does one 3×3 kernel have on an RGB image, without its bias?",
             ("9", "27", "28", "81"), 1, "3 × 3 × 3 channels = 27; with the bias, 28 parameters."),
]

CONVOLUTION_CORRECTIONS = [
    Correction("Note 004 (quiz 1)", "A CNN is a fully connected network (marked true).",
               "Convolutional layers are locally connected with shared weights; that is exactly how they "
               f"save parameters ({NOTES_EXAMPLE['conv']} instead of {NOTES_EXAMPLE['dense']:,} for note "
               "004's two kernels on the 6×6 image)."),
    Correction("Note 004 (quiz 3)", "Pooling loses no information and keeps the spatial resolution "
               "(marked true).",
               "Pooling reduces resolution and discards information by design; the note's own slide "
               "says so a page earlier."),
    Correction("Note 001", "Features have no spatial invariance until a pooling layer, and pooling makes "
               "a CNN invariant to shifts, brightness and scale.",
               "Convolution is shift-*equivariant* (the map moves with the input). Pooling is invariant "
               "only for a block whose maximum stays inside that block: on note 004's X a one-pixel move "
               f"changes {min(ONE_PIXEL_MOVES.values())} to {max(ONE_PIXEL_MOVES.values())} of the "
               f"{POOLED_VALUES} pooled values, depending on the direction. Pooling gives no invariance "
               "to scale or brightness; CNNs become robust to those mostly by learning from varied (or "
               "augmented) data."),
    Correction("Note 001", "Max pooling without overlap is clearly better than overlapping pooling.",
               "The note compares overlapping pooling with mean pooling as if they were the same thing. "
               "AlexNet (Krizhevsky et al., 2012) used overlapping 3×3 max pooling with stride 2 and "
               "reported slightly lower error than non-overlapping pooling; which works better depends "
               "on the network."),
    Correction("Notes 000 and 004", "Subsampling does not change the object (subsampling (二次抽样) 不会改变"
               "对象结果; note 004: 采样像素不会改变对象).",
               "Right about what a person sees: a bird shrunk to half size is still a bird. Not about what "
               "the network gets: 2×2 max pooling keeps 1 value in 4 and forgets where in each block it "
               f"was, and a one-pixel move of the image changes up to {max(ONE_PIXEL_MOVES.values())} of "
               f"the {POOLED_VALUES} pooled values above. Subsampling works because the features that "
               "tell the classes apart survive it, not because nothing changes.", kind=NOTE_PARTLY),
    Correction("Note 004", "Four Xs drawn differently from the template X, labelled 'underfitting' "
               "(以下四个都是X，但它们和之前那张X明显不一样。（\u201c欠拟合\u201d）).",
               "Underfitting means a model too simple to fit even its training data; it says nothing about "
               "these images. The slide's point is *variation*: the same class shifted, rotated, thinner or "
               "thicker, so matching the whole image pixel by pixel fails. The answer the slide builds up "
               "to is small shared kernels that find the parts (the three 3×3 features) wherever they are."),
    Correction("Note 004", "Pooling (downsampling) lowers the data's dimension and avoids overfitting "
               "(降低数据维度，避免过拟合).",
               "It lowers the dimension, and so the number of weights in any dense layer after it: fewer "
               "parameters, less room to overfit. It does not avoid overfitting: a pooled CNN still "
               "overfits a small training set. Dropout, weight decay, data augmentation, early stopping "
               "and more data are the tools for that (lesson 7). Max pooling itself has no parameters.",
               kind=NOTE_PARTLY),
]

# ---- lesson 10: what a CNN learns ----------------------------------------------------------------

CNN_FEATURES_QUESTIONS = [
    Question("Saliency is the gradient of the class score with respect to the pixels. A pixel with a large "
             "|gradient|…", ("is certainly what the network recognises the digit by",
                             "is where a tiny change moves the score most, at this image",
                             "is always part of the digit's stroke"), 1,
             "It is a local, first-order sensitivity: informative but noisy, and blind to pixels whose "
             "effect is saturated. Occlusion is a useful cross-check."),
    Question("In an occlusion map, where is the drop in the class probability largest?",
             ("Where the patch hides what the decision relies on", "Always at the centre of the image",
              "Where the image is darkest"), 0,
             "Each cell is the probability lost when that region is hidden."),
    Question("The image that maximises the score of class 3 does not look like a 3. What does this show?",
             ("The network has learned to generalise beyond its data",
              "The network's decision rule differs from human perception, and inputs far from any "
              "digit can get confident answers", "Training failed"), 1,
             "This is the same weakness that adversarial examples exploit."),
    Question("How many weights does one first-layer kernel of this network have?",
             ("3", "9", "27", "32"), 1, "3×3 on a one-channel (grey) image: 9, plus one bias."),
]

CNN_FEATURES_CORRECTIONS = [
    Correction("Note 000", "The class-maximising images do not look like digits, so deep learning is not "
               "just imitating data but can generalise (举一反三).",
               "It shows the opposite worry: the network's notion of a class is not ours, and images "
               "unlike any digit can be classified with high confidence. With a regulariser (the lecture "
               "adds a penalty on ink) the images become more digit-like."),
    Correction("Note 000", "The larger the gradient's absolute value at a pixel, the more that pixel matters "
               "to the class.",
               "It measures how sensitive the score is to a tiny change of that pixel, at this image. "
               "Saturated pixels can matter a lot with a small gradient; raw gradients are noisy. Use "
               "it together with occlusion.", kind=NOTE_PARTLY),
]

# ---- lesson 11: recurrent networks ---------------------------------------------------------------

RNN_QUESTIONS = [
    Question("In the notes' all-ones linear RNN, inputs [1,1], [1,1], [2,2] give [4,4], [12,12], "
             "[32,32]. What happens if the same three inputs arrive as [2,2], [1,1], [1,1]?",
             ("The same outputs in reverse order", "The same set of outputs", "Different outputs"), 2,
             "The memory carries earlier inputs forward, so order matters: the table above gives "
             f"{_vectors(rnn.elman(rnn.NOTES_INPUTS[::-1], rnn.all_ones()).outputs)}."),
    Question("What does an Elman network store in its memory?",
             ("The network's output", "The hidden layer's values", "The previous input"), 1,
             "Storing the output is the Jordan network."),
    Question("A feed-forward tagger reads one word at a time. Can it tag 'Taipei' as destination in "
             "'arrive Taipei …' and as departure in 'leave Taipei …'?",
             ("Yes, with enough training", "No: it sees the same input in both sentences"), 1,
             "Same input, same output: at best it is right on one of the two sentences. The trained "
             "demo above shows it."),
    Question("Why add an \"other\" dimension to a 1-of-N encoding?",
             ("To encode words that are not in the vocabulary", "To mark the end of a sentence",
              "To make the vectors normalised"), 0,
             "Without it an unknown word has no vector. Word hashing is the alternative that gives "
             "unknown words distinct vectors."),
    Question("When is a bidirectional RNN not an option?",
             ("Tagging words in a written sentence", "Forecasting the next value of a live stream",
              "Classifying a whole review"), 1,
             "Its backward half needs the inputs that come later, which a live forecast does not have."),
]

RNN_CORRECTIONS = [
    Correction("Note 004", "The biggest difference from a classic network is that the previous "
               "*output* is carried into the next step's hidden layer.",
               "In the usual (Elman) RNN it is the previous *hidden state* that is carried over; "
               "feeding back the output is the Jordan network, as note 000 says."),
    Correction("Note 004", "In 1-of-N encoding the vector has the size of the vocabulary.",
               'With the "other" dimension for unknown words (on the same slide) it has one more.',
               kind=NOTE_PARTLY),
    Correction("Note 004", "The RNN absorbed the hidden Markov model's idea of a limited sequence "
               "dependence (其吸收了HMM模型的有限序列关联的思想).",
               "What the two share is a hidden state updated step by step, through which the past reaches "
               "the present. But RNNs did not grow out of HMMs (Jordan's 1986 and Elman's 1990 networks "
               "came from connectionist models of sequences), and the dependence is not limited: an "
               "HMM's state is one of a fixed set of discrete symbols, drawn at random by transition "
               "probabilities, so it can carry only that much of the past; an RNN's state is a vector of "
               "real numbers computed from every earlier input. In practice vanishing gradients, not the "
               "model, limit how far back a plain RNN learns (lesson 13)."),
]

# ---- lesson 12: LSTM and GRU ---------------------------------------------------------------------

LSTM_QUESTIONS = [
    Question("The forget gate of an LSTM is open (f ≈ 1). What happens to the memory?",
             ("It is erased", "It is kept", "It is read out"), 1,
             "c_t = f_t c_{t−1} + …: f = 1 keeps the old value, f = 0 resets it. The name is "
             "misleading; 'keep gate' would describe the modern convention better."),
    Question("In Keras, which order do the four blocks of an LSTM's kernel follow?",
             ("i, f, c, o", "f, i, o, c", "i, c, f, o", "o, f, i, c"), 0,
             "Input gate, forget gate, candidate (cell), output gate; the tests copy weights in this order."),
    Question("How many gates does a GRU have, and how are writing and forgetting related?",
             ("Three, independent", "Two; the update gate z keeps old state and 1 − z lets new content in",
              "Two; reset and output"), 1,
             "Keeping more old state means letting in less new content, and vice versa."),
    Question("An LSTM solves both vanishing and exploding gradients.", ("True", "False"), 1,
             "Its additive cell path eases vanishing. Exploding gradients can still happen through "
             "the recurrent weights (scale 6 in the chart), so clipping is still used."),
]

LSTM_CORRECTIONS = [
    Correction("Note 000", "The forget gate, when open, does not reset the memory (打开的时候,不重置).",
               "Right for modern LSTMs (Gers et al., 2000, where the forget gate was added); worth "
               "stating because the name suggests the opposite.", kind=NOTE_RIGHT),
    Correction("Note 000", "LSTM solves vanishing gradients because the memory is never overwritten unless "
               "the forget gate closes.",
               "It *eases* vanishing gradients: the per-step factor on the cell path is f_t, so it still "
               "decays when f < 1 (try a forget bias of −2 above). And it does not stop exploding "
               "gradients (note 003 says so correctly).", kind=NOTE_PARTLY),
    Correction("Note 000", "GRU: when the input gate opens the forget gate closes, i.e. taking in all of "
               "the input empties the memory (但是可以部分呀: but it can be partial).",
               "Right, with the note's own caveat that it can be partial: a GRU has a single update gate "
               "z, and the old state gets weight z while the new content gets 1 − z.", kind=NOTE_RIGHT),
    Correction("Note 001", "Gated RNNs mainly solve the vanishing **or exploding** gradients of ordinary RNNs "
               "(门控 RNN 主要是解决一般 RNN 的梯度消失或者梯度爆炸的问题).",
               "Vanishing, yes, in the sense of easing it: the additive cell path lets the gradient cross "
               "many steps. Exploding, no: at a recurrent scale of 6 the chart above blows up for the "
               "LSTM as for the simple RNN. Gated networks are trained with gradient clipping for that; "
               "note 003 says so correctly.", kind=NOTE_PARTLY),
    Correction("Note 000", "Other variants include the 'Clockwise RNN' and SCRN.",
               "It is the **Clockwork** RNN (Koutník, Greff, Gomez and Schmidhuber, ICML 2014): the hidden "
               "units are split into modules that update at different clock rates (every 1, 2, 4, 8, … "
               "steps), so the slow modules keep information over long spans at little cost. SCRN, the "
               "structurally constrained recurrent network (Mikolov et al., 2015), is named correctly."),
]

# ---- lesson 13: vanishing and exploding gradients ------------------------------------------------

CLIPPED_EXAMPLE = grads.clip_by_norm(np.array([3.0, -4.0]), 1.0)
ONE_UNIT_FACTOR = 0.8 ** 49  # one linear unit, recurrent weight 0.8: 49 more steps from step 1 to step 50
DEMO_LINEAR = grads.rnn_sensitivity(60, gain=0.8, activation="linear")  # the lesson's 32-unit demo
DEMO_RADIUS = grads.spectral_radius(grads.rnn_weights(32, 0.8)[1])
CLIFF = grads.unclipped_cliff_run()

VANISHING_QUESTIONS = [
    Question("In a deep sigmoid network with ordinary initial weights, which layers learn slowest?",
             ("The ones next to the input", "The ones next to the output", "All alike"), 0,
             "Their gradient has passed through the most sigmoid slopes (each at most 1/4)."),
    Question("The gradient (3, −4) is clipped by norm with c = 1. What is the result?",
             ("(1, −1)", f"({CLIPPED_EXAMPLE[0]:g}, {CLIPPED_EXAMPLE[1]:g})".replace("-", "−"), "(3, −4)",
              "(0.75, −1)"), 1,
             "Its length is 5, so it is scaled by 1/5: same direction, length 1. Clipping by value "
             "would give (1, −1), which points elsewhere."),
    Question("Which clipping keeps the direction of the gradient?", ("By value", "By norm", "Both"), 1,
             "By norm rescales the whole vector; by value cuts components independently."),
    Question("A sigmoid network one unit wide, every pre-activation 0. Which weight can make gradients explode?",
             ("|w| = 3", "|w| = 5", "None: sigmoids never explode"), 1,
             f"The factor per layer is |w|/4: {grads.chain_factor(3.0):.2f} for 3, {grads.chain_factor(5.0):.2f} "
             "for 5. With wider layers the weight *matrix* counts, so smaller weights can explode too."),
    Question("A linear RNN with **one unit** has recurrent weight 0.8. Compared with the gradient that reaches "
             "the input 1 step back, about how big is the one that reaches the input 50 steps back?",
             ("0.8 × 49 ≈ 39 times bigger", f"0.8⁴⁹ ≈ {ONE_UNIT_FACTOR:.1e} times as big", "0.8 times as big"), 1,
             "One factor of 0.8 per step, 49 steps more: it shrinks geometrically. That is for one unit. The "
             f"32-unit demo above, at scale 0.8 and linear, measures {DEMO_LINEAR[49] / DEMO_LINEAR[0]:.1e} over "
             f"the same 49 steps: its random matrix, drawn at scale 0.8, has its largest eigenvalue at "
             f"{DEMO_RADIUS:.2f}, and the slowest-shrinking direction sets the long-run rate."),
]

VANISHING_CORRECTIONS = [
    Correction("Note 000", "Because sigmoid' ≤ 1/4, gradients can explode only when |w| > 4 "
               "(因为sigmoid导数最大为1/4,故只有当abs(w)>4时梯度爆炸才可能出现).",
               "True for a chain one unit wide at σ'(z) = 1/4. A layer of n units multiplies by the weight "
               "matrix, so n · |w| / 4 > 1 is enough (w = 0.5 with 10 units above). Large weights also "
               "saturate the sigmoid, so the condition holds only for a narrow band of inputs.",
               kind=NOTE_PARTLY),
    Correction("Note 003", "Each step multiplies the error by the weight W: W < 1 vanishes, W > 1 explodes.",
               "The scalar picture. With many units it is the recurrent matrix's scale (largest singular "
               "value or spectral radius) together with the activation's slopes, which only shrink.",
               kind=NOTE_PARTLY),
    Correction("Note 000", "BPTT is an upgraded backpropagation used for RNN clipping.",
               "Backpropagation through time is ordinary backpropagation on the network unrolled over "
               "the time steps. Clipping is a separate fix for the exploding gradients it can produce."),
    Correction("Note 001", "If the activation's derivative is above 1 in absolute value, after many "
               "multiplications the **weights** tend to very large numbers: gradient explosion "
               "(多次连乘后权重值会趋向于非常大的数,这称为\u201c梯度爆炸\u201d).",
               "It is the *gradient* (the error term sent backwards) that grows, one factor per layer or "
               "step. The weights become huge only afterwards, when an update uses that gradient: in the "
               "cliff demo the first unclipped step throws w from "
               f"({grads.CLIFF_START[0]:g}, {grads.CLIFF_START[1]:g}) to ({CLIFF['first step'][0]:.3g}, "
               f"{CLIFF['first step'][1]:.3g}). And no common activation has a slope above 1 (sigmoid at "
               "most 1/4, tanh and ReLU at most 1): gradients explode through large *weights* in the "
               "product, as the sigmoid chain above shows."),
    Correction("Note 003", "Fortunately exploding gradients are not a serious problem; an optimiser with "
               "clipping usually solves them (好在梯度膨胀不是个严重的问题).",
               "Clipping does fix them cheaply, which is why it is routine. Left alone they are serious: "
               f"in the cliff demo, without clipping, the loss overflows at step {CLIFF['overflow step']} "
               "and the weights end as NaN, which ends the training; a real network has to be restarted "
               "from a checkpoint. Exploding gradients are easy to notice and to fix, not harmless.",
               kind=NOTE_PARTLY),
]
