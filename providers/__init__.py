"""Service providers: Reloop's own inspection centre and its partners (inspection centres,
consignment partners, recyclers), their members, and whose queues a member works."""
