"""Threads: one Session shared by many threads gives every thread its own right answers, and a
request in flight does not hold the GIL (other Python threads run while it waits).

The two GIL checks measure time, with bounds wide enough that only a held GIL can break them:
a request that kept the GIL while its server slept would serialise the four sleeps (2 s instead
of 0.5 s) and freeze the ticking thread for the whole wait.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from types import ModuleType

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


def test_parallel_slow_calls(http: ModuleType, server: Server) -> None:
    with http.Session() as s:
        s.get(server.url + "/get")  # warm up: imports, pools
        start = time.monotonic()
        with ThreadPoolExecutor(4) as pool:
            codes = list(pool.map(lambda _: s.get(server.url + "/delay/0.5").status_code, range(4)))
        took = time.monotonic() - start
    assert codes == [200] * 4
    assert took < 1.5, f"4 requests of 0.5 s took {took:.2f} s: the GIL is held during I/O"


def test_python_runs_while_a_request_waits(http: ModuleType, server: Server) -> None:
    ticks: list[float] = []
    stop = threading.Event()

    def ticker() -> None:
        while not stop.is_set():
            ticks.append(time.monotonic())
            time.sleep(0.01)

    http.get(server.url + "/get")  # warm up
    thread = threading.Thread(target=ticker)
    thread.start()
    try:
        start = time.monotonic()
        assert http.get(server.url + "/delay/0.5").status_code == 200
        end = time.monotonic()
    finally:
        stop.set()
        thread.join()
    during = [t for t in ticks if start <= t <= end]
    # About 50 ticks if the ticker ran throughout; none if the request held the GIL.
    assert len(during) >= 10, f"{len(during)} ticks in {end - start:.2f} s"
