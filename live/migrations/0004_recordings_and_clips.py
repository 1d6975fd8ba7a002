"""Recordings of shows and the explanation clips cut from them."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('listings', '0020_past_prices'),
        ('live', '0003_chat'),
    ]

    operations = [
        migrations.CreateModel(
            name='ShowClip',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('video_key', models.CharField(max_length=200, verbose_name='video')),
                ('poster_key', models.CharField(max_length=200, verbose_name='poster')),
                ('offset', models.DecimalField(decimal_places=2, max_digits=8, verbose_name='seconds into the show')),
                ('duration', models.DecimalField(decimal_places=2, max_digits=8, verbose_name='seconds long')),
                ('width', models.PositiveSmallIntegerField(verbose_name='width')),
                ('height', models.PositiveSmallIntegerField(verbose_name='height')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('listing', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='listings.listing', verbose_name='listing')),
                ('pin', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='clip', to='live.showpin', verbose_name='pin')),
                ('show', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='clips', to='live.show', verbose_name='show')),
            ],
            options={
                'verbose_name': 'clip',
                'verbose_name_plural': 'clips',
                'ordering': ['show', 'offset'],
            },
        ),
        migrations.CreateModel(
            name='ShowRecording',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(max_length=200, verbose_name='file')),
                ('started_at', models.DateTimeField(verbose_name='recording started at')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('show', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='recording', to='live.show', verbose_name='show')),
            ],
            options={
                'verbose_name': 'recording',
                'verbose_name_plural': 'recordings',
            },
        ),
    ]
