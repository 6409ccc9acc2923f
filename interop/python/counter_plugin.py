#!/usr/bin/python3
"""go-plugin's bidirectional Counter example as a Python plugin (goplugin_peer.py): Put dials the host's
AddHelper through the broker under the id the request carries, adds there, and keeps the sum; Get answers
it. Under AutoMTLS the callback is mutual TLS too."""

import threading

import goplugin_peer

from proto import counter_pb2, counter_pb2_grpc  # noqa: E402  (goplugin_peer put the stubs on the path)


class Counter(counter_pb2_grpc.CounterServicer):
    def __init__(self, broker):
        self._broker = broker
        self._values = {}
        self._lock = threading.Lock()

    def Put(self, request, context):
        with self._broker.dial(request.add_server) as channel, self._lock:
            helper = counter_pb2_grpc.AddHelperStub(channel)
            total = helper.Sum(counter_pb2.SumRequest(a=self._values.get(request.key, 0), b=request.value),
                               timeout=30)
            self._values[request.key] = total.r
        return counter_pb2.CounterEmpty()

    def Get(self, request, context):
        with self._lock:
            return counter_pb2.CounterGetResponse(value=self._values.get(request.key, 0))


def main():
    plugin = goplugin_peer.Plugin()
    plugin.add(counter_pb2_grpc.add_CounterServicer_to_server, Counter(plugin.broker))
    plugin.serve()


if __name__ == "__main__":
    main()
