"""The accidental-delete runbook, run with the AWS CLI v1 against TabulaDB.

Every step is a real `aws dynamodb ...` command, run through awscli's own driver in one Python
process (so the fifteen commands do not each pay the CLI's start-up). Prints one JSON document
with each step's output for the calling test (test/backup/cli-runbook.test.ts) to check.
Environment: TABULA_ENDPOINT, TABULA_TABLE, and the usual AWS_* credentials and region.
"""
import contextlib
import io
import json
import os
import sys
import time

from awscli.clidriver import create_clidriver

ENDPOINT = os.environ["TABULA_ENDPOINT"]
TABLE = os.environ["TABULA_TABLE"]


def aws(*args):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = create_clidriver().main(["dynamodb", "--endpoint-url", ENDPOINT, "--output", "json", *args])
    if status != 0:
        sys.exit(f"aws dynamodb {args[0]} exited with {status}")
    text = out.getvalue().strip()
    return json.loads(text) if text else {}


def put_requests(items):
    return json.dumps({TABLE: [{"PutRequest": {"Item": item}} for item in items]})


steps = {}
steps["create-table"] = aws(
    "create-table", "--table-name", TABLE,
    "--attribute-definitions", "AttributeName=customer,AttributeType=S", "AttributeName=order,AttributeType=N",
    "--key-schema", "AttributeName=customer,KeyType=HASH", "AttributeName=order,KeyType=RANGE",
    "--billing-mode", "PAY_PER_REQUEST",
)
aws("wait", "table-exists", "--table-name", TABLE)
steps["update-continuous-backups"] = aws(
    "update-continuous-backups", "--table-name", TABLE,
    "--point-in-time-recovery-specification", "PointInTimeRecoveryEnabled=true",
)
steps["describe-continuous-backups"] = aws("describe-continuous-backups", "--table-name", TABLE)

orders = [
    {"customer": {"S": f"c{i % 4}"}, "order": {"N": str(i)}, "total": {"N": f"{i}.95"}, "items": {"SS": [f"sku-{i}", "gift"]}}
    for i in range(30)
]
aws("batch-write-item", "--request-items", put_requests(orders[:25]))
aws("batch-write-item", "--request-items", put_requests(orders[25:]))
steps["orders"] = orders

# Note the time: the first whole second after the last good write. Wait until it has passed.
restore_second = int(time.time()) + 1
while time.time() < restore_second + 0.05:
    time.sleep(0.01)
steps["restore_second"] = restore_second

# The mistake: ten orders deleted, one overwritten.
deletes = [{"DeleteRequest": {"Key": {"customer": o["customer"], "order": o["order"]}}} for o in orders[:10]]
aws("batch-write-item", "--request-items", json.dumps({TABLE: deletes}))
aws("put-item", "--table-name", TABLE, "--item", json.dumps({"customer": {"S": "c3"}, "order": {"N": "11"}, "total": {"N": "0"}}))
steps["after-mistake"] = aws("scan", "--table-name", TABLE, "--consistent-read")

# The recovery: restore to that second into a new table, wait for it, read it back.
steps["restore-table-to-point-in-time"] = aws(
    "restore-table-to-point-in-time", "--source-table-name", TABLE,
    "--target-table-name", f"{TABLE}-recovered", "--restore-date-time", str(restore_second),
)
aws("wait", "table-exists", "--table-name", f"{TABLE}-recovered")
steps["recovered"] = aws("scan", "--table-name", f"{TABLE}-recovered", "--consistent-read")

# On-demand backups through the CLI.
created = aws("create-backup", "--table-name", TABLE, "--backup-name", "runbook-backup")
steps["create-backup"] = created
arn = created["BackupDetails"]["BackupArn"]
for _ in range(500):
    described = aws("describe-backup", "--backup-arn", arn)
    if described["BackupDescription"]["BackupDetails"]["BackupStatus"] == "AVAILABLE":
        break
    time.sleep(0.01)
steps["describe-backup"] = described
steps["list-backups"] = aws("list-backups", "--table-name", TABLE)
steps["restore-table-from-backup"] = aws(
    "restore-table-from-backup", "--target-table-name", f"{TABLE}-from-backup", "--backup-arn", arn,
)
aws("wait", "table-exists", "--table-name", f"{TABLE}-from-backup")
steps["from-backup"] = aws("scan", "--table-name", f"{TABLE}-from-backup", "--consistent-read")
steps["delete-backup"] = aws("delete-backup", "--backup-arn", arn)
steps["list-backups-after"] = aws("list-backups", "--table-name", TABLE)

print(json.dumps(steps))
