"""boto3 PartiQL as a new user writes it: insert, page through a SELECT, batch, transaction.

Run by test/partiql/python-clients.test.ts against a live server (TABULA_ENDPOINT, TABULA_TABLE
naming a table with partition key pk (S) and sort key sk (N)).
"""
import os

import boto3
from botocore.exceptions import ClientError

client = boto3.client(
    "dynamodb",
    endpoint_url=os.environ["TABULA_ENDPOINT"],
    region_name="us-east-1",
    aws_access_key_id="tabula",
    aws_secret_access_key="tabula-local-secret",
)
table = os.environ["TABULA_TABLE"]

for sk in range(5):
    client.execute_statement(Statement=f"INSERT INTO \"{table}\" VALUE {{'pk': ?, 'sk': ?}}", Parameters=[{"S": "p"}, {"N": str(sk)}])

try:
    client.execute_statement(Statement=f"INSERT INTO \"{table}\" VALUE {{'pk': 'p', 'sk': 0}}")
    raise AssertionError("expected DuplicateItemException")
except client.exceptions.DuplicateItemException as error:
    assert error.response["Error"]["Message"] == "Duplicate primary key exists in table", error.response

seen = []
kwargs = {"Statement": f"SELECT sk FROM \"{table}\" WHERE pk = 'p' ORDER BY sk DESC", "Limit": 2}
while True:
    page = client.execute_statement(**kwargs)
    seen += [int(item["sk"]["N"]) for item in page["Items"]]
    if "NextToken" not in page:
        break
    kwargs["NextToken"] = page["NextToken"]
assert seen == [4, 3, 2, 1, 0], seen

batch = client.batch_execute_statement(
    Statements=[
        {"Statement": f"UPDATE \"{table}\" SET v = 'x' WHERE pk = 'p' AND sk = 1 RETURNING ALL NEW *"},
        {"Statement": f"UPDATE \"{table}\" SET v = 'x' WHERE pk = 'p' AND sk = 99"},
    ]
)
assert batch["Responses"][0]["Item"]["v"] == {"S": "x"}, batch
assert batch["Responses"][1]["Error"]["Code"] == "ConditionalCheckFailed", batch

try:
    client.execute_transaction(
        TransactStatements=[
            {"Statement": f"DELETE FROM \"{table}\" WHERE pk = 'p' AND sk = 2"},
            {"Statement": f"EXISTS(SELECT * FROM \"{table}\" WHERE pk = 'p' AND sk = 3 AND v = 'x')"},
        ]
    )
    raise AssertionError("expected TransactionCanceledException")
except ClientError as error:
    assert error.response["Error"]["Code"] == "TransactionCanceledException", error.response
    codes = [reason["Code"] for reason in error.response["CancellationReasons"]]
    assert codes == ["None", "ConditionalCheckFailed"], codes

print("partiql boto3 OK")
