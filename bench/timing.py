"""What the benchmarks share: the median time of a call."""
import statistics
import time


def median_ms(function, repeat):
    """The median time of `function()` in milliseconds."""
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        function()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)
