from django.core.management.base import BaseCommand, CommandParser

from inspection.checklists import checklists_load


class Command(BaseCommand):
    help = (
        "Create version 1 of the inspection checklist for every category that has none yet "
        "(from inspection/checklist_data.py). Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--update",
            action="store_true",
            help="Also add a new version for categories whose latest checklist differs from the data.",
        )

    def handle(self, *args, update: bool, **options) -> None:
        created = checklists_load(only_missing=not update)
        self.stdout.write(f"Checklists: {created} new.")
