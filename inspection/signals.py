"""What the inspection desk tells the apps above it. Each is sent after the change has committed.

- `inspection_started(sender=Inspection, inspection=...)`: an inspector claimed the item; the item's
  owner may now be told it is being inspected (recycling moves the submission to `inspecting`).
- `inspection_completed(sender=Inspection, inspection=...)`: the result is final and the report is
  published: `inspection.result` is `passed` (with `grade`, and `authenticated` for luxury items) or
  `failed` (with `fail_reason`). recycling moves the submission to `offered` or `rejected`.
- `subjects_described(sender=Inspection, codes=[...])`: not news but a question, asked while a staff
  page is built: what did the sellers of these items declare? A receiver answers with
  `{code: inspection.subjects.SubjectDetails}` for the codes it knows (recycling, for submissions:
  the answers, the photos and what the photo checks flagged on them), reading them in a fixed number
  of queries whatever the number of codes.
"""

from django.dispatch import Signal

inspection_started = Signal()
inspection_completed = Signal()
subjects_described = Signal()
