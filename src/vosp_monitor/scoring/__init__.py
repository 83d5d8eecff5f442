"""Scoring: pure vector functions from indicator values to places.

``methods`` turns values into points and scores 0–100 (one spec per scoring method),
``aggregation`` folds scores up the block tree (for one set of weights or thousands at
once), ``ranking`` gives places, ties and places within peer groups. No I/O.
"""
