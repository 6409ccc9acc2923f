#!/usr/bin/python3
"""A go-plugin KV plugin in Python, written the way go-plugin's guide for non-Go plugins describes:
cookie check, a gRPC server on loopback TCP without TLS, the standard health service reporting
'plugin' as SERVING, and the handshake line on stdout. It also answers go-plugin's
GRPCController/Shutdown so hosts can stop it gracefully."""

import os
import signal
import socket
import sys
import threading
from concurrent import futures

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "build", "python"))

import grpc  # noqa: E402

from proto import kv_pb2, kv_pb2_grpc  # noqa: E402
from plugin import grpc_controller_pb2, grpc_controller_pb2_grpc  # noqa: E402
import health_pb2  # noqa: E402
import health_pb2_grpc  # noqa: E402

NOT_A_HOST = ("This binary is a plugin. These are not meant to be executed directly.\n"
              "Please execute the program that consumes these plugins, which will\n"
              "load any plugins automatically\n")


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
        return kv_pb2.Empty()


class Health(health_pb2_grpc.HealthServicer):
    def Check(self, request, context):
        if request.service in ("", "plugin"):
            return health_pb2.HealthCheckResponse(status=health_pb2.HealthCheckResponse.SERVING)
        return health_pb2.HealthCheckResponse(status=health_pb2.HealthCheckResponse.SERVICE_UNKNOWN)


class Controller(grpc_controller_pb2_grpc.GRPCControllerServicer):
    def __init__(self, stopped):
        self._stopped = stopped

    def Shutdown(self, request, context):
        # Reply first, then stop: the host gets its answer.
        threading.Timer(0.1, self._stopped.set).start()
        return grpc_controller_pb2.Empty()


def listen_port():
    """A free loopback port inside PLUGIN_MIN_PORT..PLUGIN_MAX_PORT, or any free one."""
    low, high = os.environ.get("PLUGIN_MIN_PORT"), os.environ.get("PLUGIN_MAX_PORT")
    candidates = range(int(low), int(high) + 1) if low and high else [0]
    for port in candidates:
        probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            probe.bind(("127.0.0.1", port))
            return probe.getsockname()[1]
        except OSError:
            continue
        finally:
            probe.close()
    raise SystemExit("couldn't bind plugin TCP listener")


def main():
    if os.environ.get("BASIC_PLUGIN") != "hello":
        sys.stderr.write(NOT_A_HOST)
        sys.exit(1)
    stopped = threading.Event()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
    kv_pb2_grpc.add_KVServicer_to_server(KeyValue(), server)
    health_pb2_grpc.add_HealthServicer_to_server(Health(), server)
    grpc_controller_pb2_grpc.add_GRPCControllerServicer_to_server(Controller(stopped), server)
    port = server.add_insecure_port("127.0.0.1:%d" % listen_port())
    server.start()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    sys.stdout.write("1|1|tcp|127.0.0.1:%d|grpc\n" % port)
    sys.stdout.flush()
    stopped.wait()
    server.stop(grace=1).wait()


if __name__ == "__main__":
    main()
