"""Notes the system wrote as text on ConsignmentEvent rows become message codes with parameters; the rest stay
typed notes (marketplace.legacy_notes). Undoing it writes the English text back."""

from django.db import migrations

from marketplace.legacy_notes import NotePattern, event_notes_convert, event_notes_restore

# The notes the system wrote on ConsignmentEvent rows before they had a message code, as written in each
# language; kept here as they were, whatever the catalogs say later.
PATTERNS = [
    NotePattern(
        'sold',
        (
            'Sold for %(price)s, order %(order)s.',
            '以 %(price)s 售出，订单 %(order)s。',
        ),
        money=('price',),
    ),
    NotePattern(
        'returned',
        (
            'The buyer returned it; on sale again.',
            '买家已退货，重新上架在售。',
        ),
    ),
    NotePattern(
        'unsold',
        (
            'Not sold by %(date)s.',
            '截至 %(date)s 未售出。',
        ),
    ),
    NotePattern(
        'sent_back',
        (
            'Sent back free: %(carrier)s %(tracking)s',
            '已免费寄回：%(carrier)s %(tracking)s',
        ),
    ),
    NotePattern(
        'bought_out',
        (
            'Sold to Reloop.',
            '已卖给 Reloop。',
        ),
    ),
    NotePattern(
        'settled',
        (
            '%(payout)s paid to the wallet: %(released)s less %(commission)s commission.',
            '%(payout)s 已打入钱包：%(released)s 扣除佣金 %(commission)s。',
        ),
        money=('payout', 'released', 'commission'),
    ),
]


def notes_to_messages(apps, schema_editor):
    event_notes_convert(apps.get_model("consignment", "ConsignmentEvent"), PATTERNS)


def messages_to_notes(apps, schema_editor):
    event_notes_restore(apps.get_model("consignment", "ConsignmentEvent"), PATTERNS, limit=200)


class Migration(migrations.Migration):
    dependencies = [
        ("consignment", "0002_event_message_params"),
    ]

    operations = [
        migrations.RunPython(notes_to_messages, messages_to_notes),
    ]
