"""The download path against a real HTTP server on 127.0.0.1: success, bad checksum,
interrupted transfer, unusable files in the data folder (moved aside, never deleted) and in the
mirror (left alone), a learner's own file with another checksum, and the missing-file message."""

from __future__ import annotations

import hashlib
import http.server
import socket
import threading

import numpy as np
import pytest

from data.cache import load_parsed
from data.download import DatasetError, RemoteFile, cached_path, locate
from data.mnist import parse_mnist
from data.tiny import write_tiny_mnist


class FileServer(http.server.BaseHTTPRequestHandler):
    files: dict[str, bytes] = {}
    truncate: set[str] = set()

    def do_GET(self):  # noqa: N802 (the handler API's name)
        body = self.files.get(self.path)
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body[: len(body) // 2] if self.path in self.truncate else body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    FileServer.files, FileServer.truncate = {}, set()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FileServer)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield FileServer, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture
def mnist_bytes(tmp_path):
    return write_tiny_mnist(tmp_path / "source").read_bytes()


def remote_for(base: str, body: bytes, sha: str | None = "auto") -> RemoteFile:
    return RemoteFile("mnist/mnist.npz", f"{base}/mnist.npz",
                      hashlib.sha256(body).hexdigest() if sha == "auto" else sha)


def leftovers(remote: RemoteFile) -> list[str]:
    folder = cached_path(remote).parent
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def test_download_verifies_and_reports_progress(server, mnist_bytes):
    handler, base = server
    handler.files["/mnist.npz"] = mnist_bytes
    remote = remote_for(base, mnist_bytes)
    fractions = []
    path = locate(remote, progress=lambda message, fraction: fractions.append(fraction))
    assert path == cached_path(remote) and path.read_bytes() == mnist_bytes
    assert fractions[-1] == 1.0 and all(a <= b for a, b in zip(fractions, fractions[1:]))


def test_checksum_mismatch_is_reported_and_leaves_nothing(server, mnist_bytes):
    handler, base = server
    handler.files["/mnist.npz"] = mnist_bytes
    remote = remote_for(base, mnist_bytes, sha="0" * 64)
    with pytest.raises(DatasetError, match="sha256") as error:
        locate(remote)
    assert str(cached_path(remote)) in str(error.value), "the message must say where to put the file"
    assert leftovers(remote) == []


def test_interrupted_download_is_reported_and_leaves_nothing(server, mnist_bytes):
    handler, base = server
    handler.files["/mnist.npz"] = mnist_bytes
    handler.truncate.add("/mnist.npz")
    remote = remote_for(base, mnist_bytes, sha=None)
    with pytest.raises(DatasetError, match="could not download|interrupted|stopped"):
        locate(remote)
    assert leftovers(remote) == []


def put_in_data_folder(remote: RemoteFile, body: bytes):
    cached_path(remote).parent.mkdir(parents=True, exist_ok=True)
    cached_path(remote).write_bytes(body)
    return cached_path(remote)


def test_unusable_file_in_the_data_folder_is_moved_aside_never_deleted(server, mnist_bytes):
    handler, base = server
    handler.files["/mnist.npz"] = mnist_bytes
    remote = remote_for(base, mnist_bytes)
    user_file = put_in_data_folder(remote, mnist_bytes[:100])  # a partial copy
    arrays, notices = load_parsed("mnist-test", [remote], parse_mnist)
    assert arrays["x_train"].shape == (300, 28, 28)
    assert user_file.read_bytes() == mnist_bytes, "the fresh download takes its place"
    aside = user_file.with_name("mnist.npz.corrupt")
    assert aside.read_bytes() == mnist_bytes[:100]
    assert any(str(aside) in notice for notice in notices), notices

    user_file.write_bytes(b"broken a second time")  # a later corrupt copy never overwrites the first
    _, notices = load_parsed("mnist-test", [remote], parse_mnist)
    assert aside.read_bytes() == mnist_bytes[:100]
    assert user_file.with_name("mnist.npz.corrupt-2").read_bytes() == b"broken a second time"
    assert any("mnist.npz.corrupt-2" in notice for notice in notices), notices


def test_a_file_with_another_checksum_that_passes_the_checks_is_used_with_a_warning(server, tmp_path):
    _, base = server  # serves nothing: the learner's file must be used without a download
    own = write_tiny_mnist(tmp_path / "own", train=120, test=40, seed=5).read_bytes()
    remote = remote_for(base, b"the canonical bytes")
    user_file = put_in_data_folder(remote, own)
    for _load in range(2):  # the second load reads the parsed cache, and still says so
        arrays, notices = load_parsed("mnist-test", [remote], parse_mnist)
        assert arrays["x_test"].shape == (40, 28, 28)
        assert [notice for notice in notices if "sha256 differs" in notice and str(user_file) in notice]
    assert user_file.read_bytes() == own
    assert sorted(path.name for path in user_file.parent.iterdir()) == ["mnist.npz"]


def test_unparseable_file_without_checksum_is_set_aside_and_fetched_again(server, mnist_bytes):
    handler, base = server
    handler.files["/mnist.npz"] = mnist_bytes
    remote = remote_for(base, mnist_bytes, sha=None)
    user_file = put_in_data_folder(remote, b"garbage that is not a zip file")
    arrays, notices = load_parsed("mnist-test", [remote], parse_mnist)
    assert arrays["x_train"].shape == (300, 28, 28)
    assert user_file.read_bytes() == mnist_bytes
    assert user_file.with_name("mnist.npz.corrupt").read_bytes() == b"garbage that is not a zip file"
    assert len(notices) == 1 and "not a readable MNIST .npz" in notices[0]


def test_corrupt_mirror_file_falls_back_to_download_and_is_left_alone(server, mnist_bytes, tmp_path,
                                                                      monkeypatch):
    handler, base = server
    handler.files["/mnist.npz"] = mnist_bytes
    mirror_file = tmp_path / "mirror" / "mnist" / "mnist.npz"
    mirror_file.parent.mkdir(parents=True)
    mirror_file.write_bytes(b"truncated")
    monkeypatch.setenv("DLLAB_DATA_MIRROR", str(tmp_path / "mirror"))
    arrays, notices = load_parsed("mnist-test", [remote_for(base, mnist_bytes)], parse_mnist)
    assert arrays["y_test"].shape == (100,)
    assert mirror_file.read_bytes() == b"truncated", "the read-only mirror must never be modified"
    assert any("mirror" in notice and str(mirror_file.resolve()) in notice for notice in notices), notices


def test_a_download_that_fails_too_says_where_the_bad_file_went(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    remote = RemoteFile("mnist/mnist.npz", f"http://127.0.0.1:{closed_port}/mnist.npz", None)
    user_file = put_in_data_folder(remote, b"not a zip")
    with pytest.raises(DatasetError) as error:
        load_parsed("mnist-test", [remote], parse_mnist)
    assert str(user_file.with_name("mnist.npz.corrupt")) in str(error.value)
    assert user_file.with_name("mnist.npz.corrupt").read_bytes() == b"not a zip"


def test_missing_everywhere_says_what_to_do(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    remote = RemoteFile("mnist/mnist.npz", f"http://127.0.0.1:{closed_port}/mnist.npz", None)
    with pytest.raises(DatasetError) as error:
        locate(remote)
    message = str(error.value)
    assert "mnist/mnist.npz" in message and "DLLAB_DATA_MIRROR" in message
    assert str(cached_path(remote)) in message


def test_mirror_is_used_without_copying(tmp_path, monkeypatch):
    mirror_file = write_tiny_mnist(tmp_path / "mirror")
    monkeypatch.setenv("DLLAB_DATA_MIRROR", str(tmp_path / "mirror"))
    remote = RemoteFile("mnist/mnist.npz", "http://127.0.0.1:9/unused", None)
    assert locate(remote) == mirror_file.resolve()
    assert not cached_path(remote).exists()
    assert np.load(locate(remote))["x_train"].shape == (300, 28, 28)
