"""GraphFraud benchmarks (issue 7): `python -m bench <name> [--scale tiny|small|medium|large]`.

Each prints a table side by side with its anchor and writes
`bench/results/<name>-<scale>.json` (and merges it into `bench/results/latest.json`).
"""
