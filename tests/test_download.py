"""The download path against a real HTTP server on 127.0.0.1: success, bad checksum,
interrupted transfer, corrupt cache and corrupt mirror files, and the missing-file message."""

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
from tests.fixtures_data import write_tiny_mnist


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


def test_corrupt_cached_file_is_replaced(server, mnist_bytes):
    handler, base = server
    handler.files["/mnist.npz"] = mnist_bytes
    remote = remote_for(base, mnist_bytes)
    cached_path(remote).parent.mkdir(parents=True)
    cached_path(remote).write_bytes(mnist_bytes[:100])
    assert locate(remote).read_bytes() == mnist_bytes


def test_unparseable_file_without_checksum_is_fetched_again(server, mnist_bytes):
    handler, base = server
    handler.files["/mnist.npz"] = mnist_bytes
    remote = remote_for(base, mnist_bytes, sha=None)
    cached_path(remote).parent.mkdir(parents=True)
    cached_path(remote).write_bytes(b"garbage that is not a zip file")
    arrays = load_parsed("mnist-test", [remote], parse_mnist)
    assert arrays["x_train"].shape == (300, 28, 28)
    assert cached_path(remote).read_bytes() == mnist_bytes


def test_corrupt_mirror_file_falls_back_to_download_and_is_left_alone(server, mnist_bytes, tmp_path,
                                                                      monkeypatch):
    handler, base = server
    handler.files["/mnist.npz"] = mnist_bytes
    mirror_file = tmp_path / "mirror" / "mnist" / "mnist.npz"
    mirror_file.parent.mkdir(parents=True)
    mirror_file.write_bytes(b"truncated")
    monkeypatch.setenv("DLLAB_DATA_MIRROR", str(tmp_path / "mirror"))
    arrays = load_parsed("mnist-test", [remote_for(base, mnist_bytes)], parse_mnist)
    assert arrays["y_test"].shape == (100,)
    assert mirror_file.read_bytes() == b"truncated", "the read-only mirror must never be modified"


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
