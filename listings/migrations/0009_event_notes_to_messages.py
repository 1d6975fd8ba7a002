"""Notes the system wrote as text on ListingEvent rows, and the descriptions it wrote for the items it
inspected, become message codes with parameters; the rest stay as typed (marketplace.legacy_notes).
Undoing it writes the English text back."""

from django.db import migrations

from marketplace.legacy_notes import (
    NotePattern,
    compile_patterns,
    event_notes_convert,
    event_notes_restore,
    lines_match,
    note_write,
)

# The notes the system wrote on ListingEvent rows before they had a message code, as written in each
# language; kept here as they were, whatever the catalogs say later.
PATTERNS = [
    NotePattern(
        'seller.withdrew',
        (
            'withdrawn by seller',
        ),
    ),
    NotePattern(
        'order.reserved',
        (
            'Reserved by an order.',
            '已被订单锁定。',
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
            'The order was cancelled.',
            '订单已取消。',
        ),
    ),
    NotePattern(
        'order.paid',
        (
            'Paid by the buyer.',
            '买家已付款。',
        ),
    ),
    NotePattern(
        'order.paid_late',
        (
            'Paid late.',
            '超时后付款。',
        ),
    ),
    NotePattern(
        'order.returned',
        (
            'Returned by the buyer to the inspection centre: back on sale.',
            '买家已退回质检中心，重新上架在售。',
        ),
    ),
    NotePattern(
        'consignment.term_ended',
        (
            'Consignment term ended.',
            '寄卖期已结束。',
        ),
    ),
]


# The description the platform wrote for an item it inspected, line by line, before it stored codes.
DESCRIPTION_PATTERNS = [
    NotePattern(
        'inspected',
        (
            'Inspected by Reloop at its inspection centre.',
            '已由 Reloop 质检中心完成质检。',
        ),
    ),
    NotePattern(
        'grade',
        (
            'Grade %(grade)s (%(label)s): %(meaning)s',
            '成色 %(grade)s（%(label)s）：%(meaning)s',
        ),
        labels={
            'label': {
                'New with tags': 'N',
                'Like new': 'S',
                'Excellent': 'A',
                'Very good': 'B',
                'Good': 'C',
                'Fair': 'D',
                '全新': 'N',
                '99新': 'S',
                '95新': 'A',
                '9成新': 'B',
                '8成新': 'C',
                '8成新以下': 'D',
            },
            'meaning': {
                'Unused, in its original packaging with all tags and accessories.': 'N',
                "Used briefly; no marks you can see at arm's length or up close.": 'S',
                'Faint signs of use, such as hairline marks, visible only up close.': 'A',
                'Light wear you can see up close; everything works as it should.': 'B',
                'Clear signs of use such as scratches or scuffs; fully working.': 'C',
                'Heavy wear or minor faults, each described in the listing; priced to match.': 'D',
                '未使用，原包装，吊牌和配件齐全。': 'N',
                '短暂使用过，远看近看均无使用痕迹。': 'S',
                '有轻微使用痕迹（如细微划痕），仅近看可见。': 'A',
                '近看有轻微磨损，功能一切正常。': 'B',
                '有明显使用痕迹，如划痕或磕碰，功能完好。': 'C',
                '磨损较重或有小毛病，均已在商品描述中注明，价格相应更低。': 'D',
            },
        },
    ),
    NotePattern(
        'authenticated',
        (
            'Two authenticators confirmed that it is genuine.',
            '经两位鉴定师确认为正品。',
        ),
    ),
    NotePattern(
        'report',
        (
            'Inspection report: %(code)s',
            '质检报告：%(code)s',
        ),
    ),
]


def notes_to_messages(apps, schema_editor):
    event_notes_convert(apps.get_model("listings", "ListingEvent"), PATTERNS)
    Listing = apps.get_model("listings", "Listing")
    compiled = compile_patterns(DESCRIPTION_PATTERNS)
    changed = []
    rows = (
        Listing.objects.filter(source__in=("platform", "consigned"))
        .exclude(description="")
        .only("pk", "description")
        .order_by("pk")
    )
    for listing in rows.iterator(chunk_size=2000):
        found = lines_match(compiled, listing.description)
        if found is None:
            continue
        listing.description_parts = [{"message": line.message, "params": line.params} for line in found]
        listing.description = ""
        changed.append(listing)
    Listing.objects.bulk_update(changed, ["description_parts", "description"], batch_size=500)


def messages_to_notes(apps, schema_editor):
    event_notes_restore(apps.get_model("listings", "ListingEvent"), PATTERNS, limit=200)
    Listing = apps.get_model("listings", "Listing")
    changed = []
    for listing in Listing.objects.exclude(description_parts=[]).only("pk", "description", "description_parts"):
        lines = [note_write(DESCRIPTION_PATTERNS, part["message"], part["params"], "") for part in listing.description_parts]
        listing.description = "\n".join([*lines, listing.description]).strip()
        changed.append(listing)
    Listing.objects.bulk_update(changed, ["description"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("listings", "0008_event_message_params"),
    ]

    operations = [
        migrations.RunPython(notes_to_messages, messages_to_notes),
    ]
