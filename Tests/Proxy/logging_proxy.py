"""An HTTP proxy for tests: CONNECT tunnels (https) and absolute-form requests (http), with
optional Basic proxy authentication. Logs one JSON line per connection: the method, the
target and whether proxy credentials came with it (never the credentials themselves).

    python3 logging_proxy.py --port-file PATH --log PATH [--user NAME --password SECRET]
"""
import argparse
import base64
import json
import socket
import threading

from relay import listen, pump
from urllib.parse import urlsplit

LOCK = threading.Lock()


def read_head(client):
    data = b''
    while b'\r\n\r\n' not in data:
        chunk = client.recv(65536)
        if not chunk:
            return None, b''
        data += chunk
    head, rest = data.split(b'\r\n\r\n', 1)
    return head.decode('latin-1'), rest


def serve(client, args):
    head, rest = read_head(client)
    if head is None:
        client.close()
        return
    lines = head.split('\r\n')
    method, target, _ = lines[0].split(' ', 2)
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(':')
        headers[name.strip().lower()] = value.strip()
    authorization = headers.get('proxy-authorization', '')
    authorized = True
    if args.user is not None:
        expected = 'Basic ' + base64.b64encode(f'{args.user}:{args.password}'.encode()).decode()
        authorized = authorization == expected
    with LOCK, open(args.log, 'a') as log:
        log.write(json.dumps({'method': method, 'target': target, 'proxy_auth': bool(authorization),
                              'authorized': authorized}) + '\n')
    if not authorized:
        client.sendall(b'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\n'
                       b'Content-Length: 0\r\nConnection: close\r\n\r\n')
        client.close()
        return
    if method == 'CONNECT':
        host, port = target.rsplit(':', 1)
        upstream = socket.create_connection((host.strip('[]'), int(port)))
        client.sendall(b'HTTP/1.1 200 Connection established\r\n\r\n')
        if rest:
            upstream.sendall(rest)
    else:
        parts = urlsplit(target)
        upstream = socket.create_connection((parts.hostname, parts.port or 80))
        # Forward as received (absolute form); drop the proxy's own header.
        kept = [lines[0]] + [l for l in lines[1:] if not l.lower().startswith('proxy-authorization')]
        upstream.sendall(('\r\n'.join(kept) + '\r\n\r\n').encode('latin-1') + rest)
    threading.Thread(target=pump, args=(upstream, client), daemon=True).start()
    pump(client, upstream)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--port-file', required=True)
    parser.add_argument('--log', required=True)
    parser.add_argument('--user')
    parser.add_argument('--password')
    args = parser.parse_args()
    listener = listen(args.port_file)
    while True:
        client, _ = listener.accept()
        threading.Thread(target=serve, args=(client, args), daemon=True).start()


if __name__ == '__main__':
    main()
