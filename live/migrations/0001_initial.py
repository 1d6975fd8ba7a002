"""Live shows, their timeline, line-ups and RSVPs."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('listings', '0018_seller_counts'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Show',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=120, verbose_name='title')),
                ('starts_at', models.DateTimeField(verbose_name='starts at')),
                ('status', models.CharField(choices=[('scheduled', 'Scheduled'), ('live', 'Live'), ('ended', 'Ended'), ('cancelled', 'Cancelled')], default='scheduled', max_length=10, verbose_name='status')),
                ('platform', models.BooleanField(default=False, verbose_name="Reloop's show")),
                ('ingest_key', models.CharField(max_length=64, unique=True, verbose_name='ingest key')),
                ('stream_name', models.CharField(max_length=32, unique=True, verbose_name='stream name')),
                ('playback_url', models.CharField(max_length=300, verbose_name='playback URL')),
                ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='started at')),
                ('ended_at', models.DateTimeField(blank=True, null=True, verbose_name='ended at')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('host', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='shows', to=settings.AUTH_USER_MODEL, verbose_name='host')),
            ],
            options={
                'verbose_name': 'live show',
                'verbose_name_plural': 'live shows',
                'permissions': [('host_show', 'Can host live shows')],
            },
        ),
        migrations.CreateModel(
            name='ShowEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('message', models.CharField(blank=True, max_length=60, verbose_name='message')),
                ('params', models.JSONField(blank=True, default=dict, verbose_name='message parameters')),
                ('note', models.CharField(blank=True, max_length=300, verbose_name='note')),
                ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='time')),
                ('old', models.CharField(blank=True, choices=[('scheduled', 'Scheduled'), ('live', 'Live'), ('ended', 'Ended'), ('cancelled', 'Cancelled')], max_length=10, verbose_name='old status')),
                ('new', models.CharField(choices=[('scheduled', 'Scheduled'), ('live', 'Live'), ('ended', 'Ended'), ('cancelled', 'Cancelled')], max_length=10, verbose_name='new status')),
                ('by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='changed by')),
                ('show', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='live.show', verbose_name='show')),
            ],
            options={
                'verbose_name': 'show event',
                'verbose_name_plural': 'show events',
                'ordering': ['at', 'id'],
            },
        ),
        migrations.CreateModel(
            name='ShowItem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveSmallIntegerField(verbose_name='position')),
                ('listing', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='listings.listing', verbose_name='listing')),
                ('show', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='items', to='live.show', verbose_name='show')),
            ],
            options={
                'verbose_name': 'line-up item',
                'verbose_name_plural': 'line-up items',
                'ordering': ['show', 'position'],
            },
        ),
        migrations.CreateModel(
            name='ShowRsvp',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('show', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='rsvps', to='live.show', verbose_name='show')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='shopper')),
            ],
            options={
                'verbose_name': 'RSVP',
                'verbose_name_plural': 'RSVPs',
            },
        ),
        migrations.AddIndex(
            model_name='show',
            index=models.Index(condition=models.Q(('status__in', ['scheduled', 'live'])), fields=['starts_at', 'id'], name='show_upcoming'),
        ),
        migrations.AddConstraint(
            model_name='showitem',
            constraint=models.UniqueConstraint(fields=('show', 'listing'), name='show_item_once'),
        ),
        migrations.AddConstraint(
            model_name='showitem',
            constraint=models.UniqueConstraint(fields=('show', 'position'), name='show_item_position_once'),
        ),
        migrations.AddConstraint(
            model_name='showrsvp',
            constraint=models.UniqueConstraint(fields=('show', 'user'), name='show_rsvp_once'),
        ),
    ]
