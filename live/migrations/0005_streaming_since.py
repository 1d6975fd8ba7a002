"""When a show's stream began coming in."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('live', '0004_recordings_and_clips'),
    ]

    operations = [
        migrations.AddField(
            model_name='show',
            name='streaming_since',
            field=models.DateTimeField(blank=True, null=True, verbose_name='streaming since'),
        ),
    ]
