"""IMDB sentiment classifiers and the text vectorizer they read from.

A `TextVectorization` layer, adapted on the training reviews only, turns each review into
token ids; `KeepLast` keeps its last `sequence_length` tokens, padded on the left, so the
recurrent models end on the review's last words (where the verdict usually is) and never
read long runs of padding last. The builders take those token ids; `with_vectorizer`
puts the vectorizer in front of a trained model so it reads raw text.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

import keras
import numpy as np
from keras import layers, ops

from models.checks import check_positive, check_rate

CHUNK = 1024
_vectorized: OrderedDict[tuple, object] = OrderedDict()  # adapted vectorizers and token id arrays
_vectorized_lock = threading.Lock()
MAX_CACHED = 4  # vocabularies, and token ids (~45k x sequence_length int32 each)


@keras.saving.register_keras_serializable(package="dllab")
class KeepLast(layers.Layer):
    """(batch, width) right-padded token ids -> (batch, length): the last `length` real tokens,
    left-padded with zeros."""

    def __init__(self, length: int, **kwargs):
        super().__init__(**kwargs)
        check_positive(length=length)
        self.length = length

    def call(self, tokens):
        tokens = ops.cast(tokens, "int32")
        counts = ops.sum(ops.cast(ops.not_equal(tokens, 0), "int32"), axis=1, keepdims=True)  # (batch, 1)
        positions = counts - self.length + ops.arange(self.length, dtype="int32")[None, :]  # (batch, length)
        gathered = ops.take_along_axis(tokens, ops.maximum(positions, 0), axis=1)  # (batch, length)
        return ops.where(positions >= 0, gathered, ops.zeros_like(gathered))

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.length)

    def get_config(self):
        return {**super().get_config(), "length": self.length}


def fingerprint(texts: list[str]) -> str:
    digest = hashlib.sha1(str(len(texts)).encode())
    for text in texts:
        digest.update(text.encode("utf-8", errors="replace"))
        digest.update(b"\0")
    return digest.hexdigest()


def adapt_vectorizer(texts: list[str], max_tokens: int, ngrams: int) -> layers.TextVectorization:
    check_positive(max_tokens=max_tokens, ngrams=ngrams)
    if max_tokens < 3:
        raise ValueError(f"max_tokens must be at least 3 (padding, unknown and one word), got {max_tokens}")
    vectorizer = layers.TextVectorization(max_tokens=max_tokens, output_mode="int",
                                          ngrams=ngrams if ngrams > 1 else None, name="vectorizer")
    vectorizer.adapt(np.asarray(texts, dtype=object), batch_size=CHUNK)
    return vectorizer


def to_token_ids(vectorizer: layers.TextVectorization, texts: list[str], sequence_length: int) -> np.ndarray:
    keep_last = KeepLast(sequence_length)
    chunks = [np.zeros((0, sequence_length), dtype=np.int32)]
    for start in range(0, len(texts), CHUNK):
        tokens = vectorizer(np.asarray(texts[start:start + CHUNK], dtype=object))  # (chunk, longest)
        chunks.append(np.asarray(keep_last(tokens), dtype=np.int32))  # (chunk, sequence_length)
    return np.concatenate(chunks)


def vectorize(train_texts: list[str], other_texts: list[list[str]], max_tokens: int,
              sequence_length: int, ngrams: int):
    """(vectorizer adapted on `train_texts`, [token ids of train_texts, *of each other list]).

    Cached per process for the same texts and settings, so pages can train several models
    in a row without adapting again (the vocabulary does not depend on `sequence_length`, so
    it is shared by models that read different lengths); the returned arrays are read-only.
    """
    check_positive(sequence_length=sequence_length)
    texts_key = (fingerprint(train_texts), *(fingerprint(texts) for texts in other_texts))
    vocabulary_key = ("vocabulary", max_tokens, ngrams, *texts_key)
    arrays_key = ("token_ids", max_tokens, ngrams, sequence_length, *texts_key)
    with _vectorized_lock:  # one adapt at a time: concurrent pages wait for the cached result
        if arrays_key in _vectorized:
            _vectorized.move_to_end(arrays_key)
            return _vectorized[arrays_key]
        if vocabulary_key in _vectorized:
            _vectorized.move_to_end(vocabulary_key)
            vectorizer = _vectorized[vocabulary_key]
        else:
            vectorizer = adapt_vectorizer(train_texts, max_tokens, ngrams)
            _vectorized[vocabulary_key] = vectorizer
        arrays = [to_token_ids(vectorizer, texts, sequence_length) for texts in [train_texts, *other_texts]]
        for array in arrays:
            array.flags.writeable = False
        _vectorized[arrays_key] = (vectorizer, arrays)
        while len(_vectorized) > MAX_CACHED:
            _vectorized.popitem(last=False)
        return vectorizer, arrays


def with_vectorizer(vectorizer: layers.TextVectorization, model: keras.Model) -> keras.Model:
    """`model` reading raw review strings: vectorizer, KeepLast, then the token model."""
    texts = keras.Input(shape=(), dtype="string", name="review")
    tokens = vectorizer(texts)  # (batch, longest review)
    sequence_length = model.inputs[0].shape[1]
    ids = KeepLast(sequence_length)(tokens)  # (batch, sequence_length)
    return keras.Model(texts, model(ids), name=f"{model.name}_text")


def token_inputs(vocabulary_size: int, sequence_length: int, embedding_dim: int, mask: bool = False):
    check_positive(vocabulary_size=vocabulary_size, sequence_length=sequence_length,
                   embedding_dim=embedding_dim)
    inputs = keras.Input(shape=(sequence_length,), dtype="int32", name="token_ids")
    embedded = layers.Embedding(vocabulary_size, embedding_dim, mask_zero=mask,
                                name="embedding")(inputs)  # (batch, sequence_length, embedding_dim)
    return inputs, embedded


def sentiment(x, dropout: float, inputs, name: str) -> keras.Model:
    x = layers.Dropout(dropout)(x)
    outputs = layers.Dense(1, activation="sigmoid", name="positive")(x)  # (batch, 1)
    return keras.Model(inputs, outputs, name=name)


def build_bag_of_embeddings(vocabulary_size: int, sequence_length: int,
                            embedding_dim: int = 32, dropout: float = 0.5) -> keras.Model:
    """Average of the word (and word-pair) vectors, then a logistic output; padding is masked."""
    check_rate(dropout=dropout)
    inputs, x = token_inputs(vocabulary_size, sequence_length, embedding_dim, mask=True)
    x = layers.GlobalAveragePooling1D()(x)  # (batch, embedding_dim)
    return sentiment(x, dropout, inputs, "imdb_bag_of_embeddings")


def _recurrent(layer, vocabulary_size, sequence_length, embedding_dim, dropout, name, pooled=True):
    """Embedding, recurrent layer, sentiment. `pooled` max-pools the recurrent outputs over
    all words (a strong word anywhere counts) instead of keeping only the final state."""
    check_rate(dropout=dropout)
    inputs, x = token_inputs(vocabulary_size, sequence_length, embedding_dim)
    x = layers.SpatialDropout1D(dropout / 2)(x)  # drops whole embedding channels: less memorising
    x = layer(x)  # pooled: (batch, sequence_length, features); else (batch, features)
    if pooled:
        x = layers.GlobalMaxPooling1D()(x)  # (batch, features)
    return sentiment(x, dropout, inputs, name)


def build_simple_rnn(vocabulary_size: int, sequence_length: int, embedding_dim: int = 64,
                     units: int = 64, dropout: float = 0.3) -> keras.Model:
    """Only the final state decides, so early words must survive the whole review: they rarely do."""
    check_positive(units=units)
    return _recurrent(layers.SimpleRNN(units), vocabulary_size, sequence_length, embedding_dim, dropout,
                      "imdb_simple_rnn", pooled=False)


def build_lstm(vocabulary_size: int, sequence_length: int, embedding_dim: int = 64,
               units: int = 64, dropout: float = 0.4) -> keras.Model:
    check_positive(units=units)
    return _recurrent(layers.LSTM(units, return_sequences=True), vocabulary_size, sequence_length,
                      embedding_dim, dropout, "imdb_lstm")


def build_gru(vocabulary_size: int, sequence_length: int, embedding_dim: int = 64,
              units: int = 64, dropout: float = 0.4) -> keras.Model:
    check_positive(units=units)
    return _recurrent(layers.GRU(units, return_sequences=True), vocabulary_size, sequence_length,
                      embedding_dim, dropout, "imdb_gru")


def build_bilstm(vocabulary_size: int, sequence_length: int, embedding_dim: int = 64,
                 units: int = 32, dropout: float = 0.4) -> keras.Model:
    check_positive(units=units)
    return _recurrent(layers.Bidirectional(layers.LSTM(units, return_sequences=True)), vocabulary_size,
                      sequence_length, embedding_dim, dropout, "imdb_bilstm")


def build_conv1d(vocabulary_size: int, sequence_length: int, embedding_dim: int = 64,
                 filters: int = 128, kernel_size: int = 5, hidden_units: int = 64,
                 dropout: float = 0.3) -> keras.Model:
    """Phrase detectors of `kernel_size` words, max-pooled over the whole review."""
    check_positive(filters=filters, kernel_size=kernel_size, hidden_units=hidden_units)
    check_rate(dropout=dropout)
    if kernel_size > sequence_length:
        raise ValueError(f"kernel_size {kernel_size} is longer than sequence_length {sequence_length}")
    inputs, x = token_inputs(vocabulary_size, sequence_length, embedding_dim)
    x = layers.Dropout(dropout)(x)
    x = layers.Conv1D(filters, kernel_size, activation="relu")(x)  # (batch, sequence_length - k + 1, filters)
    x = layers.GlobalMaxPooling1D()(x)  # (batch, filters)
    x = layers.Dense(hidden_units, activation="relu")(x)
    return sentiment(x, dropout, inputs, "imdb_conv1d")


@keras.saving.register_keras_serializable(package="dllab")
class AttentionPooling(layers.Layer):
    """(batch, steps, features) -> the weighted average (batch, features) and the weights
    (batch, steps). Each step gets a score q·tanh(x_t·W + b) (additive attention, Bahdanau et
    al. 2015, with one learned query q as in Yang et al. 2016); a softmax over the steps, with
    padding masked out, turns the scores into weights that sum to 1."""

    def __init__(self, units: int, **kwargs):
        super().__init__(**kwargs)
        check_positive(units=units)
        self.units = units
        self.supports_masking = True

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")
        self.bias = self.add_weight(shape=(self.units,), initializer="zeros", name="bias")
        self.query = self.add_weight(shape=(self.units,), name="query")

    def call(self, inputs, mask=None):
        keys = ops.tanh(ops.matmul(inputs, self.kernel) + self.bias)  # (batch, steps, units)
        scores = ops.einsum("bsu,u->bs", keys, self.query)  # (batch, steps)
        if mask is not None:
            scores = ops.where(mask, scores, ops.full_like(scores, -1e9))
        weights = ops.softmax(scores, axis=-1)  # (batch, steps), each row sums to 1
        return ops.einsum("bs,bsf->bf", weights, inputs), weights  # (batch, features), (batch, steps)

    def compute_mask(self, inputs, mask=None):
        return None

    def compute_output_shape(self, input_shape):
        return (input_shape[0], input_shape[2]), (input_shape[0], input_shape[1])

    def get_config(self):
        return {**super().get_config(), "units": self.units}


def build_attention(vocabulary_size: int, sequence_length: int, embedding_dim: int = 64,
                    attention_units: int = 64, dropout: float = 0.4) -> keras.Model:
    """Attention over the words: each word vector gets a learned score, a softmax over the review
    turns the scores into weights, and the weighted average of the word vectors decides. The
    weights (layer "attention", second output) show which words the verdict rests on."""
    check_positive(attention_units=attention_units)
    check_rate(dropout=dropout)
    inputs, x = token_inputs(vocabulary_size, sequence_length, embedding_dim, mask=True)
    x = layers.SpatialDropout1D(dropout / 2)(x)  # (batch, sequence_length, embedding_dim), mask kept
    pooled, _ = AttentionPooling(attention_units, name="attention")(x)  # (batch, embedding_dim)
    return sentiment(pooled, dropout, inputs, "imdb_attention")
