"""Writes for consignments, one module per part of the agreement's life:

- errors: ConsignmentError, the bad input and forbidden moves a seller can understand and fix;
- agreement: the seller accepts the consignment terms of a final offer (`consignment_accept`);
- pricing: the beat job's scheduled price drops (`price_drops_apply`);
- lifecycle: a sale (`consignment_sold`, and `consignments_sold_catch_up` for a lost `order_paid`), the end of the term (`consignment_terms_end`) and the
  seller's choice for an unsold item (`consignment_return`, `consignment_buyout_accept`);
- paying the seller after the return window lives in `consignment.settlement`, its own module.

The state machine is consignment.services.transitions.consignment_move. Import from the module
(`from consignment.services.agreement import consignment_accept`).
"""
