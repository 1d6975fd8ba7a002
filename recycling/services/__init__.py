"""Writes for submissions, one module per part of the flow:

- transitions: the state machine (`submission_move`), the only place that assigns a status;
- intake: creating a submission with its answers and photos, cancelling it;
- valuation: the pre-valuation job's service and estimate expiry;
- shipping: booking free shipping, carrier events, the receiving desk, unused labels.

Import from the module (`from recycling.services.intake import submission_create`).
"""
