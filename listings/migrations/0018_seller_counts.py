"""The sellers' count table (SellerCount), its triggers and its first fill from the listings on sale
(listings.seller_count_sql)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from listings import facet_sql, seller_count_sql


def forward(apps, schema_editor):
    connection = schema_editor.connection
    script = seller_count_sql.POSTGRESQL if connection.vendor == "postgresql" else seller_count_sql.SQLITE
    statements = [script] if connection.vendor == "postgresql" else facet_sql.statements(script)
    for statement in [*statements, *facet_sql.statements(seller_count_sql.REBUILD)]:
        schema_editor.execute(statement, params=None)


def backward(apps, schema_editor):
    postgresql = schema_editor.connection.vendor == "postgresql"
    drop = seller_count_sql.POSTGRESQL_DROP if postgresql else seller_count_sql.SQLITE_DROP
    for statement in facet_sql.statements(drop):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('listings', '0017_badge_covering_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='SellerCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('shard', models.PositiveSmallIntegerField(verbose_name='shard')),
                ('listings', models.IntegerField(default=0, verbose_name='listings on sale')),
                ('seller', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': "seller's count",
                'verbose_name_plural': "sellers' counts",
                'constraints': [models.UniqueConstraint(fields=('seller', 'shard'), name='seller_count_once')],
            },
        ),
        migrations.RunPython(forward, backward),
    ]
