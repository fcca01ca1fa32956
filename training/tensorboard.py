"""TensorBoard event files for every run: per-epoch scalars in `<run folder>/tensorboard/`.

Open them with `tensorboard --logdir ~/.dllab/runs` (`pip install tensorboard`: TensorFlow 2.21
no longer installs it). Without the tensorboard package `tf.summary.scalar` and Keras' TensorBoard
callback raise TBNotInstalledError, so each scalar is written as TensorBoard's scalar summary
does it: `tf.summary.write` (part of TensorFlow) of a float32 tensor tagged with the "scalars"
plugin. Keras' callback would also close its files only in `on_train_end`, which a cancelled or
diverged run (stopped by an exception inside `fit`) never reaches; here the engine closes them.
"""

from __future__ import annotations

from pathlib import Path

import keras

FOLDER = "tensorboard"


class EpochScalars(keras.callbacks.Callback):
    """Loss, metrics and learning rate after every epoch, in `train/` and `validation/` subfolders
    with Keras' names (`epoch_loss`, ...), so TensorBoard overlays training and validation."""

    def __init__(self, run_folder: str | Path):
        super().__init__()
        import tensorflow as tf
        from tensorflow.core.framework import summary_pb2

        self.tf = tf
        # What tensorboard.plugins.scalar.metadata.create_summary_metadata() writes (its
        # ScalarPluginData(version=0) serialises to no bytes).
        self.metadata = summary_pb2.SummaryMetadata(
            plugin_data=summary_pb2.SummaryMetadata.PluginData(plugin_name="scalars", content=b""),
            data_class=summary_pb2.DATA_CLASS_SCALAR)
        root = Path(run_folder) / FOLDER
        self.writers = {split: tf.summary.create_file_writer(str(root / split)) for split in ("train", "validation")}

    def on_epoch_end(self, epoch, logs=None):
        values = {("validation", key[4:]) if key.startswith("val_") else ("train", key): float(value)
                  for key, value in (logs or {}).items()}
        values[("train", "learning_rate")] = float(keras.ops.convert_to_numpy(self.model.optimizer.learning_rate))
        for (split, name), value in values.items():
            with self.writers[split].as_default():
                self.tf.summary.write(f"epoch_{name}", self.tf.constant(value, dtype=self.tf.float32), step=epoch,
                                      metadata=self.metadata)
        for writer in self.writers.values():
            writer.flush()

    def close(self) -> None:
        for writer in self.writers.values():
            writer.close()
