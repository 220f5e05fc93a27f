"""Start the Deno Jupyter kernel behind a broker that hands it one execute_request at a time.

The project's kernelspec ("Deno (backprop)", written by scripts/setup.sh) runs

    kernel_broker.py --deno DENO CONNECTION_FILE

Jupyter (Notebook, VS Code, nbclient) talks to the broker on the ports of CONNECTION_FILE; the
broker starts `deno jupyter --kernel` on ports of its own and relays every channel.

Why: Deno 2.9.6's kernel tags each output with the parent of the *latest* execute_request it has
received, and sends some outputs after that request's `idle`. Given pipelined requests (Run All
queues every cell at once) a cell's result then shows up under the next cell. So the broker keeps
execute_requests in a queue and releases the next one only when the previous one is finished:
its execute_reply has arrived, its `idle` has arrived, and the kernel's IOPub has then been quiet
for QUIET_SECONDS (late outputs arrive within a few milliseconds). The `idle` itself is held back
until then, so a client that stops listening at `idle` (nbclient) still gets the late outputs.

After an execute_reply with status "error" (and `stop_on_error`, the default), the requests still
queued are answered "aborted", as ipykernel does, so Run All stops at the failing cell.

Asynchronous errors: Deno 2.9.6's kernel swallows an unhandled promise rejection (a forgotten
`await`) and an error thrown later in a timer or other callback: nothing on IOPub, nothing on its
stderr, the kernel lives on and the cell's reply is "ok". So right after the kernel starts, before
any client's request, the broker sends it one request of its own (silent, no history, its reply
and its status and execute_input messages kept from the clients) that installs the handlers of
ASYNC_ERRORS_JS: each such error becomes an IOPub `error` message (Deno's broadcast gives it the
parent of the latest execute_request: the cell running when it arrives, or else the last cell run)
and an entry in the kernel's list `globalThis[Symbol.for("backprop.asyncErrors")]`, which
scripts/run_notebooks.py reads once the last cell has run. A restart starts a new broker, which
installs them again.

Everything else passes through untouched, in both directions: other shell requests (completion,
inspection, kernel_info, comms), control (interrupt, shutdown), stdin, and the heartbeat. Messages
keep the kernel's signatures: the broker gives the kernel the connection file's key, and signs
only the abort replies it writes itself. Deno's kernel keeps only the last routing identity of a
request, so the broker sends requests on without the client's identities and puts them back on
the replies (found by their parent's msg_id). Deno's kernel dies of SIGINT but takes an interrupt_request
on the control channel, so the kernelspec says `"interrupt_mode": "message"`, and a SIGINT sent
to the broker anyway becomes an interrupt_request. The broker exits when the kernel does, and
the kernel dies with the broker.
"""

import argparse
import ctypes
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import deque

import zmq
from jupyter_client.session import Session

QUIET_SECONDS = 0.03
DELIMITER = b"<IDS|MSG>"
PR_SET_PDEATHSIG = 1

# Run in the kernel once, before any client's request. An unhandled rejection or an error thrown
# in a callback is published as an IOPub `error` (traceback opened with Deno's own words for it,
# "Uncaught (in promise)" or "Uncaught") and recorded, with its time (ms since the epoch), in the
# list that scripts/run_notebooks.py reads. preventDefault() keeps Deno from handling it further.
ASYNC_ERRORS_JS = r"""
{
  const key = Symbol.for("backprop.asyncErrors");
  if (!Object.hasOwn(globalThis, key)) {
    const errors = [];
    Object.defineProperty(globalThis, key, { value: errors });
    const report = (uncaught, error) => {
      try {
        const isError = error instanceof Error;
        const ename = isError ? error.name : "Error";
        const text = typeof error === "string" ? error : Deno.inspect(error);
        const evalue = isError ? error.message : text;
        const stack = isError && error.stack ? error.stack : `${ename}: ${evalue}`;
        if (errors.length < 100) errors.push({ uncaught, ename, evalue, time: Date.now() });
        const traceback = `${uncaught} ${stack}`.split("\n");
        Deno.jupyter.broadcast("error", { ename, evalue, traceback }).catch(() => {});
      } catch {
        // a handler that throws would be called again for its own error
      }
    };
    globalThis.addEventListener("unhandledrejection", (event) => {
      event.preventDefault();
      report("Uncaught (in promise)", event.reason);
    });
    globalThis.addEventListener("error", (event) => {
      event.preventDefault();
      report("Uncaught", event.error ?? event.message);
    });
  }
}
"""


def split_message(frames):
    """Split a multipart Jupyter message into (routing identities, header dict, parent dict, content dict)."""
    at = frames.index(DELIMITER)
    header, parent, _metadata, content = (json.loads(f) for f in frames[at + 2 : at + 6])
    return frames[:at], header, parent, content


def free_ports(count):
    """Return `count` distinct TCP ports on 127.0.0.1 that were free a moment ago."""
    sockets = []
    for _ in range(count):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        sockets.append(s)
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def die_with_parent():
    """In the kernel's process: ask Linux to kill it when the broker dies (even by SIGKILL)."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except OSError:
        pass


class Broker:
    """Relays the five Jupyter channels between the clients and one Deno kernel process."""

    def __init__(self, connection, deno):
        self.connection = connection
        self.session = Session(
            key=connection["key"].encode(),
            signature_scheme=connection.get("signature_scheme", "hmac-sha256"),
            username="kernel_broker",
        )
        self.context = zmq.Context()
        self.queue = deque()  # waiting execute_requests: lists of frames, routing ids first
        self.senders = {}  # msg_id of a request waiting for its reply -> the client's identities
        self.running = None  # msg_id of the execute_request the kernel is working on
        self.running_request = {}  # and its content
        self.replied = False  # its execute_reply has been relayed
        self.held_idle = None  # its `idle` status frames, held until the kernel has been quiet
        self.last_output = 0.0  # monotonic time of the last IOPub message for it
        self.interrupt_requested = False  # set by SIGINT, sent by the loop
        self.own = set()  # msg_ids of the broker's own execute_requests
        self.kernel = self.start_kernel(deno)
        self.request_first(ASYNC_ERRORS_JS)

    # --- sockets and the kernel process -----------------------------------------------------
    def start_kernel(self, deno):
        ip = self.connection.get("ip", "127.0.0.1")
        transport = self.connection.get("transport", "tcp")

        def bind(kind, name):
            s = self.context.socket(kind)
            s.linger = 0
            s.bind(f"{transport}://{ip}:{self.connection[name]}")
            return s

        self.shell = bind(zmq.ROUTER, "shell_port")
        self.control = bind(zmq.ROUTER, "control_port")
        self.stdin = bind(zmq.ROUTER, "stdin_port")
        self.iopub = bind(zmq.PUB, "iopub_port")
        self.heartbeat = bind(zmq.ROUTER, "hb_port")

        names = ["shell_port", "iopub_port", "stdin_port", "control_port", "hb_port"]
        inner = dict(self.connection, ip="127.0.0.1", transport="tcp")
        inner.update(zip(names, free_ports(len(names))))
        folder = tempfile.mkdtemp(prefix="backprop-kernel-")
        path = os.path.join(folder, "connection.json")
        with open(path, "w") as f:
            json.dump(inner, f)

        def connect(kind, name, identity=None):
            s = self.context.socket(kind)
            s.linger = 0
            if identity is not None:
                s.identity = identity
            if kind == zmq.SUB:
                s.subscribe(b"")
            s.connect(f"tcp://127.0.0.1:{inner[name]}")
            return s

        # the kernel sends input_requests to the identity of the shell request's sender: the
        # broker's shell and stdin sockets toward the kernel share one identity
        identity = b"kernel_broker-" + os.urandom(8).hex().encode()
        self.kernel_shell = connect(zmq.DEALER, "shell_port", identity)
        self.kernel_stdin = connect(zmq.DEALER, "stdin_port", identity)
        self.kernel_control = connect(zmq.DEALER, "control_port")
        self.kernel_iopub = connect(zmq.SUB, "iopub_port")
        self.kernel_heartbeat = connect(zmq.DEALER, "hb_port")

        process = subprocess.Popen(
            [deno, "jupyter", "--kernel", "--conn", path],
            start_new_session=True,  # a SIGINT to the broker's process group would kill the kernel
            preexec_fn=die_with_parent,
        )
        self.connection_folder = folder
        return process

    # --- routing: the kernel answers without the client's identities ---------------------------
    def to_kernel(self, socket, frames):
        """Send a client's request on to the kernel, remembering who asked."""
        identities, header, _, _ = split_message(frames)
        self.senders[header["msg_id"]] = identities
        socket.send_multipart(frames[len(identities) :])

    def to_client(self, socket, frames, keep=False):
        """Send a kernel's message to the client whose request is its parent."""
        identities, _, parent, _ = split_message(frames)
        asker = parent.get("msg_id")
        route = self.senders.get(asker) if keep else self.senders.pop(asker, None)
        if route is None:
            return  # the request that asked came before a restart: nobody waits for the answer
        socket.send_multipart(route + frames[len(identities) :])

    # --- the execute queue -------------------------------------------------------------------
    def request_first(self, code):
        """Put an execute_request of the broker's own first in the queue: silent, no history."""
        content = {"code": code, "silent": True, "store_history": False, "user_expressions": {}}
        content.update(allow_stdin=False, stop_on_error=False)
        message = self.session.msg("execute_request", content)
        self.own.add(message["header"]["msg_id"])
        self.queue.appendleft(self.session.serialize(message))
        self.release_next()

    def release_next(self):
        """Send the next queued execute_request to the kernel when none is running."""
        if self.running is None and self.queue:
            frames = self.queue.popleft()
            _, header, _, content = split_message(frames)
            self.running = header["msg_id"]
            self.running_request = content
            self.replied = False
            self.held_idle = None
            self.last_output = time.monotonic()
            self.to_kernel(self.kernel_shell, frames)

    def finish_if_quiet(self):
        """Publish the held `idle` and release the next request once the kernel has gone quiet."""
        if (
            self.running is not None
            and self.replied
            and self.held_idle is not None
            and time.monotonic() - self.last_output >= QUIET_SECONDS
        ):
            self.iopub.send_multipart(self.held_idle)
            self.running = None
            self.held_idle = None
            self.release_next()

    def abort_queue(self):
        """Answer every queued execute_request "aborted", with busy and idle around it."""
        while self.queue:
            frames = self.queue.popleft()
            identities, header, _, _ = split_message(frames)
            parent = {"header": header}
            self.session.send(self.iopub, "status", {"execution_state": "busy"}, parent=parent)
            self.session.send(
                self.shell,
                "execute_reply",
                {"status": "aborted"},
                parent=parent,
                ident=identities,
                metadata={"status": "aborted"},
            )
            self.session.send(self.iopub, "status", {"execution_state": "idle"}, parent=parent)

    # --- one message from each socket -------------------------------------------------------
    def from_client_shell(self, frames):
        _, header, _, _ = split_message(frames)
        if header.get("msg_type") == "execute_request":
            self.queue.append(frames)
            self.release_next()
        else:
            self.to_kernel(self.kernel_shell, frames)

    def from_kernel_shell(self, frames):
        _, header, parent, content = split_message(frames)
        if parent.get("msg_id") in self.own:
            self.from_kernel_for_broker(header, parent, content)
            return
        self.to_client(self.shell, frames)
        if header.get("msg_type") != "execute_reply" or parent.get("msg_id") != self.running:
            return
        self.replied = True
        self.last_output = time.monotonic()
        request = self.running_request
        stop_on_error = request.get("stop_on_error", True) and not request.get("silent", False)
        if content.get("status") == "error" and stop_on_error:
            self.abort_queue()

    def from_kernel_for_broker(self, header, parent, content):
        """The reply to one of the broker's own requests: the next request may go at once.

        Not waiting for its `idle`: the IOPub messages of the kernel's very first request are
        often lost (4 starts in 12, measured), sent before the broker's subscription reached it."""
        self.senders.pop(parent["msg_id"], None)
        if content.get("status") != "ok":
            sys.stderr.write(
                "kernel_broker: the kernel refused the broker's own request, so asynchronous "
                f"errors will go unreported: {content.get('ename')}: {content.get('evalue')}\n"
            )
        if header.get("msg_type") == "execute_reply" and parent["msg_id"] == self.running:
            self.running = None
            self.release_next()

    def from_kernel_iopub(self, frames):
        try:
            _, header, parent, content = split_message(frames)
        except (ValueError, json.JSONDecodeError):
            self.iopub.send_multipart(frames)  # not a message the broker reads: passed on as is
            return
        if parent.get("msg_id") in self.own:
            if header.get("msg_type") in ("status", "execute_input"):
                return  # the broker's own request: no client asked for it
        elif self.running is not None and parent.get("msg_id") == self.running:
            self.last_output = time.monotonic()
            if header.get("msg_type") == "status" and content.get("execution_state") == "idle":
                self.held_idle = frames
                return
        self.iopub.send_multipart(frames)

    # --- the loop -----------------------------------------------------------------------------
    def run(self):
        """Relay messages until the kernel process exits; return its exit code."""
        handlers = {
            self.shell: self.from_client_shell,
            self.kernel_shell: self.from_kernel_shell,
            self.kernel_iopub: self.from_kernel_iopub,
            self.control: lambda frames: self.to_kernel(self.kernel_control, frames),
            self.kernel_control: lambda frames: self.to_client(self.control, frames),
            # an input_request's parent is the execute_request, which is still waiting for its reply
            self.kernel_stdin: lambda frames: self.to_client(self.stdin, frames, keep=True),
            self.stdin: lambda frames: self.kernel_stdin.send_multipart(
                frames[frames.index(DELIMITER) :]
            ),
            # the heartbeat is a plain REQ/REP echo: its envelope routes it back
            self.heartbeat: self.kernel_heartbeat.send_multipart,
            self.kernel_heartbeat: self.heartbeat.send_multipart,
        }
        poller = zmq.Poller()
        for s in handlers:
            poller.register(s, zmq.POLLIN)
        while self.kernel.poll() is None:
            if self.interrupt_requested:
                self.interrupt_requested = False
                self.session.send(self.kernel_control, "interrupt_request", {})
            timeout_ms = 100 if self.held_idle is None else QUIET_SECONDS * 1000 / 3
            for s, _ in poller.poll(timeout_ms):
                frames = s.recv_multipart()
                try:
                    handlers[s](frames)
                except (ValueError, KeyError, json.JSONDecodeError) as error:
                    # a malformed message must not take the kernel down with the broker
                    sys.stderr.write(f"kernel_broker: dropped a message it cannot read: {error!r}\n")
            self.finish_if_quiet()
        return self.kernel.returncode


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deno", required=True, help="the deno executable")
    parser.add_argument("connection_file", help="the connection file Jupyter wrote")
    args = parser.parse_args()
    with open(args.connection_file) as f:
        connection = json.load(f)
    broker = Broker(connection, args.deno)

    def interrupt(_signum, _frame):
        broker.interrupt_requested = True

    def terminate(signum, _frame):
        if broker.kernel.poll() is None:
            broker.kernel.send_signal(signum)

    signal.signal(signal.SIGINT, interrupt)
    signal.signal(signal.SIGTERM, terminate)
    try:
        code = broker.run()
    finally:
        if broker.kernel.poll() is None:
            broker.kernel.kill()
        broker.context.destroy(linger=0)
        shutil.rmtree(broker.connection_folder, ignore_errors=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
