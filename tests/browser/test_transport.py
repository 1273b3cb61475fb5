"""The page's WebSocket is compressed: charts travel inside its messages as SVG (planner/chart_images.py)."""

from __future__ import annotations

import base64
import os
import socket

import pytest

from .conftest import Server

pytestmark = pytest.mark.browser


OFFER = "permessage-deflate; client_max_window_bits"


def upgrade(port: int, extensions: str = OFFER) -> str:
    """The answer on 127.0.0.1:`port` to a browser's WebSocket handshake on Streamlit's stream."""
    key = base64.b64encode(os.urandom(16)).decode()
    request = (
        f"GET /_stcore/stream HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
        f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
        f"Sec-WebSocket-Extensions: {extensions}\r\nSec-WebSocket-Protocol: streamlit\r\n"
        f"Origin: http://127.0.0.1:{port}\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(request.encode())
        return connection.recv(4096).decode(errors="replace")


def test_the_stream_is_compressed_when_the_browser_offers_it(server: Server) -> None:
    answer = upgrade(server.port)

    assert answer.startswith("HTTP/1.1 101")
    assert "sec-websocket-extensions: permessage-deflate" in answer.lower()
