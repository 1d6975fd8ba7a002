"""Past prices of listings on sale (PastPrice) and the trigger that records them
(listings.past_price_sql). Nothing to fill: a listing has a past price only once its price changes."""

import django.db.models.deletion
from django.db import migrations, models

from listings import past_price_sql


def forward(apps, schema_editor):
    postgresql = schema_editor.connection.vendor == "postgresql"
    schema_editor.execute(past_price_sql.POSTGRESQL if postgresql else past_price_sql.SQLITE, params=None)


def backward(apps, schema_editor):
    postgresql = schema_editor.connection.vendor == "postgresql"
    for statement in (past_price_sql.POSTGRESQL_DROP if postgresql else past_price_sql.SQLITE_DROP).strip().splitlines():
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('listings', '0019_price_cover'),
    ]

    operations = [
        migrations.CreateModel(
            name='PastPrice',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('price', models.DecimalField(decimal_places=2, max_digits=12, verbose_name='price')),
                ('until', models.DateTimeField(verbose_name='asked until')),
                ('listing', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='past_prices', to='listings.listing', verbose_name='listing')),
            ],
            options={
                'verbose_name': 'past price',
                'verbose_name_plural': 'past prices',
                'indexes': [models.Index(fields=['listing', '-until'], name='past_price_recent')],
            },
        ),
        migrations.RunPython(forward, backward),
    ]
