"""Hiding all but the end of a number that identifies a person's account or one physical item.

What is hidden is hidden when a page or an API answer is built; the stored value stays whole for the
one service that needs it (the payout provider, the inspector's workbench).
"""

MASK = "••••"
KEEP = 4


def mask_tail(value: str, *, keep: int = KEEP) -> str:
    """ "6222020200116789" → "•••• 6789"; "C02XK1ZJJG5J" → "•••• JG5J". Only letters and digits count,
    so "35 693803 564380 9" keeps "3809". A value with no more than `keep` of them is hidden whole:
    showing its end would show all of it."""
    characters = [character for character in value if character.isalnum()]
    if len(characters) <= keep:
        return MASK if characters else ""
    return f"{MASK} {''.join(characters[-keep:])}"
