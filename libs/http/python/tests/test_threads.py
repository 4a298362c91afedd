"""Threads: one Session shared by many threads gives every thread its own right answers, and a
request in flight does not hold the GIL (other Python threads run while it waits).

The GIL checks use rendezvous points in the server rather than time: four requests that must
be in the server at once, and a request the test thread releases while it waits.
"""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from types import ModuleType

import server as servers
from server import Server

THREADS = 8
REQUESTS_PER_THREAD = 50


def test_shared_session(http: ModuleType, server: Server) -> None:
    with http.Session() as s:
        s.headers["X-Shared"] = "yes"

        def worker(thread: int) -> list[tuple[int, int]]:
            seen = []
            for i in range(REQUESTS_PER_THREAD):
                if i % 5 == 4:
                    r = s.post(server.url + "/post", json={"t": thread, "i": i})
                    document = r.json()["json"]
                else:
                    r = s.get(server.url + "/get", params={"t": thread, "i": i})
                    document = {k: int(v) for k, v in r.json()["args"]}
                assert r.status_code == 200
                assert r.json()["headers"]["x-shared"] == "yes"
                seen.append((document["t"], document["i"]))
            return seen

        with ThreadPoolExecutor(THREADS) as pool:
            results = list(pool.map(worker, range(THREADS)))
    for thread, seen in enumerate(results):
        assert seen == [(thread, i) for i in range(REQUESTS_PER_THREAD)]


def test_shared_session_cookies(http: ModuleType, server: Server) -> None:
    with http.Session() as s:

        def worker(thread: int) -> None:
            for i in range(10):
                s.get(server.url + f"/cookies/set?c{thread}={i}")

        with ThreadPoolExecutor(4) as pool:
            list(pool.map(worker, range(4)))
        assert s.cookies.get_dict() == {f"c{t}": "9" for t in range(4)}


def test_parallel_calls_are_in_flight_together(http: ModuleType, server: Server) -> None:
    # The server answers only when all four requests are inside it at once: that needs four
    # requests in flight together, so none may hold the GIL while it waits.
    key = uuid.uuid4().hex
    with http.Session() as s:
        with ThreadPoolExecutor(4) as pool:
            answers = list(pool.map(lambda _: s.get(f"{server.url}/barrier/{key}/4"), range(4)))
    assert [(r.status_code, r.json()) for r in answers] == [(200, {"together": True})] * 4


def test_python_runs_while_a_request_waits(http: ModuleType, server: Server) -> None:
    # The request waits in the server until this thread, running Python, releases it.
    key = uuid.uuid4().hex
    arrived, release = servers.rendezvous(key)
    with ThreadPoolExecutor(1) as pool:
        pending = pool.submit(http.get, f"{server.url}/wait/{key}")
        assert arrived.wait(10), "the request never reached the server"
        assert not pending.done()
        release.set()
        r = pending.result()
    assert (r.status_code, r.json()) == (200, {"released": True})
