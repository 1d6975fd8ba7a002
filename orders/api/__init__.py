"""The orders REST API under /api/v1/: a buyer's orders and a seller's sales (`orders`), and the
operations queues (`staff`). Serializers and the list of actions an order offers are shared by both."""
