"""Benchmarks: scripts that measure, not tests. Each writes JSON to bench/results/ (the full runs,
shipped with the repo and shown in the app) or to --out (quick smoke runs)."""
