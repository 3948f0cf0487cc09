"""Benchmarks: speed and memory targets are measured here, not in timed tests."""
