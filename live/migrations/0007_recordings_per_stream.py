"""A show keeps a recording per stream (an encoder that reconnects adds one), each with its length and
the media server's name for its file; a pin notes when its clip was deleted at the end of its keeping;
an item's clips are read newest first by an index of their own.

The recordings kept before (one per show) are measured here: their file's length as its container
says, or, where the file cannot be read, the span from the recording's start to the show's end."""

import logging
import tempfile
from decimal import Decimal
from pathlib import Path

import django.db.models.deletion
from django.db import migrations, models

logger = logging.getLogger(__name__)


def _measured(key: str) -> float | None:
    from listings.photos import private_storage
    from live.clips import ClipError, duration_of

    storage = private_storage()
    try:
        with tempfile.TemporaryDirectory(prefix="reloop-migrate-") as work:
            local = Path(work) / f"recording{Path(key).suffix}"
            with storage.open(key, "rb") as stored, local.open("wb") as copy:
                for chunk in iter(lambda: stored.read(1 << 20), b""):
                    copy.write(chunk)
            return duration_of(local)
    except (ClipError, OSError):
        logger.warning("Recording %s could not be measured", key, exc_info=True)
        return None


def measure_recordings(apps, schema_editor):
    ShowRecording = apps.get_model("live", "ShowRecording")
    for recording in ShowRecording.objects.select_related("show").iterator():
        seconds = _measured(recording.key)
        if seconds is None and recording.show.ended_at is not None:
            seconds = max(0.0, (recording.show.ended_at - recording.started_at).total_seconds())
        recording.duration = Decimal(str(round(seconds or 0.0, 2)))
        recording.save(update_fields=["duration"])


class Migration(migrations.Migration):

    dependencies = [
        ('live', '0006_show_cover'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='showrecording',
            options={'ordering': ['show', 'started_at', 'id'], 'verbose_name': 'recording', 'verbose_name_plural': 'recordings'},
        ),
        migrations.AlterField(
            model_name='showrecording',
            name='show',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='recordings', to='live.show', verbose_name='show'),
        ),
        migrations.AddField(
            model_name='showrecording',
            name='source',
            field=models.CharField(blank=True, max_length=300, verbose_name="media server's file"),
        ),
        migrations.AddField(
            model_name='showrecording',
            name='duration',
            field=models.DecimalField(decimal_places=2, default=0, max_digits=8, verbose_name='seconds long'),
            preserve_default=False,
        ),
        migrations.RunPython(measure_recordings, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='showrecording',
            constraint=models.UniqueConstraint(condition=models.Q(('source', ''), _negated=True), fields=('show', 'source'), name='show_recording_source_once'),
        ),
        migrations.AddField(
            model_name='showpin',
            name='clip_expired_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='clip deleted at'),
        ),
        migrations.AddIndex(
            model_name='showclip',
            index=models.Index(fields=['listing', '-created_at'], name='clip_listing_newest'),
        ),
    ]
