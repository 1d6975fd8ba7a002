"""The recycling REST API under /api/v1/: a seller's submissions (`submissions`), read and validated by
the serializers in `serializers`; every write goes through recycling.services."""
