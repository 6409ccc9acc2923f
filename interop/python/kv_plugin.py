#!/usr/bin/python3
"""A go-plugin KV plugin in Python, written the way go-plugin's guide for non-Go plugins describes
(goplugin_peer.py): cookie check, a gRPC server on loopback TCP (mutual TLS under AutoMTLS), the standard
health service reporting 'plugin' as SERVING, the handshake line on stdout, GRPCController/Shutdown, and
GRPCStdio: each Put prints 'put <key>' on stdout and 'stored <key>' on stderr, which reach the host over
GRPCStdio."""

import sys
import threading

import goplugin_peer

from proto import kv_pb2, kv_pb2_grpc  # noqa: E402  (goplugin_peer put the stubs on the path)


class KeyValue(kv_pb2_grpc.KVServicer):
    def __init__(self):
        self._values = {}
        self._lock = threading.Lock()

    def Get(self, request, context):
        with self._lock:
            return kv_pb2.GetResponse(value=self._values.get(request.key, b""))

    def Put(self, request, context):
        with self._lock:
            self._values[request.key] = request.value
        print("put %s" % request.key)
        sys.stderr.write("stored %s\n" % request.key)
        return kv_pb2.Empty()


def main():
    plugin = goplugin_peer.Plugin()
    plugin.add(kv_pb2_grpc.add_KVServicer_to_server, KeyValue())
    plugin.serve()


if __name__ == "__main__":
    main()
