"""Building pairs: new JudgeBench pairs from any model, checked against ground truth.

Everything of the feature that is not a task, solver or scorer (those are
``tasks/generate.py``, ``tasks/solve.py``, ``solvers/generate.py``,
``solvers/solve.py``, ``scorers/generate.py``, ``scorers/solve.py``):

- :mod:`.sources`: the source loaders (MMLU-Pro, LiveBench, LiveCodeBench) and
  :class:`~.sources.SourceQuestion`.
- :mod:`.checkers`: the answer checkers, LiveCodeBench's sandbox runner and
  compose file, the LiveBench math worker pool.
- :mod:`.kinds`: the four source kinds as the tasks see them (selection,
  loading, checking, provenance).
- :mod:`.questions`: the question registry the solvers look their questions up in.
- :mod:`.grader`: the optional second grader (a model given the ground truth).
- :mod:`.pairs`: candidates -> pairs (seeded placement, uuid5 ids, quota).
- :mod:`.match`: JudgeBench pairs -> their source questions (for the solve task).
- :mod:`.cli`: ``judgebench pairs LOG -o pairs.jsonl``.

Reading pairs out of a generate log and writing pairs files is the dataset
layer's (:mod:`judgebench_inspect.dataset`).
"""
