"""Protocol tests of scripts/kernel_broker.py, against the broker itself and a real Deno kernel.

Each test starts the project's kernelspec ("backprop": the broker in front of `deno jupyter`)
through jupyter_client, the way Jupyter Notebook, VS Code and nbclient do, and speaks the Jupyter
messaging protocol to it. Run by tests/scripts/kernel_broker_test.ts (JUPYTER_PATH set up by
scripts/setup.sh):

    python3 tests/scripts/kernel_broker_test.py [--list | TestCase.test_name ...]
"""

import os
import signal
import time
import unittest
from queue import Empty

from jupyter_client import KernelManager

TIMEOUT = 30


def process_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as f:
        return f.read().split()[2] != "Z"


def children(pid):
    """The process ids whose parent is pid."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry))
    return found


class BrokerTest(unittest.TestCase):
    def setUp(self):
        self.km = KernelManager(kernel_name="backprop")
        self.km.start_kernel()
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=TIMEOUT)
        self.drain_iopub()

    def tearDown(self):
        self.kc.stop_channels()
        if self.km.has_kernel:
            self.km.shutdown_kernel(now=True)

    # --- helpers -----------------------------------------------------------------------------
    def drain_iopub(self):
        while True:
            try:
                self.kc.get_iopub_msg(timeout=0.2)
            except Empty:
                return

    def collect(self, request_ids):
        """IOPub messages and shell replies until every request has its reply and its idle.

        Returns (iopub, replies): iopub is a list of (request index or None, msg_type, content,
        whether that request's idle had already arrived); replies maps index to reply content.
        """
        index = {msg_id: i for i, msg_id in enumerate(request_ids)}
        iopub, replies, idle = [], {}, set()
        deadline = time.monotonic() + TIMEOUT
        while (len(idle) < len(index) or len(replies) < len(index)) and time.monotonic() < deadline:
            try:
                reply = self.kc.get_shell_msg(timeout=0.01)
                if reply["parent_header"].get("msg_id") in index:
                    replies[index[reply["parent_header"]["msg_id"]]] = reply["content"]
            except Empty:
                pass
            try:
                msg = self.kc.get_iopub_msg(timeout=0.05)
            except Empty:
                continue
            i = index.get(msg["parent_header"].get("msg_id"))
            iopub.append((i, msg["msg_type"], msg["content"], i in idle))
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                idle.add(i)
        self.assertEqual(len(replies), len(index), f"replies arrived for {sorted(replies)} only")
        self.assertEqual(len(idle - {None}), len(index), f"idle arrived for {sorted(idle)} only")
        return iopub, replies

    def results(self, iopub):
        """(request index, text) of every execute_result and stream output, in arrival order."""
        found = []
        for i, msg_type, content, after_idle in iopub:
            self.assertFalse(after_idle, f"{msg_type} of request {i} arrived after its idle")
            if msg_type == "execute_result":
                found.append((i, content["data"]["text/plain"]))
            elif msg_type == "stream":
                found.extend((i, line) for line in content["text"].splitlines())
        return found

    def errors(self, iopub, request_ids, seconds):
        """The IOPub `error` messages in `iopub` and in the next `seconds` (later ones flagged as
        arriving after their idle), as (request index or None, evalue, first traceback line,
        whether its request's idle had already arrived)."""
        index = {msg_id: i for i, msg_id in enumerate(request_ids)}
        iopub = list(iopub)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                msg = self.kc.get_iopub_msg(timeout=0.05)
            except Empty:
                continue
            i = index.get(msg["parent_header"].get("msg_id"))
            iopub.append((i, msg["msg_type"], msg["content"], True))
        return [
            (i, content["evalue"], content["traceback"][0], after_idle)
            for i, msg_type, content, after_idle in iopub
            if msg_type == "error"
        ]

    def broker_and_kernel(self):
        broker = self.km.provisioner.process.pid
        kernels = children(broker)
        self.assertEqual(len(kernels), 1, f"the broker (pid {broker}) has children {kernels}")
        return broker, kernels[0]

    # --- the tests ---------------------------------------------------------------------------
    def test_pipelined_requests_keep_each_output_under_its_own_request(self):
        count = 40
        codes = [
            f"{i} + 0.5" if i % 2 else f"console.log('out {i}'); const v{i} = {i} * 10; v{i}"
            for i in range(count)
        ]
        ids = [self.kc.execute(code) for code in codes]  # all queued at once, as Run All does
        iopub, replies = self.collect(ids)
        expected = []
        for i in range(count):
            expected += [(i, f"{i}.5")] if i % 2 else [(i, f"out {i}"), (i, str(i * 10))]
        self.assertEqual(self.results(iopub), expected)
        self.assertEqual([replies[i]["status"] for i in range(count)], ["ok"] * count)
        busy = [i for i, t, c, _ in iopub if t == "status" and c["execution_state"] == "busy"]
        self.assertEqual(busy, list(range(count)), "the requests did not run one after another")

    def test_error_aborts_the_queued_requests_and_the_next_request_runs(self):
        ids = [
            self.kc.execute("const before = 1; before"),
            self.kc.execute("throw new Error('cell 2 fails')"),
            self.kc.execute("console.log('must not run 3')"),
            self.kc.execute("console.log('must not run 4')"),
        ]
        iopub, replies = self.collect(ids)
        self.assertEqual([replies[i]["status"] for i in range(4)], ["ok", "error", "aborted", "aborted"])
        self.assertEqual(self.results(iopub), [(0, "1")])
        errors = [i for i, t, _, _ in iopub if t == "error"]
        self.assertEqual(errors, [1])
        for i in (2, 3):
            states = [c["execution_state"] for j, t, c, _ in iopub if j == i and t == "status"]
            self.assertEqual(states, ["busy", "idle"], f"aborted request {i}")
        after = self.kc.execute("before + 1")
        iopub, replies = self.collect([after])
        self.assertEqual((replies[0]["status"], self.results(iopub)), ("ok", [(0, "2")]))

    def test_silent_or_stop_on_error_false_requests_do_not_abort_the_queue(self):
        ids = [
            self.kc.execute("throw new Error('ignored')", stop_on_error=False),
            self.kc.execute("'runs'"),
        ]
        iopub, replies = self.collect(ids)
        self.assertEqual([replies[0]["status"], replies[1]["status"]], ["error", "ok"])
        self.assertEqual(self.results(iopub), [(1, '"runs"')])

    def test_asynchronous_errors_show_as_error_outputs_under_their_cell(self):
        codes = [
            "Promise.reject(new Error('late'));",  # a forgotten await
            "(async () => { throw new Error('x'); })();",
            "'still runs'",
            "setTimeout(() => { throw new Error('t'); }, 10);",
        ]
        ids = [self.kc.execute(code) for code in codes]  # queued at once, as Run All does
        iopub, replies = self.collect(ids)
        self.assertEqual([replies[i]["status"] for i in range(4)], ["ok"] * 4)
        self.assertIn((2, '"still runs"'), self.results(iopub))
        errors = self.errors(iopub, ids, 0.5)
        # the rejections arrive before their cell's idle; the timer's too, within the broker's
        # quiet spell, or else later, still under the last cell run
        self.assertEqual(
            [error[:3] for error in errors],
            [
                (0, "late", "Uncaught (in promise) Error: late"),
                (1, "x", "Uncaught (in promise) Error: x"),
                (3, "t", "Uncaught Error: t"),
            ],
        )
        self.assertEqual([error[3] for error in errors[:2]], [False, False])

    def test_a_later_asynchronous_error_goes_under_the_running_cell_or_else_the_last_one(self):
        ids = [
            self.kc.execute("setTimeout(() => { throw new Error('during the next'); }, 300);"),
            self.kc.execute("await new Promise((resolve) => setTimeout(resolve, 1000));"),
        ]
        iopub, replies = self.collect(ids)
        self.assertEqual([replies[0]["status"], replies[1]["status"]], ["ok", "ok"])
        errors = self.errors(iopub, ids, 0)
        self.assertEqual(errors, [(1, "during the next", "Uncaught Error: during the next", False)])
        # no cell running when it arrives: it goes under the last one run, after that one's idle
        last = self.kc.execute("setTimeout(() => { throw new Error('after all'); }, 300); 1")
        iopub, replies = self.collect([last])
        errors = self.errors(iopub, [last], 1.5)
        self.assertEqual(errors, [(0, "after all", "Uncaught Error: after all", True)])

    def test_asynchronous_errors_are_reported_after_a_restart(self):
        self.km.restart_kernel(now=False)
        self.kc.wait_for_ready(timeout=TIMEOUT)
        self.drain_iopub()
        ids = [self.kc.execute("Promise.reject(new Error('after the restart'));")]
        iopub, _ = self.collect(ids)
        errors = self.errors(iopub, ids, 0)
        self.assertEqual([error[:2] for error in errors], [(0, "after the restart")])

    def interrupt_long_cell(self, interrupt):
        long_cell = self.kc.execute("const t0 = Date.now(); while (Date.now() - t0 < 20000) {}")
        queued = self.kc.execute("console.log('must not run')")
        time.sleep(1.0)
        started = time.monotonic()
        interrupt()
        iopub, replies = self.collect([long_cell, queued])
        self.assertLess(time.monotonic() - started, 10, "the interrupt took too long")
        self.assertEqual([replies[0]["status"], replies[1]["status"]], ["error", "aborted"])
        self.assertEqual(self.results(iopub), [])
        self.assertTrue(self.km.is_alive())
        after = self.kc.execute("typeof t0")
        iopub, replies = self.collect([after])
        self.assertEqual((replies[0]["status"], self.results(iopub)), ("ok", [(0, '"number"')]))

    def test_interrupt_request_stops_a_long_cell_and_aborts_the_queue(self):
        self.assertEqual(self.km.kernel_spec.interrupt_mode, "message")
        self.interrupt_long_cell(self.km.interrupt_kernel)

    def test_sigint_to_the_broker_interrupts_like_an_interrupt_request(self):
        broker, _ = self.broker_and_kernel()
        self.interrupt_long_cell(lambda: os.kill(broker, signal.SIGINT))

    def test_restart_gives_a_fresh_kernel_and_leaves_no_process(self):
        first = self.kc.execute("const kept = 42; kept")
        self.collect([first])
        broker, kernel = self.broker_and_kernel()
        self.km.restart_kernel(now=False)
        self.kc.wait_for_ready(timeout=TIMEOUT)
        self.drain_iopub()
        for pid in (broker, kernel):
            self.assertFalse(process_alive(pid), f"process {pid} outlived the restart")
        after = self.kc.execute("typeof kept")
        iopub, replies = self.collect([after])
        self.assertEqual((replies[0]["status"], self.results(iopub)), ("ok", [(0, '"undefined"')]))

    def test_shutdown_leaves_no_process(self):
        broker, kernel = self.broker_and_kernel()
        self.km.shutdown_kernel(now=False)
        for pid in (broker, kernel):
            self.assertFalse(process_alive(pid), f"process {pid} outlived the shutdown")

    def test_a_killed_broker_takes_its_kernel_with_it(self):
        broker, kernel = self.broker_and_kernel()
        os.kill(broker, signal.SIGKILL)
        deadline = time.monotonic() + 5
        while process_alive(kernel) and time.monotonic() < deadline:
            time.sleep(0.1)
        self.assertFalse(process_alive(kernel), "the kernel outlived its broker")

    def test_a_malformed_message_is_dropped_and_the_kernel_lives_on(self):
        raw = self.km.connect_shell()
        raw.send_multipart([b"<IDS|MSG>", b"", b"not json", b"{}", b"{}", b"{}"])
        raw.send_multipart([b"no delimiter at all"])
        raw.close()
        time.sleep(0.5)
        self.assertTrue(self.km.is_alive())
        after = self.kc.execute("1 + 1")
        iopub, replies = self.collect([after])
        self.assertEqual((replies[0]["status"], self.results(iopub)), ("ok", [(0, "2")]))

    def test_other_channels_pass_through(self):
        # heartbeat: a REQ socket's ping comes back from the kernel
        ping = self.km.connect_hb()
        ping.send(b"ping 1")
        self.assertTrue(ping.poll(TIMEOUT * 1000), "no answer on the heartbeat channel")
        self.assertEqual(ping.recv(), b"ping 1")
        ping.close()
        # stdin: the input_request reaches the client that sent the execute_request
        asks = self.kc.execute("const name = prompt('name?'); name + '!'", allow_stdin=True)
        request = self.kc.get_stdin_msg(timeout=TIMEOUT)
        self.assertEqual((request["msg_type"], request["content"]["prompt"]), ("input_request", "name?"))
        self.kc.input("deno")
        iopub, replies = self.collect([asks])
        self.assertEqual(self.results(iopub), [(0, '"deno!"')])
        # completion and inspection, also while a cell runs
        busy = self.kc.execute("const t1 = Date.now(); while (Date.now() - t1 < 1000) {}")
        complete = self.kc.complete("Math.ma", 7)
        inspect = self.kc.inspect("Math.max", 6)
        info = self.kc.kernel_info()
        replies = {}
        deadline = time.monotonic() + TIMEOUT
        while len(replies) < 4 and time.monotonic() < deadline:
            reply = self.kc.get_shell_msg(timeout=TIMEOUT)
            replies[reply["parent_header"]["msg_id"]] = reply
        self.assertIn("max", replies[complete]["content"]["matches"])
        self.assertEqual(replies[inspect]["msg_type"], "inspect_reply")
        self.assertEqual(replies[inspect]["content"]["status"], "ok")
        self.assertEqual(replies[info]["content"]["language_info"]["name"], "typescript")
        self.assertEqual(replies[busy]["content"]["status"], "ok")


if __name__ == "__main__":
    unittest.main(verbosity=2)
