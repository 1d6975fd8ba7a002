"""Writes for the wallet: `ledger` posts transactions, `withdrawals` moves money out."""
