"""Notes the system wrote as text on InspectionEvent rows become message codes with parameters; the rest stay
typed notes (marketplace.legacy_notes). Undoing it writes the English text back."""

from django.db import migrations

from marketplace.legacy_notes import NotePattern, event_notes_convert, event_notes_restore

# The notes the system wrote on InspectionEvent rows before they had a message code, as written in each
# language; kept here as they were, whatever the catalogs say later.
PATTERNS = [
    NotePattern(
        'queued',
        (
            'Received; waiting for inspection.',
            '已签收，等待质检。',
        ),
    ),
    NotePattern(
        'claimed',
        (
            'Claimed by %(name)s.',
            '已由 %(name)s 领取。',
        ),
    ),
    NotePattern(
        'released',
        (
            'Handed back to the queue by %(name)s.',
            '已由 %(name)s 退回待检队列。',
        ),
    ),
    NotePattern(
        'check.recorded',
        (
            'Check %(check)s recorded: %(outcome)s.',
            '已记录检测项 %(check)s：%(outcome)s。',
        ),
        labels={
            'outcome': {
                'Pass': 'pass',
                'Defect': 'defect',
                '通过': 'pass',
                '瑕疵': 'defect',
            },
        },
    ),
    NotePattern(
        'failed',
        (
            'Failed: %(reason)s.',
            '未通过：%(reason)s。',
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
        'passed.grade_changed',
        (
            'Passed. Grade %(grade)s (computed %(computed)s): %(reason)s',
            '已通过。成色 %(grade)s（系统计算为 %(computed)s）：%(reason)s',
        ),
        note='reason',
    ),
    NotePattern(
        'passed',
        (
            'Passed. Grade %(grade)s.',
            '已通过。成色 %(grade)s。',
        ),
    ),
    NotePattern(
        'awaiting_authenticators.grade_changed',
        (
            'Inspected; waiting for two authenticators. Grade %(grade)s (computed %(computed)s): %(reason)s',
            '已质检，等待两位鉴定师鉴定。成色 %(grade)s（系统计算为 %(computed)s）：%(reason)s',
        ),
        note='reason',
    ),
    NotePattern(
        'awaiting_authenticators',
        (
            'Inspected; waiting for two authenticators. Grade %(grade)s.',
            '已质检，等待两位鉴定师鉴定。成色 %(grade)s。',
        ),
    ),
    NotePattern(
        'verdict.given',
        (
            'Authenticity verdict: %(verdict)s. %(note)s',
            '鉴定结论：%(verdict)s。%(note)s',
        ),
        labels={
            'verdict': {
                'Genuine': 'genuine',
                'Counterfeit': 'counterfeit',
                '正品': 'genuine',
                '假货': 'counterfeit',
            },
        },
        note='note',
    ),
    NotePattern(
        'authenticated.genuine',
        (
            'Authenticated: genuine. %(note)s',
            '鉴定结果：正品。%(note)s',
        ),
        note='note',
    ),
    NotePattern(
        'authenticated.counterfeit',
        (
            'Authenticated: counterfeit. %(note)s',
            '鉴定结果：假货。%(note)s',
        ),
        note='note',
    ),
    NotePattern(
        'authenticators.disagree',
        (
            'The authenticators disagree; escalated.',
            '鉴定师结论不一致，已升级处理。',
        ),
    ),
]


def notes_to_messages(apps, schema_editor):
    event_notes_convert(apps.get_model("inspection", "InspectionEvent"), PATTERNS)


def messages_to_notes(apps, schema_editor):
    event_notes_restore(apps.get_model("inspection", "InspectionEvent"), PATTERNS, limit=300)


class Migration(migrations.Migration):
    dependencies = [
        ("inspection", "0004_event_message_params"),
    ]

    operations = [
        migrations.RunPython(notes_to_messages, messages_to_notes),
    ]
