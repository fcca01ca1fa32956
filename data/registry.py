"""The three datasets by name, for pages and the training engine."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from data.download import RemoteFile, candidates
from data.imdb import IMDB_FILE, load_imdb
from data.mnist import MNIST_FILE, load_mnist
from data.traffic import ADJACENCY_FILE, LOCATIONS_FILE, SPEED_FILE, load_traffic


@dataclass(frozen=True)
class DatasetInfo:
    name: str
    title: str
    loader: Callable
    files: tuple[RemoteFile, ...]
    source: str

    def files_present(self) -> bool:
        """True when every file is already on disk, so loading needs no download."""
        return all(candidates(remote) for remote in self.files)


DATASETS = {
    "mnist": DatasetInfo("mnist", "MNIST", load_mnist, (MNIST_FILE,),
                         "LeCun, Cortes and Burges; the Keras `mnist.npz` copy"),
    "imdb": DatasetInfo("imdb", "IMDB reviews", load_imdb, (IMDB_FILE,),
                        "Maas et al., ACL 2011, Large Movie Review Dataset v1.0"),
    "traffic": DatasetInfo("traffic", "METR-LA week", load_traffic, (SPEED_FILE, ADJACENCY_FILE, LOCATIONS_FILE),
                           "Jagadish et al. 2014 via DCRNN (Li et al., 2018) and T-GCN (Zhao et al., 2019)"),
}
