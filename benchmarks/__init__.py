"""Performance benchmarks of datis-docs, run by `python -m benchmarks.run`.

Each benchmark module exposes one `BENCHMARK` (benchmarks.common.Benchmark): a name, a French
title and a function that measures and returns table rows. The list in benchmarks.run is the
registry; a new benchmark is one more module and one more entry there.
"""
