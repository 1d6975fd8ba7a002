"""Writes for orders, one module per part of the journey:

- `transitions`: the order state machine (`order_move`), the only code that sets `Order.status`;
- `money`: the ledger postings an order makes (payment into escrow, the shipping fee, refunds, release
  on completion);
- `checkout`: "buy now", reservations and their release, starting a payment;
- `payments`: applying the payment provider's webhook events, refunds at the provider;
- `fulfilment`: shipping, delivery, confirmation and completion;
- `returns`: return requests and "not as described" disputes;
- `ratings`: the buyer's rating of the seller.
"""
