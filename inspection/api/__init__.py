"""The inspection workbench REST API under /api/v1/inspections/: the queue, claiming, recording checks,
completing, and authenticity verdicts (`workbench`), read and validated by the serializers in
`serializers`; every write goes through inspection.services."""
