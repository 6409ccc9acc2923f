"""What a go-plugin plugin in Python needs besides its own services, written from go-plugin's guide for
non-Go plugins and its wire protocol (no code of go-plugin's): the cookie check, a gRPC server on loopback
TCP, AutoMTLS (PLUGIN_CLIENT_CERT, a P-521 certificate of its own in the handshake line, mutual TLS), the
standard health service, GRPCController/Shutdown, the GRPCBroker (dialing what the host announces) and
GRPCStdio (what the plugin prints after its handshake, streamed to the host)."""

import base64
import datetime
import os
import queue
import secrets
import signal
import socket
import sys
import threading
from concurrent import futures

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "build", "python"))

import grpc  # noqa: E402

from plugin import grpc_broker_pb2, grpc_broker_pb2_grpc  # noqa: E402
from plugin import grpc_controller_pb2, grpc_controller_pb2_grpc  # noqa: E402
from plugin import grpc_stdio_pb2, grpc_stdio_pb2_grpc  # noqa: E402
import health_pb2  # noqa: E402
import health_pb2_grpc  # noqa: E402

NOT_A_HOST = ("This binary is a plugin. These are not meant to be executed directly.\n"
              "Please execute the program that consumes these plugins, which will\n"
              "load any plugins automatically\n")

# How long a broker dial waits for the host's announcement: only against a host that never sends it.
BROKER_DIAL_WAIT = 30


class AutoMtls:
    """The plugin's side of AutoMTLS: go-plugin's certificate shape (ECDSA P-521, CN and SAN localhost,
    O HashiCorp, CA, server and client auth), the host's certificate from PLUGIN_CLIENT_CERT as the only
    trusted one."""

    def __init__(self, host_cert_pem):
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

        key = ec.generate_private_key(ec.SECP521R1())
        name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "HashiCorp"),
                          x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
        now = datetime.datetime.now(datetime.timezone.utc)
        cert = (x509.CertificateBuilder()
                .subject_name(name).issuer_name(name).public_key(key.public_key())
                .serial_number(secrets.randbits(127) + 1)
                .not_valid_before(now - datetime.timedelta(seconds=30))
                .not_valid_after(now + datetime.timedelta(hours=262980))
                .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
                .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=True,
                                             data_encipherment=False, key_agreement=True, key_cert_sign=True,
                                             crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
                .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH, ExtendedKeyUsageOID.SERVER_AUTH]),
                               critical=False)
                .sign(key, hashes.SHA512()))
        self.host_cert_pem = host_cert_pem.encode()
        self.cert_pem = cert.public_bytes(serialization.Encoding.PEM)
        self.key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                         serialization.NoEncryption())
        # Handshake field 6: the DER in unpadded standard base64.
        self.handshake_field = base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode().rstrip("=")

    def server_credentials(self):
        return grpc.ssl_server_credentials([(self.key_pem, self.cert_pem)], root_certificates=self.host_cert_pem,
                                           require_client_auth=True)

    def channel_credentials(self):
        return grpc.ssl_channel_credentials(root_certificates=self.host_cert_pem, private_key=self.key_pem,
                                            certificate_chain=self.cert_pem)


class Broker(grpc_broker_pb2_grpc.GRPCBrokerServicer):
    """The plugin's end of plugin.GRPCBroker: the host opens StartStream and announces, for each id it
    serves, where to dial it; dial(id) waits for that announcement. This plugin announces nothing itself."""

    def __init__(self, tls, stopped):
        self._tls = tls
        self._stopped = stopped
        self._announced = {}
        self._changed = threading.Condition()

    def StartStream(self, request_iterator, context):
        def receive():
            try:
                for info in request_iterator:
                    with self._changed:
                        self._announced[info.service_id] = info
                        self._changed.notify_all()
            except grpc.RpcError:
                pass  # The host closed the stream.
        threading.Thread(target=receive, name="broker-receive", daemon=True).start()
        # Nothing to announce; keep the stream open as long as the host and the plugin run.
        while context.is_active() and not self._stopped.wait(1):
            pass
        return
        yield  # noqa: unreachable; makes this a generator, i.e. a response stream

    def dial(self, service_id):
        """A channel to what the host serves under service_id (mutual TLS under AutoMTLS)."""
        with self._changed:
            if not self._changed.wait_for(lambda: service_id in self._announced, timeout=BROKER_DIAL_WAIT):
                raise RuntimeError("timeout waiting for the host to announce broker id %d" % service_id)
            info = self._announced.pop(service_id)
        target = "unix:" + info.address if info.network == "unix" else info.address
        if self._tls is None:
            return grpc.insecure_channel(target)
        # The host's broker serves the AutoMTLS certificate it sent, made out to localhost.
        return grpc.secure_channel(target, self._tls.channel_credentials(),
                                   options=[("grpc.ssl_target_name_override", "localhost")])


class Stdio(grpc_stdio_pb2_grpc.GRPCStdioServicer):
    """plugin.GRPCStdio: after the handshake, file descriptors 1 and 2 become pipes whose bytes are streamed
    to the host (go-plugin does the same with os.Stdout and os.Stderr); logs keep the original stderr."""

    def __init__(self, stopped):
        self._stopped = stopped
        self._chunks = queue.Queue()

    def redirect(self):
        """Call after the handshake line is out. Returns a file on the original stderr, for logs."""
        sys.stdout.flush()
        sys.stderr.flush()
        log = os.fdopen(os.dup(2), "w", buffering=1)
        for fd, channel in ((1, grpc_stdio_pb2.StdioData.STDOUT), (2, grpc_stdio_pb2.StdioData.STDERR)):
            read_end, write_end = os.pipe()
            os.dup2(write_end, fd)
            os.close(write_end)
            threading.Thread(target=self._pump, args=(read_end, channel), name="stdio-%d" % fd, daemon=True).start()
        # Line-buffered, so that a print reaches the pipe when its line is complete.
        sys.stdout.reconfigure(line_buffering=True)
        sys.stderr.reconfigure(line_buffering=True)
        return log

    def _pump(self, fd, channel):
        while True:
            data = os.read(fd, 4096)
            if not data:
                return
            self._chunks.put(grpc_stdio_pb2.StdioData(channel=channel, data=data))

    def StreamStdio(self, request, context):
        while context.is_active() and not self._stopped.is_set():
            try:
                yield self._chunks.get(timeout=1)
            except queue.Empty:
                continue


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


class Plugin:
    """Serves a plugin: construct, add services with add(register, servicer), then serve()."""

    def __init__(self):
        if os.environ.get("BASIC_PLUGIN") != "hello":
            sys.stderr.write(NOT_A_HOST)
            sys.exit(1)
        self.stopped = threading.Event()
        host_cert = os.environ.get("PLUGIN_CLIENT_CERT")
        self.tls = AutoMtls(host_cert) if host_cert else None
        self.broker = Broker(self.tls, self.stopped)
        self.stdio = Stdio(self.stopped)
        self.log = sys.stderr
        self._server = grpc.server(futures.ThreadPoolExecutor(max_workers=16))
        health_pb2_grpc.add_HealthServicer_to_server(Health(), self._server)
        grpc_controller_pb2_grpc.add_GRPCControllerServicer_to_server(Controller(self.stopped), self._server)
        grpc_broker_pb2_grpc.add_GRPCBrokerServicer_to_server(self.broker, self._server)
        grpc_stdio_pb2_grpc.add_GRPCStdioServicer_to_server(self.stdio, self._server)

    def add(self, register, servicer):
        register(servicer, self._server)

    def serve(self):
        address = "127.0.0.1:%d" % listen_port()
        if self.tls is None:
            port = self._server.add_insecure_port(address)
        else:
            port = self._server.add_secure_port(address, self.tls.server_credentials())
        self._server.start()
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, lambda *_: self.stopped.set())
        line = "1|1|tcp|127.0.0.1:%d|grpc|%s\n" % (port, self.tls.handshake_field if self.tls else "")
        sys.stdout.write(line)
        sys.stdout.flush()
        self.log = self.stdio.redirect()
        self.stopped.wait()
        self._server.stop(grace=1).wait()
