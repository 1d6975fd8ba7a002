"""Notes the system wrote as text on SubmissionEvent rows become message codes with parameters; the rest stay
typed notes (marketplace.legacy_notes). Undoing it writes the English text back."""

from django.db import migrations

from marketplace.legacy_notes import NotePattern, event_notes_convert, event_notes_restore

# The notes the system wrote on SubmissionEvent rows before they had a message code, as written in each
# language; kept here as they were, whatever the catalogs say later.
PATTERNS = [
    NotePattern(
        'shipping.booked',
        (
            'Free shipping booked: %(carrier)s %(tracking)s',
            '已预约免费寄送：%(carrier)s %(tracking)s',
        ),
    ),
    NotePattern(
        'shipping.label_unused',
        (
            'The shipping label was not used within %(days)d days.',
            '面单未在 %(days)d 天内使用。',
        ),
    ),
    NotePattern(
        'parcel.received',
        (
            'Received at the inspection centre.',
            '质检中心已签收。',
        ),
    ),
    NotePattern(
        'return.booked',
        (
            'Free return booked: %(carrier)s %(tracking)s',
            '已预约免费退回：%(carrier)s %(tracking)s',
        ),
    ),
    NotePattern(
        'return.delivered',
        (
            'The carrier delivered the item back to the seller (%(tracking)s).',
            '快递公司已将商品送回卖家（%(tracking)s）。',
        ),
    ),
    NotePattern(
        'inspection.started',
        (
            'An inspector is checking the item.',
            '质检员正在检测商品。',
        ),
    ),
    NotePattern(
        'inspection.passed',
        (
            'Passed inspection with grade %(grade)s; report %(report)s.',
            '质检通过，成色 %(grade)s；质检报告 %(report)s。',
        ),
    ),
    NotePattern(
        'inspection.failed',
        (
            'Failed inspection: %(reason)s; report %(report)s.',
            '质检未通过：%(reason)s；质检报告 %(report)s。',
        ),
        labels={
            'reason': {
                'Counterfeit': 'counterfeit',
                'Not as declared': 'not_as_declared',
                'Prohibited item': 'prohibited',
                '假货': 'counterfeit',
                '与描述不符': 'not_as_declared',
                '违禁物品': 'prohibited',
            },
        },
    ),
    NotePattern(
        'offer.cash_accepted',
        (
            'Cash offer of %(amount)s accepted.',
            '已接受回收价 %(amount)s。',
        ),
        money=('amount',),
    ),
    NotePattern(
        'offer.paid',
        (
            "%(amount)s paid to the seller's wallet.",
            '%(amount)s 已打入卖家钱包。',
        ),
        money=('amount',),
    ),
    NotePattern(
        'offer.declined',
        (
            'Offer declined; the item goes back to the seller free of charge.',
            '报价已被拒绝，商品将免费寄回给卖家。',
        ),
    ),
    NotePattern(
        'offer.expired',
        (
            'No answer before the offer expired; the item goes back free of charge.',
            '报价过期前未收到回复，商品将免费寄回。',
        ),
    ),
    NotePattern(
        'consignment.accepted',
        (
            'Consignment accepted: list price %(price)s, floor %(floor)s.',
            '已接受寄卖：挂牌价 %(price)s，最低价 %(floor)s。',
        ),
        money=('price', 'floor'),
    ),
    NotePattern(
        'consignment.on_sale',
        (
            'On sale at %(price)s.',
            '以 %(price)s 上架销售。',
        ),
        money=('price',),
    ),
    NotePattern(
        'consignment.sold',
        (
            'Bought for %(price)s, order %(order)s.',
            '以 %(price)s 购入，订单 %(order)s。',
        ),
        money=('price',),
    ),
    NotePattern(
        'consignment.returned',
        (
            'The buyer returned it; on sale again.',
            '买家已退货，重新上架在售。',
        ),
    ),
    NotePattern(
        'consignment.unsold',
        (
            'Not sold within the term: taken off sale.',
            '寄卖期内未售出，已下架。',
        ),
    ),
    NotePattern(
        'consignment.settled',
        (
            '%(payout)s paid to the wallet: %(released)s less %(commission)s commission.',
            '%(payout)s 已打入钱包：%(released)s 扣除佣金 %(commission)s。',
        ),
        money=('payout', 'released', 'commission'),
    ),
]


def notes_to_messages(apps, schema_editor):
    event_notes_convert(apps.get_model("recycling", "SubmissionEvent"), PATTERNS)


def messages_to_notes(apps, schema_editor):
    event_notes_restore(apps.get_model("recycling", "SubmissionEvent"), PATTERNS, limit=200)


class Migration(migrations.Migration):
    dependencies = [
        ("recycling", "0006_event_message_params"),
    ]

    operations = [
        migrations.RunPython(notes_to_messages, messages_to_notes),
    ]
