"""Moving every parcel into shipping loses nothing: a database seeded with the demo data by the code
that came before the shipping app is migrated by today's code, and every label, tracking number and
carrier event is still there, on the parcel it belonged to.

The old code is taken from git (`PRE_SHIPPING`, the last commit before shipping existed) into a
temporary folder; both run against one fresh PostgreSQL database and one media folder.
"""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
PRE_SHIPPING = "30fe43415fa8230d1cdd96a83c0413f7f59cd607"

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _database_url(name: str) -> str:
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def _connect(name: str):
    db = settings.DATABASES["default"]
    return psycopg2.connect(
        dbname=name, user=db["USER"], password=db.get("PASSWORD") or None, host=db["HOST"], port=db["PORT"]
    )


def _admin(sql: str) -> None:
    admin = _connect("postgres")
    try:
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(sql)
    finally:
        admin.close()


def _run(tree: Path, env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, str(tree / "manage.py"), *args],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout


def _query(name: str, sql: str) -> list[tuple]:
    conn = _connect(name)
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()
    finally:
        conn.close()


@pytest.fixture
def old_tree(tmp_path):
    """The code as it was before the shipping app, from git."""
    if not (ROOT / ".git").exists():
        pytest.fail("This test reads the code before the shipping app from git; the checkout has no .git.")
    tree = tmp_path / "before"
    tree.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", PRE_SHIPPING], capture_output=True, check=False, timeout=120
    )
    if archive.returncode != 0:
        pytest.fail(f"git archive {PRE_SHIPPING} failed: {archive.stderr.decode()[-500:]}")
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True, timeout=120)
    return tree


def test_every_label_tracking_number_and_event_survives_the_move_to_shipping(old_tree, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("Runs against PostgreSQL (DATABASE_URL).")
    name = f"reloop_migration_{uuid.uuid4().hex[:8]}"
    _admin(f'CREATE DATABASE "{name}"')
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(name),
        "VAR_DIR": str(tmp_path / "var"),
        "CELERY_TASK_ALWAYS_EAGER": "1",
        "DEBUG": "0",
    }
    env.pop("REDIS_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    try:
        # given: the demo data, seeded by the old code, and a parcel the carrier has picked up
        _run(old_tree, env, "migrate", "-v", "0")
        _run(old_tree, env, "seed_demo", "--listings", "12", "--jobs", "0", "--photo-size", "240")
        (tracking,) = _query(
            name,
            "SELECT tracking_number FROM recycling_shipment WHERE status = 'label_created' ORDER BY id LIMIT 1",
        )[0]
        _run(old_tree, env, "carrier_sandbox", "advance", tracking, "--to", "in_transit")
        parcels = set(
            _query(
                name,
                "SELECT s.code, sh.direction, sh.tracking_number, sh.label_path, sh.status, sh.carrier "
                "FROM recycling_shipment sh JOIN recycling_submission s ON s.id = sh.submission_id",
            )
        )
        events = set(
            _query(
                name,
                "SELECT e.event_id, e.kind, sh.tracking_number FROM recycling_carrierevent e "
                "JOIN recycling_shipment sh ON sh.id = e.shipment_id",
            )
        )
        shipped = set(
            _query(name, "SELECT number, tracking_number FROM orders_order WHERE tracking_number <> ''")
        )
        returns = {
            number: (tracking_number, bytes(label) if label is not None else None)
            for number, tracking_number, label in _query(
                name,
                "SELECT o.number, r.tracking_number, r.label_pdf FROM orders_returnrequest r "
                "JOIN orders_order o ON o.id = r.order_id WHERE r.tracking_number <> ''",
            )
        }
        assert parcels and events and shipped  # the demo has labels, carrier news and shipped orders

        # when: today's code migrates that database
        _run(ROOT, env, "migrate", "-v", "0")

        # then: every parcel is a shipment with its label, tracking number and status
        moved = set(
            _query(
                name,
                "SELECT reference, purpose, tracking_number, label_path, status, carrier FROM shipping_shipment "
                "WHERE purpose IN ('inbound', 'seller_return')",
            )
        )
        purpose = {"inbound": "inbound", "return": "seller_return"}
        assert moved == {(code, purpose[d], t, label, status, c) for code, d, t, label, status, c in parcels}
        private = Path(env["VAR_DIR"]) / "private"
        assert all((private / label).exists() for *_rest, label, _s, _c in parcels if label)
        # every carrier event, on the parcel with its tracking number
        assert events == set(
            _query(
                name,
                "SELECT e.event_id, e.kind, s.tracking_number FROM shipping_carrierevent e "
                "JOIN shipping_shipment s ON s.id = e.shipment_id",
            )
        )
        # every shipped order points at a shipment with its tracking number
        assert shipped == set(
            _query(
                name,
                "SELECT o.number, s.tracking_number FROM orders_order o "
                "JOIN shipping_shipment s ON s.id = o.shipment_id AND s.reference = o.number",
            )
        )
        # every return's tracking number, and the label it had, now a file
        after = _query(
            name,
            "SELECT o.number, s.tracking_number, s.label_path FROM orders_returnrequest r "
            "JOIN orders_order o ON o.id = r.order_id JOIN shipping_shipment s ON s.id = r.shipment_id",
        )
        assert {number: tracking for number, tracking, _path in after} == {
            number: tracking for number, (tracking, _label) in returns.items()
        }
        for number, _tracking, path in after:
            label = returns[number][1]
            assert (private / path).read_bytes() == label if label else path == ""
        # and the old tables and columns are gone
        tables = {
            row[0] for row in _query(name, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        }
        assert "recycling_shipment" not in tables and "recycling_carrierevent" not in tables
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
