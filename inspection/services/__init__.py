"""Writes for inspections, one module per part of the desk:

- transitions: the state machine (`inspection_move`), the only place that assigns a status;
- workbench: enqueueing received items, claiming, recording checks, completing with a grade;
- authentication: the two-person authenticity verdicts and the escalation queue;
- reports: publishing the public report when an inspection completes.

Import from the module (`from inspection.services.workbench import inspection_claim`).
"""
