"""Quiz questions and the course notes checked, for lessons 14-19 (word embeddings, autoencoders,
GANs, graph convolution, the comparison of networks, limits). Traffic numbers come from the
benchmark the repo ships (bench/results); tests/test_lessons_text.py checks every quoted number."""

from __future__ import annotations

from lessons import comparison as cmp
from lessons.quiz import NOTE_PARTLY, NOTE_RIGHT, Correction, Question

TRAFFIC = cmp.benchmark_scores("traffic")  # {arch: MAE 15 minutes ahead}; {} if the benchmark was not run


def _mae(arch: str) -> str:
    return f"{TRAFFIC[arch]:.2f}" if arch in TRAFFIC else "(not measured)"


# ---- lesson 14: word embeddings ------------------------------------------------------------------

EMBEDDING_QUESTIONS = [
    Question("Why do *good* and *great* end up with similar vectors?",
             ("They are spelled alike", "They appear in similar contexts",
              "The sentiment labels tell the model they are both positive"), 1,
             "Both methods only see which words occur near which; no labels and no spelling are used."),
    Question("What does PPMI do to the raw co-occurrence counts?",
             ("Keeps only the pairs that occur more often than chance, weighted by log of the ratio",
              "Divides every count by the number of reviews", "Sorts the words alphabetically"), 0,
             "PMI = log P(w, c) / (P(w) P(c)); pairs seen less often than chance get 0 in PPMI."),
    Question("In GloVe, what does the inner product of two word vectors (plus two biases) approximate?",
             ("Their co-occurrence count", "The logarithm of their co-occurrence count",
              "The number of letters they share"), 1,
             "GloVe fits w_i · w_j + b_i + b_j ≈ log X_ij; the biases absorb each word's frequency, so "
             "the inner product tracks PMI. The table above measures which one your vectors follow."),
    Question("Skip-gram and CBOW differ in…",
             ("what is predicted: the context from the centre word, or the centre word from the context",
              "whether they need labelled reviews", "skip-gram is count-based, CBOW prediction-based"), 0,
             "Both are prediction-based and unsupervised: the text is its own target."),
]

EMBEDDING_CORRECTIONS = [
    Correction("Note 000", "The inner product of two word vectors should be proportional to how often the "
               "two words appear in the same article (两个词汇的词向量做内积应该和两个词汇在一篇相同的文章里面"
               "出现的次数成正比).",
               "Not to the raw count: GloVe fits w_i · w_j + b_i + b_j to the *logarithm* of the count, "
               "within a window of a few words rather than a whole article. The biases absorb how frequent "
               "each word is, so the inner product follows PMI, how surprising the pair is; skip-gram with "
               "negative sampling implicitly factorises a shifted PMI matrix (Levy and Goldberg, 2014). "
               "The table above measures which of the three your vectors follow."),
    Correction("Note 000", "Why word embedding does not need deep learning: (1) a shallow network "
               "trains very fast and works well; (2) word embedding is really a hyperparameter of "
               "other deep learning, and training hyperparameters may not need deep learning.",
               "The first reason is right: word2vec is one linear layer, so it can train on billions "
               "of words. The second is garbled: an embedding is a learned parameter (the weights "
               "of the first layer), not a hyperparameter; only its size is a hyperparameter. "
               "Pre-trained embeddings are often used to initialise other networks' first layer.",
               kind=NOTE_PARTLY),
]

# ---- lesson 15: autoencoders ---------------------------------------------------------------------

AUTOENCODER_QUESTIONS = [
    Question("What is the training target of a denoising autoencoder?",
             ("The noisy image", "The clean image", "The digit's label"), 1,
             "It sees the noisy image and must output the clean one, so it cannot simply copy its input."),
    Question("Why is an autoencoder called unsupervised?",
             ("It uses no loss function", "Its target is its own input, so no labels are needed",
              "It is trained without gradient descent"), 1,
             "It is trained with an ordinary loss and backpropagation; only the labels are missing."),
    Question("What limits how well a 2-number code can rebuild a digit?",
             ("The bottleneck: everything must pass through two numbers",
              "The decoder has too many layers", "Nothing: any code size reconstructs perfectly"), 0,
             "Try code size 16: the reconstructions get sharper and the pixel error drops."),
    Question("Can you feed random codes to a plain autoencoder's decoder to make new digits?",
             ("Yes, that is what a GAN is", "Not reliably: nothing made the codes follow a distribution "
              "you can sample from", "Yes, if the noise level was high"), 1,
             "A random code may land where no training code ever was, and the decoder never learned what "
             "to draw there; compare the random decodes with the reconstructions in your run. VAEs and "
             "GANs are built to sample from."),
]

AUTOENCODER_CORRECTIONS = [
    Correction("Note 003", "The second half of an autoencoder can be used as a decoder, and this can act "
               "as a generator (GAN), e.g. imitating and generating handwritten digits "
               "(自编码器的后半部分可以用作解码器,这可以作为一种生成器(GAN)).",
               "A plain autoencoder's decoder is not a GAN and is not built to generate from random codes "
               "(compare its random decodes above with its reconstructions), because nothing shapes the "
               "code distribution. A variational autoencoder (Kingma and Welling, 2014) makes its decoder a "
               "generator by pushing the codes towards a standard normal; a GAN trains a generator against "
               "a discriminator, with no encoder at all."),
]

# ---- lesson 16: GANs -------------------------------------------------------------------------------

GAN_QUESTIONS = [
    Question("What does the generator receive as input?",
             ("Real images", "Random noise", "The discriminator's labels"), 1,
             "It maps noise to samples; it only learns about the real data through the discriminator's "
             "gradient."),
    Question("If training reached the ideal equilibrium, what would the discriminator output?",
             ("1 for real and 0 for fake", "1/2 for every sample", "0 for every sample"), 1,
             "When fakes and real data have the same distribution D cannot do better than guessing; its "
             "loss is then 2 ln 2 ≈ 1.386, the dashed line above."),
    Question("The generator puts all its points on 2 of the 8 ring modes. What is this called?",
             ("Overfitting", "Mode collapse", "Vanishing gradient"), 1,
             "A classic GAN failure: the fakes are realistic (small fake-to-real distance) but the data "
             "is not covered (large real-to-fake distance, few modes covered)."),
    Question("Why is the generator trained to maximise log D(G(z)) rather than minimise log(1 - D(G(z)))?",
             ("It is the same thing", "Early on D rejects fakes easily and log(1 - D) has almost no gradient",
              "To make the discriminator learn faster"), 1,
             "This is the 'non-saturating' loss of the original GAN paper; it has the same fixed point but "
             "strong gradients when the generator is still bad."),
]

GAN_CORRECTIONS = [
    Correction("Note 003", "The decoder half of an autoencoder can serve as a generator (GAN).",
               "A GAN is a generator trained against a discriminator; it has no encoder. A plain "
               "autoencoder's decoder is not built to generate from random codes (lesson 15 shows it)."),
    Correction("Note 003", "The discriminator evaluates the generated result and passes the evaluation "
               "to the generator, which adjusts to produce better results (Disciminator负责评价生成的结果,"
               "然后将评价结果传给Generator).",
               "Right. Precisely, what the generator receives is the *gradient* of the discriminator's "
               "output with respect to its samples (backpropagation through D), not a score. The two are "
               "updated in alternation, one step for D, then one for G, each with its own loss.",
               kind=NOTE_RIGHT),
]

# ---- lesson 17: graph convolution ------------------------------------------------------------------

FINDINGS = cmp.traffic_findings(TRAFFIC)

GCN_QUESTIONS = [
    Question("After 3 graph-convolution layers, which sensors can influence a sensor's output?",
             ("Only its direct neighbours", "Sensors up to 3 hops away", "Every sensor in the graph"), 1,
             "Each layer aggregates one hop; the map above shows the field growing with the layers."),
    Question("Why is I added to A in Â = D^-½ (A + I) D^-½?",
             ("So that each node keeps its own features", "To make A invertible", "To remove self-loops"), 0,
             "Without a self-loop a node's new features would come only from its neighbours. (The road-graph "
             "file already has self-loops, so here each sensor's own weight in A + I is 2.)"),
    Question("A DNN gets the 207 sensors' speeds as one flat vector. What does it lose?",
             ("The speeds", "Which sensors are neighbours on the road", "Nothing"), 1,
             "Any order of the 207 inputs is the same to a fully connected layer; the road graph is gone."),
    Question("The app's GCN gets each sensor's last 12 speeds as its features and mixes them with its road "
             "neighbours'. What does it lack that the GCN + GRU has?",
             ("Any view of the past: it only sees the current step",
              "A path of its own for each sensor's reading: at every layer it is averaged in with the "
              "neighbours'", "The road graph", "Parameters: it is the smallest model"), 1,
             "It does see the past (12 steps, all at once) and it has the most weights of the traffic models. "
             + FINDINGS.get("gcn", "") + " GCN + GRU gives each sensor's own state its own weights."),
]

GCN_CORRECTIONS = [
    Correction("Note 000", "GCN learns node features and structure end to end and is currently the best "
               "choice for learning on graph data (是目前对图数据学习任务的最佳选择).",
               "It is a strong, simple baseline, not the best choice everywhere: attention (GAT), sampling "
               "(GraphSAGE) and graph-transformer models often beat it. On traffic the app's own benchmark "
               f"puts a GCN alone behind simply repeating the last reading (MAE {_mae('gcn')} against "
               f"{_mae('persistence')} mph, 15 minutes ahead)."),
    Correction("Note 000", "On node classification and link prediction it is far better than other "
               "methods on all public datasets.",
               "An overclaim. Kipf and Welling (2017) showed clear gains on a few citation datasets; later "
               "benchmarks (Shchur et al., 2018) found rankings change with the data split, and tuned "
               "simple baselines are often close."),
    Correction("Note 000", "GCN is transductive: every node must take part in training to get its "
               "embedding, so new nodes cannot be embedded quickly.",
               "True of the original spectral GCN on a fixed graph. Inductive variants such as GraphSAGE "
               "(Hamilton et al., 2017) learn aggregation functions that embed unseen nodes and graphs; and "
               "a GCN layer's weights W do not depend on the number of nodes.", kind=NOTE_PARTLY),
    Correction("Note 000", "Graph convolution applies to nodes and graphs of any topology "
               "(图卷积适用性极广,适用于任意拓扑结构的节点与图).",
               "It *runs* on any graph: W does not depend on the number of nodes or neighbours. It does not "
               "*suit* every graph. Averaging with neighbours assumes linked nodes are alike; where they "
               "differ (heterophily) a plain GCN can do worse than ignoring the edges. Many layers smooth "
               "every node towards the same vector. The symmetric Â treats edges as undirected. And on the "
               "road graph the averaging blurs each sensor's own reading, which is why the GCN alone loses "
               "to persistence above.", kind=NOTE_PARTLY),
]

# ---- lesson 18: the comparison -------------------------------------------------------------------

COMPARISON_QUESTIONS = [
    Question("Which network would you pick first for 28x28 images of digits?",
             ("DNN", "CNN", "GCN"), 1,
             "Images are grids with local patterns: shared kernels need few weights and the same detector "
             "works everywhere. Compare the measured MNIST accuracies above."),
    Question("Does an LSTM solve the vanishing-gradient problem?",
             ("Yes, completely", "It eases it: the additive cell state lets gradients survive many steps, "
              "but a closing forget gate still shrinks them", "No, it makes it worse"), 1,
             "The cell state path is additive, so gradients decay only as fast as the forget gate "
             "closes; exploding gradients still need clipping."),
    Question("Why does a deep plain network train badly, according to current understanding?",
             ("Mostly bad local minima", "Mostly saddle points, plateaus and vanishing gradients; good "
              "initialisation, ReLU, normalisation and residual connections fix much of it",
              "Deeper networks always generalise worse"), 1,
             "In high dimensions most critical points with high loss are saddle points (Dauphin et al., 2014); "
             "residual networks train hundreds of layers."),
    Question("On the app's traffic benchmark a per-sensor DNN, which sees each sensor's 12 past readings at "
             "once, beats the LSTM, which reads them in order. Which explanation fits?",
             ("Recurrence never helps on time series",
              "Twelve steps are short: a dense layer sees them all at once, and the recurrence mostly makes "
              "the optimisation harder", "The DNN also sees the road graph"), 1,
             FINDINGS.get("lstm", "") + " Over hundreds of steps a fixed window is no longer enough, and "
             "gated recurrent networks earn their keep (the IMDB reviews)."),
]

COMPARISON_CORRECTIONS = [
    Correction("Note 000", "DNN: as the network gets deeper the optimisation falls into local optima "
               "more easily, further from the global optimum; with limited data it can do worse than a "
               "shallow network.",
               "More nuanced: in high-dimensional networks most bad critical points are saddle points, not "
               "local minima, and the local minima found are usually about as good as each other (Dauphin "
               "et al., 2014; Choromanska et al., 2015). Deep plain networks are hard to train because of "
               "vanishing gradients and poor conditioning; ReLU, good initialisation, batch normalisation "
               "and residual connections let 100+ layers train well.", kind=NOTE_PARTLY),
    Correction("Note 000", "LSTM was developed to solve the vanishing gradient in time, and the gates "
               "prevent it.",
               "It eases it: the additive cell state carries gradients across many steps while the forget "
               "gate stays open, but they still shrink when it closes. It does not prevent exploding "
               "gradients, which need gradient clipping.", kind=NOTE_PARTLY),
    Correction("Note 000", "CNN weakness: deep models easily suffer vanishing gradients.",
               "That is a weakness of any deep network, not of CNNs; CNNs' real limits are the need for "
               "grid data and local receptive fields (see the table)."),
    Correction("Note 000", "RNN: the first-choice network for time-series data.",
               "Plain RNNs forget after a few dozen steps; gated RNNs (LSTM, GRU), temporal CNNs and "
               "Transformers are used for long sequences. On short windows a plain dense network can be "
               f"best: on traffic the per-sensor DNN ({_mae('dnn')}) beats the LSTM ({_mae('lstm')}).",
               kind=NOTE_PARTLY),
    Correction("Note 000", "DNNs and CNNs cannot model changes over a time series (无法对时间序列上的变化"
               "进行建模), which is why RNNs appeared.",
               "Give them a window of past steps and they do. The app's traffic `dnn` reads each sensor's "
               f"last 12 readings and beats repeating the last reading (MAE {_mae('dnn')} against "
               f"{_mae('persistence')} mph), and the temporal `cnn`, sliding along time, does as well "
               f"({_mae('cnn')}); convolutions over time (WaveNet, temporal convolutional networks) are "
               "standard sequence models. What they lack is a state carried from step to step: they see a "
               "fixed window, while an RNN can in principle use the whole past."),
]

# ---- lesson 19: limits -----------------------------------------------------------------------------

LIMITS_QUESTIONS = [
    Question("FGSM changes each pixel by exactly ε, in the direction of the sign of the loss gradient. Why the sign?",
             ("It is cheaper to store", "Under a budget of at most ε per pixel, it raises the (linearised) "
              "loss the most", "The gradient is always ±1"), 1,
             "Maximising g · δ subject to |δᵢ| ≤ ε gives δ = ε · sign(g)."),
    Question("Random ±ε noise of the same size as the adversarial perturbation usually…",
             ("flips the class as well", "leaves the prediction unchanged"), 1,
             "The attack works because of its direction; the demo applies random signs of the same ε."),
    Question("A digit classifier is trained on digits 0–4, then only on 5–9. What typically happens to its "
             "accuracy on 0–4?", ("It stays the same", "It collapses", "It improves"), 1,
             "Catastrophic forgetting: the second training overwrites the weights the first one set."),
    Question("'Deep networks have no transferability.' True?", ("True", "False"), 1,
             "Pre-trained features fine-tuned on a related task are standard practice; transfer fails "
             "mainly when the new data differ a lot from the old."),
]

LIMITS_CORRECTIONS = [
    Correction("Note 000", "Deep networks have no transferability (没有可迁移性).",
               "They transfer well between related tasks (fine-tuning pre-trained networks is standard); "
               "they degrade when the data distribution shifts."),
    Correction("Note 000", "Deep models have no interpretability.",
               "They are hard to interpret, but not opaque: saliency, occlusion and activation "
               "maximisation (lesson 10) give partial, local explanations."),
    Correction("Note 000", "Linear models are interpretable: a large w means the feature matters a lot.",
               "Only if the features have comparable scales (a weight per metre vs per kilometre differs "
               "1000×) and are not strongly correlated.", kind=NOTE_PARTLY),
    Correction("Note 000", "Finer partitions into cells make networks easy to attack.",
               "One intuition. The standard explanation (Goodfellow et al., 2015) is near-linear behaviour "
               "in many dimensions; even a purely linear classifier has adversarial examples.",
               kind=NOTE_PARTLY),
    Correction("Note 003", "To reuse a network's feature extraction in transfer learning, remove its **input** "
               "layer and join the rest to another network (可以去掉它的输入层,与别的神经网络拼接到一起); "
               "likewise 'remove the input layer and use the hidden layer as the output' to see the "
               "representative features (去掉输入层,将隐含层作为输出层).",
               "It is the **output** layer that is removed: it is specific to the old task (its units are "
               "the old classes). The input and hidden layers compute the features worth reusing, and "
               "without the input layer the network could not read any data at all. Keep them (frozen, or "
               "fine-tuned with a small learning rate), put a new output layer for the new task on top: "
               "the note's own example, an image recogniser reused to predict an object's price, does "
               "exactly that."),
]
