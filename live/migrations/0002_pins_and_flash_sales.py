"""Pins, flash sales and their wait-lists."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('listings', '0020_past_prices'),
        ('live', '0001_initial'),
        ('orders', '0010_inspected_delivery'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='FlashSale',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('price', models.DecimalField(decimal_places=2, max_digits=12, verbose_name='flash price')),
                ('starts_at', models.DateTimeField(verbose_name='starts at')),
                ('ends_at', models.DateTimeField(verbose_name='ends at')),
                ('status', models.CharField(choices=[('open', 'Open'), ('taken', 'Taken'), ('sold', 'Sold'), ('ended', 'Ended')], default='open', max_length=10, verbose_name='status')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('listing', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='listings.listing', verbose_name='listing')),
                ('order', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='orders.order', verbose_name='order')),
                ('show', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='flash_sales', to='live.show', verbose_name='show')),
            ],
            options={
                'verbose_name': 'flash sale',
                'verbose_name_plural': 'flash sales',
            },
        ),
        migrations.CreateModel(
            name='ShowPin',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('pinned_at', models.DateTimeField(verbose_name='pinned at')),
                ('unpinned_at', models.DateTimeField(blank=True, null=True, verbose_name='unpinned at')),
                ('listing', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='listings.listing', verbose_name='listing')),
                ('show', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='pins', to='live.show', verbose_name='show')),
            ],
            options={
                'verbose_name': 'pin',
                'verbose_name_plural': 'pins',
                'ordering': ['show', 'pinned_at', 'id'],
            },
        ),
        migrations.CreateModel(
            name='WaitlistEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('joined_at', models.DateTimeField(auto_now_add=True, verbose_name='joined at')),
                ('offered_at', models.DateTimeField(blank=True, null=True, verbose_name='offered at')),
                ('skipped', models.CharField(blank=True, max_length=40, verbose_name='skipped because')),
                ('flash_sale', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='waitlist', to='live.flashsale', verbose_name='flash sale')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='shopper')),
            ],
            options={
                'verbose_name': 'wait-list entry',
                'verbose_name_plural': 'wait-list entries',
                'ordering': ['flash_sale', 'joined_at', 'id'],
            },
        ),
        migrations.AddConstraint(
            model_name='flashsale',
            constraint=models.CheckConstraint(condition=models.Q(('price__gt', 0)), name='flash_sale_price_positive'),
        ),
        migrations.AddConstraint(
            model_name='flashsale',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'open')), fields=('show',), name='flash_sale_one_open'),
        ),
        migrations.AddConstraint(
            model_name='showpin',
            constraint=models.UniqueConstraint(condition=models.Q(('unpinned_at__isnull', True)), fields=('show',), name='show_pin_one_open'),
        ),
        migrations.AddConstraint(
            model_name='waitlistentry',
            constraint=models.UniqueConstraint(fields=('flash_sale', 'user'), name='waitlist_once'),
        ),
    ]
