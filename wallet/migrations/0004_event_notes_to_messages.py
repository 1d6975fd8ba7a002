"""Notes the system wrote as text on WithdrawalEvent rows become message codes with parameters; the rest stay
typed notes (marketplace.legacy_notes). Undoing it writes the English text back."""

from django.db import migrations

from marketplace.legacy_notes import NotePattern, event_notes_convert, event_notes_restore

# The notes the system wrote on WithdrawalEvent rows before they had a message code, as written in each
# language; kept here as they were, whatever the catalogs say later.
PATTERNS = [
    NotePattern(
        'approval.not_needed',
        (
            'Below the approval threshold: no approval needed.',
            '未超过审核额度，无需审核。',
        ),
    ),
]


def notes_to_messages(apps, schema_editor):
    WithdrawalEvent = apps.get_model("wallet", "WithdrawalEvent")
    event_notes_convert(WithdrawalEvent, PATTERNS)
    # A failed payout's note is the provider's reason, as the provider gave it: it stays the note.
    WithdrawalEvent.objects.filter(new="failed", by=None, message="").update(message="payout.failed")


def messages_to_notes(apps, schema_editor):
    event_notes_restore(apps.get_model("wallet", "WithdrawalEvent"), PATTERNS, limit=200)


class Migration(migrations.Migration):
    dependencies = [
        ("wallet", "0003_event_message_params"),
    ]

    operations = [
        migrations.RunPython(notes_to_messages, messages_to_notes),
    ]
