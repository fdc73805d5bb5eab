"""Qamqor's benchmarks (bench/README.md). A package only so that tests can import the runner."""
