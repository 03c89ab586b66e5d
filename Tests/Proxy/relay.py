"""What the test's small TCP helpers share (tls_front.py, logging_proxy.py): a loopback listener
on a free port, announced through a file, and a byte pump between two sockets."""
import os
import socket


def listen(port_file):
    """Listens on 127.0.0.1 at a free port and writes the port to `port_file` atomically."""
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(('127.0.0.1', 0))
    listener.listen(64)
    with open(port_file + '.tmp', 'w') as f:
        f.write(str(listener.getsockname()[1]))
    os.replace(port_file + '.tmp', port_file)
    return listener


def pump(source, target):
    """Copies bytes from `source` to `target` until either side closes, then shuts both."""
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            target.sendall(data)
    except OSError:
        pass
    finally:
        for s in (source, target):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
