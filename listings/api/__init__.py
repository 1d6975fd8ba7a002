"""The listings REST API under /api/v1/: the public channel (`channel`) and a seller's own listings
(`selling`). Serializers and the keyset page adapter are shared between them."""
