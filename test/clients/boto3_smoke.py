"""What a new boto3 user does: create a table, write, read, update with conditions, hit limits.

Run by test/clients/boto3.test.ts against a live server; the endpoint comes from TABULA_ENDPOINT.
"""
import os
import sys

import boto3
from boto3.dynamodb.conditions import Attr
from botocore.exceptions import ClientError

endpoint = os.environ["TABULA_ENDPOINT"]
table_name = os.environ["TABULA_TABLE"]
dynamodb = boto3.resource(
    "dynamodb",
    endpoint_url=endpoint,
    region_name="us-east-1",
    aws_access_key_id="tabula",
    aws_secret_access_key="tabula-local-secret",
)


def expect_error(code, message_part, call):
    try:
        call()
    except ClientError as error:
        assert error.response["Error"]["Code"] == code, error.response
        assert message_part in error.response["Error"]["Message"], error.response
        return
    raise AssertionError(f"expected {code}")


table = dynamodb.create_table(
    TableName=table_name,
    KeySchema=[{"AttributeName": "p", "KeyType": "HASH"}, {"AttributeName": "c", "KeyType": "RANGE"}],
    AttributeDefinitions=[{"AttributeName": "p", "AttributeType": "S"}, {"AttributeName": "c", "AttributeType": "N"}],
    BillingMode="PAY_PER_REQUEST",
)
table.wait_until_exists()
table.reload()
assert table.table_status == "ACTIVE"

table.put_item(Item={"p": "x", "c": 1, "name": "first", "tags": {"a", "b"}})
item = table.get_item(Key={"p": "x", "c": 1}, ConsistentRead=True)["Item"]
assert item == {"p": "x", "c": 1, "name": "first", "tags": {"a", "b"}}, item

updated = table.update_item(
    Key={"p": "x", "c": 1},
    UpdateExpression="SET visits = if_not_exists(visits, :zero) + :one",
    ConditionExpression=Attr("name").eq("first"),
    ExpressionAttributeValues={":zero": 0, ":one": 1},
    ReturnValues="ALL_NEW",
)["Attributes"]
assert updated["visits"] == 1, updated

expect_error(
    "ConditionalCheckFailedException",
    "The conditional request failed",
    lambda: table.update_item(
        Key={"p": "x", "c": 1},
        UpdateExpression="SET visits = :v",
        ConditionExpression=Attr("name").eq("other"),
        ExpressionAttributeValues={":v": 5},
    ),
)
expect_error(
    "ValidationException",
    "Item size has exceeded the maximum allowed size",
    lambda: table.put_item(Item={"p": "big", "c": 1, "data": "x" * (400 * 1024)}),
)
expect_error(
    "ValidationException",
    "Missing the key c in the item",
    lambda: table.put_item(Item={"p": "nokey"}),
)
expect_error("ResourceNotFoundException", "", lambda: dynamodb.Table("missing_table_x").get_item(Key={"p": "a", "c": 1}))

print("boto3 smoke OK")
sys.exit(0)
