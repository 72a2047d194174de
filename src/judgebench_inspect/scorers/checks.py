"""A run that mostly failed to give verdicts says so: in the log and in the terminal.

A prompt or parser that does not fit the model (or a server answering something
else) makes most games end without a verdict, and the accuracy then looks like
a bad judge rather than a broken run. At the end of a judge run this module
checks the share of games without a verdict and the share of ties; past
:data:`NO_VERDICT_WARN` or :data:`TIE_WARN` it writes a warning naming the
share and one such reply.

Where the warning goes, with what Inspect 0.3.285 offers:

- The log: a task's metadata cannot change once the run has started, and a
  metric's value must be a number. A scorer's registry metadata, though, is
  copied into the log's results (``results.scores[i].metadata``) when the run
  ends. The judge task gives its scorer a :class:`RunNotes` there, which the
  :func:`verdict_checks` metric fills as it computes; the notes object is
  shared, not copied, so what the final computation writes is what the log
  keeps: ``results.scores[0].metadata["checks"]["warnings"]``. The metric's own
  value, ``verdict_warnings``, counts the warnings (0 for a healthy run).
- The terminal: a hook prints each warning when the task ends.
"""

from __future__ import annotations

import logging
from typing import Any

from inspect_ai.hooks import Hooks, TaskEnd, hooks
from inspect_ai.scorer import Metric, SampleScore, Value, metric

logger = logging.getLogger(__name__)

#: Warn when more than this share of games has no verdict.
NO_VERDICT_WARN = 0.5
#: Warn when more than this share of games is a tie (JudgeBench's o1-mini run: about 6%).
TIE_WARN = 0.5
#: Key of the notes in the scorer's metadata (and so in the log's results).
CHECKS_KEY = "checks"
#: Characters of a reply quoted in a warning.
EXCERPT = 200


class RunNotes(dict[str, Any]):
    """Notes a metric writes at the end of a run, for the scorer's metadata in the log.

    Inspect deep-copies a scorer's metadata into the results before it computes
    the metrics; this dict survives the copy as itself, so the notes the metric
    writes afterwards reach the log.
    """

    def __deepcopy__(self, memo: dict[int, Any]) -> "RunNotes":
        return self


def excerpt(text: str | None) -> str:
    """The start of a reply, on one line, for a warning.

    Args:
      text: The judge's reply.
    """
    flat = " ".join((text or "").split())
    return flat if len(flat) <= EXCERPT else flat[:EXCERPT] + "..."


def verdict_warnings(scores: list[SampleScore]) -> list[str]:
    """Warnings about a run where most games have no verdict or are ties.

    Args:
      scores: The pair scores of the run (values as :func:`pair_scorer` makes them;
        metadata ``replies``: a reply without a verdict and a tie reply, where any).
    """
    games = no_verdict = ties = 0
    examples: dict[str, str] = {}
    for s in scores:
        value = s.score.value
        if not isinstance(value, dict):
            continue
        games += int(value.get("games", 0))
        no_verdict += int(value.get("no_verdict", 0))
        ties += int(value.get("ties", 0))
        for kind, text in ((s.score.metadata or {}).get("replies") or {}).items():
            examples.setdefault(kind, f"pair {s.sample_id}: {text!r}")
    warnings = []
    if games and no_verdict / games > NO_VERDICT_WARN:
        warnings.append(
            f"{100 * no_verdict / games:.0f}% of games ({no_verdict} of {games}) have no verdict: the "
            "judge's replies do not fit the strategy's parser (wrong prompt, parser or model, or a "
            f"server answering something else). A reply: {examples.get('no_verdict', '(none kept)')}"
        )
    if games and ties / games > TIE_WARN:
        warnings.append(
            f"{100 * ties / games:.0f}% of games ({ties} of {games}) are ties, unusually many. "
            f"A reply: {examples.get('tie', '(none kept)')}"
        )
    return warnings


def verdict_checks(notes: RunNotes) -> Metric:
    """A metric ``verdict_warnings``: how many warnings the run earned; the text goes to ``notes``.

    Args:
      notes: Filled with ``warnings`` (a list of strings) at every computation.
    """

    @metric(name="verdict_warnings")
    def verdict_warnings_metric() -> Metric:
        def compute(scores: list[SampleScore]) -> Value:
            found = verdict_warnings(scores)
            notes["warnings"] = found
            return float(len(found))

        return compute

    return verdict_warnings_metric()


@hooks(name="judgebench_verdict_checks", description="Warns when most games of a JudgeBench run have no verdict")
class VerdictCheckHook(Hooks):
    """Prints the warnings a judge run left in its log when the task ends."""

    async def on_task_end(self, data: TaskEnd) -> None:
        """Print the run's verdict warnings to the terminal.

        Args:
          data: The finished task's event data.
        """
        results = data.log.results
        for score in results.scores if results else []:
            for warning in ((score.metadata or {}).get(CHECKS_KEY) or {}).get("warnings") or []:
                logger.warning("JudgeBench run %s: %s", data.log.eval.task, warning)
