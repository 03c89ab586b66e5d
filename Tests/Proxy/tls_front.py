"""A TLS reverse proxy for tests: terminates TLS with a test certificate and relays the
plain bytes to an upstream (moto). Together with a test CA made by openssl, it stands in
for an endpoint signed by a private CA.

    python3 tls_front.py --cert server.pem --key server.key --upstream 127.0.0.1:5000 --port-file PATH
"""
import argparse
import socket
import ssl
import threading

from relay import listen, pump


def serve(client, context, upstream):
    try:
        tls = context.wrap_socket(client, server_side=True)
    except (ssl.SSLError, OSError):
        client.close()  # the client refused our certificate: that is what some tests expect
        return
    host, port = upstream.rsplit(':', 1)
    back = socket.create_connection((host, int(port)))
    threading.Thread(target=pump, args=(back, tls), daemon=True).start()
    pump(tls, back)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--cert', required=True)
    parser.add_argument('--key', required=True)
    parser.add_argument('--upstream', required=True)
    parser.add_argument('--port-file', required=True)
    args = parser.parse_args()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(args.cert, args.key)
    listener = listen(args.port_file)
    while True:
        client, _ = listener.accept()
        threading.Thread(target=serve, args=(client, context, args.upstream), daemon=True).start()


if __name__ == '__main__':
    main()
