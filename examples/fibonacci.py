"""The README's first program: `pyaot examples/fibonacci.py` must print what `python3` prints."""


def fib(n: int) -> int:
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


for n in (10, 50, 90, 100, 300):
    print(f"fib({n}) = {fib(n)}")
