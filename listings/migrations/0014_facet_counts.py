"""The facet table (FacetCount), its triggers and its first fill from the listings on sale
(listings.facet_sql)."""


import django.db.models.deletion
from django.db import migrations, models

from listings import facet_sql


def forward(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute(facet_sql.POSTGRESQL)
        schema_editor.execute(facet_sql.REBUILD)
    else:
        for statement in facet_sql.statements(facet_sql.SQLITE) + facet_sql.statements(facet_sql.REBUILD):
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    drop = facet_sql.POSTGRESQL_DROP if schema_editor.connection.vendor == "postgresql" else facet_sql.SQLITE_DROP
    for statement in facet_sql.statements(drop):
        schema_editor.execute(statement)



class Migration(migrations.Migration):

    dependencies = [
        ('listings', '0013_search_terms'),
    ]

    operations = [
        migrations.CreateModel(
            name='FacetCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('brand_key', models.BigIntegerField(default=0, verbose_name='brand')),
                ('grade', models.CharField(choices=[('N', 'New with tags'), ('S', 'Like new'), ('A', 'Excellent'), ('B', 'Very good'), ('C', 'Good'), ('D', 'Fair')], max_length=1, verbose_name='grade')),
                ('band', models.PositiveSmallIntegerField(verbose_name='price band')),
                ('inspected', models.BooleanField(verbose_name='inspected')),
                ('authenticated', models.BooleanField(verbose_name='authenticated')),
                ('listings', models.IntegerField(default=0, verbose_name='listings on sale')),
                ('category', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='listings.category')),
            ],
            options={
                'verbose_name': 'facet count',
                'verbose_name_plural': 'facet counts',
                'constraints': [models.UniqueConstraint(fields=('category', 'brand_key', 'grade', 'band', 'inspected', 'authenticated'), name='facet_count_once')],
            },
        ),
        migrations.RunPython(forward, backward),
    ]
