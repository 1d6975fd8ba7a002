"""recycling's side of the inspection desk's signals (inspection/signals.py), connected in apps.py.

The signals are sent after the inspection has committed, so a failure here cannot undo it: each
handler applies the news in its own transaction (recycling/services/outcome.py), safe to run twice.
"""

from inspection.models import Inspection
from recycling.services.outcome import submission_inspection_completed, submission_inspection_started


def on_inspection_started(sender, *, inspection: Inspection, **kwargs) -> None:
    submission_inspection_started(inspection=inspection)


def on_inspection_completed(sender, *, inspection: Inspection, **kwargs) -> None:
    submission_inspection_completed(inspection=inspection)
