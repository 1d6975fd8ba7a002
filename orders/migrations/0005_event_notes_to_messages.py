"""Notes the system wrote as text on OrderEvent rows become message codes with parameters; the rest stay
typed notes (marketplace.legacy_notes). Undoing it writes the English text back."""

from django.db import migrations

from marketplace.legacy_notes import NotePattern, event_notes_convert, event_notes_restore

# The notes the system wrote on OrderEvent rows before they had a message code, as written in each
# language; kept here as they were, whatever the catalogs say later.
PATTERNS = [
    NotePattern(
        'order.placed',
        (
            'Ordered; the item is reserved while the buyer pays.',
            '已下单，买家付款期间商品已锁定。',
        ),
    ),
    NotePattern(
        'order.lapsed',
        (
            'Not paid within %(minutes)d minutes: the item went back on sale.',
            '未在 %(minutes)d 分钟内付款，商品已重新上架。',
        ),
    ),
    NotePattern(
        'order.cancelled',
        (
            'Cancelled by the buyer.',
            '买家已取消。',
        ),
    ),
    NotePattern(
        'payment.received',
        (
            'Payment received.',
            '已收到付款。',
        ),
    ),
    NotePattern(
        'payment.received_late',
        (
            'Payment received after the reservation had ended; the item was still available.',
            '锁定结束后才收到付款，商品当时仍可出售。',
        ),
    ),
    NotePattern(
        'payment.late_taken_off_sale',
        (
            'Your payment arrived after the reservation had ended and the seller had taken the item off sale. The full amount is being refunded to your card.',
            '你的付款在锁定结束后才到账，而卖家已下架该商品。全部款项正原路退回你的银行卡。',
        ),
    ),
    NotePattern(
        'payment.late_sold',
        (
            'Your payment arrived after the reservation had ended and the item had been sold to someone else. The full amount is being refunded to your card.',
            '你的付款在锁定结束后才到账，而该商品已售给其他买家。全部款项正原路退回你的银行卡。',
        ),
    ),
    NotePattern(
        'order.shipped',
        (
            'Shipped with %(carrier)s, tracking number %(tracking)s.',
            '已通过 %(carrier)s 发货，运单号 %(tracking)s。',
        ),
    ),
    NotePattern(
        'order.delivered',
        (
            'Delivered.',
            '已送达。',
        ),
    ),
    NotePattern(
        'order.delivered_by_carrier',
        (
            'Delivered, says %(carrier)s.',
            '%(carrier)s 显示已送达。',
        ),
    ),
    NotePattern(
        'order.received_by_buyer',
        (
            'The buyer has received the item.',
            '买家已收到商品。',
        ),
    ),
    NotePattern(
        'order.receipt_confirmed',
        (
            'The buyer confirmed receipt.',
            '买家已确认收货。',
        ),
    ),
    NotePattern(
        'order.return_window_closed',
        (
            'The return window closed; the sale is complete.',
            '退货期已结束，交易完成。',
        ),
    ),
    NotePattern(
        'return.requested',
        (
            'Return requested: %(reason)s',
            '申请退货：%(reason)s',
        ),
        note='reason',
    ),
    NotePattern(
        'return.withdrawn',
        (
            'The buyer withdrew the return.',
            '买家已撤销退货。',
        ),
    ),
    NotePattern(
        'return.arrived',
        (
            'The returned item arrived.',
            '退回的商品已签收。',
        ),
    ),
    NotePattern(
        'refund.full',
        (
            'Refunded in full: %(amount)s.',
            '已全额退款：%(amount)s。',
        ),
        money=('amount',),
    ),
    NotePattern(
        'dispute.opened',
        (
            'The buyer says the item is not as described.',
            '买家反馈商品与描述不符。',
        ),
    ),
    NotePattern(
        'dispute.resolved',
        (
            'Dispute resolved: %(outcome)s. %(note)s',
            '纠纷已裁定：%(outcome)s。%(note)s',
        ),
        labels={
            'outcome': {
                'Full refund': 'full_refund',
                'Partial refund': 'partial_refund',
                'Rejected': 'rejected',
                '全额退款': 'full_refund',
                '部分退款': 'partial_refund',
                '驳回': 'rejected',
            },
        },
        note='note',
    ),
]


def notes_to_messages(apps, schema_editor):
    event_notes_convert(apps.get_model("orders", "OrderEvent"), PATTERNS)


def messages_to_notes(apps, schema_editor):
    event_notes_restore(apps.get_model("orders", "OrderEvent"), PATTERNS, limit=300)


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0004_event_message_params"),
    ]

    operations = [
        migrations.RunPython(notes_to_messages, messages_to_notes),
    ]
