"""A show's chat, its moderators and muted viewers."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('live', '0002_pins_and_flash_sales'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ChatMessage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text', models.CharField(max_length=200, verbose_name='text')),
                ('masked', models.JSONField(blank=True, default=list, verbose_name='hidden contact details')),
                ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='sent at')),
                ('removed_at', models.DateTimeField(blank=True, null=True, verbose_name='removed at')),
                ('author', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='author')),
                ('removed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='removed by')),
                ('show', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='chat', to='live.show', verbose_name='show')),
            ],
            options={
                'verbose_name': 'chat message',
                'verbose_name_plural': 'chat messages',
                'indexes': [models.Index(fields=['show', '-at', '-id'], name='chat_recent'), models.Index(fields=['show', 'author', '-at'], name='chat_author_recent')],
            },
        ),
        migrations.CreateModel(
            name='ShowModerator',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('appointed_at', models.DateTimeField(auto_now_add=True, verbose_name='appointed at')),
                ('show', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='moderators', to='live.show', verbose_name='show')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='moderator')),
            ],
            options={
                'verbose_name': 'moderator',
                'verbose_name_plural': 'moderators',
                'constraints': [models.UniqueConstraint(fields=('show', 'user'), name='show_moderator_once')],
            },
        ),
        migrations.CreateModel(
            name='ShowMute',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(auto_now_add=True, verbose_name='muted at')),
                ('by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='muted by')),
                ('show', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='mutes', to='live.show', verbose_name='show')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='viewer')),
            ],
            options={
                'verbose_name': 'muted viewer',
                'verbose_name_plural': 'muted viewers',
                'constraints': [models.UniqueConstraint(fields=('show', 'user'), name='show_mute_once')],
            },
        ),
    ]
