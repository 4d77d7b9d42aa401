"""Fair under abuse (issue 22): one guest cannot stall the server for another learner."""

from __future__ import annotations

import re
import subprocess
import sys

from penguin_core.server.clients import RerunBudget, client_address
from tests.browser.harness import ROOT


def test_a_session_gets_its_burst_then_its_rate_and_an_address_is_shared_by_its_sessions():
    budget = RerunBudget(session_rate=5, session_burst=3, client_rate=10, client_burst=4)
    assert [budget.ask("tab 1", "10.0.0.66", now=0.0) for _ in range(3)] == [0, 0, 0]
    assert budget.ask("tab 1", "10.0.0.66", now=0.0) == 0.2  # its burst spent: one more in 1/5 s
    assert budget.ask("tab 2", "10.0.0.66", now=0.0) == 0  # the address has one left...
    assert budget.ask("tab 3", "10.0.0.66", now=0.0) == 0.1  # ... and then waits for its rate
    assert budget.ask("tab 9", "10.0.0.7", now=0.0) == 0  # another address is untouched
    assert budget.ask("tab 1", "10.0.0.66", now=0.2) == 0


def test_the_proxys_header_names_the_client_only_when_configured(monkeypatch):
    headers = [("Host", "lab"), ("X-Real-IP", "10.0.0.66")]
    monkeypatch.delenv("PENGUIN_CLIENT_HEADER", raising=False)
    assert client_address(headers, "127.0.0.1") == "127.0.0.1"  # a browser could send any header
    monkeypatch.setenv("PENGUIN_CLIENT_HEADER", "X-Real-IP")
    assert client_address(headers, "127.0.0.1") == "10.0.0.66"
    assert client_address([("Host", "lab")], None) == "local"


def test_another_learner_is_served_within_2_s_while_a_guest_floods_or_queues_many_labs():
    """benchmarks/flood.py, shortened: before, the flood left the other learner unserved for 30 s and more,
    and a Train click behind the guest's 4 big runs took 37.5 to 74.9 s."""
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "flood.py"), "--seconds", "8", "--tries", "2",
                           "--timeout", "60"], capture_output=True, text=True, timeout=900, cwd=ROOT)
    lines = [line for line in done.stdout.splitlines() if "(target: both within 2 s)" in line]
    assert len(lines) == 3 and all(line.endswith(" met") for line in lines), done.stdout[-3000:] + done.stderr[-2000:]
    asked = re.search(r"the guest asked for (\d+) reruns", done.stdout)
    assert asked and int(asked.group(1)) > 1000  # it did flood
    assert done.returncode == 0


def test_a_message_of_millions_of_numbers_is_cut_off_before_it_is_parsed():
    """Issue 22: 4 million numbers in the neuron calculator took 6.2 s and 1.15 GB; 4 tabs peaked at 4.0 GB.
    The server now closes a connection sending more than 1 MB at once (.streamlit/config.toml), and the
    calculator's boxes take at most 500 characters."""
    import asyncio
    import concurrent.futures

    from benchmarks.stclient import Tab
    from tests.browser.harness import resident_mb, start_server, stop_server

    async def flood(url):
        tab = await Tab.open(url, "neuron")
        try:
            await tab.set("neuron_inputs", "1," * 2_000_000, timeout=20)
        except Exception:  # noqa: BLE001 - the server closed the connection: what is checked below
            pass
        closed = any("1009" in problem for problem in tab.problems)
        await tab.close()
        other = await Tab.open(url, "neuron")  # another learner, served
        await other.set("neuron_inputs", "1," * 400, timeout=20)
        said = other.texts()
        await other.close()
        return closed, said

    process, url = start_server()
    try:
        with concurrent.futures.ThreadPoolExecutor(1) as thread:  # the browser tests' loop may run in this one
            closed, said = thread.submit(asyncio.run, flood(url)).result()
        assert closed
        assert any("at most 20 values" in text for text in said), said[-5:]  # 800 characters cut to 500
        assert resident_mb(process.pid) < 1000
    finally:
        stop_server(process)
