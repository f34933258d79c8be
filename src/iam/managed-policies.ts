// A few AWS managed policies, so `attach-user-policy --policy-arn arn:aws:iam::aws:policy/...`
// works as it does on AWS. Their documents are reduced to the services TabulaDB serves.

export const awsManagedPolicies: ReadonlyMap<string, { name: string; description: string; document: string }> = new Map(
  [
    ['AdministratorAccess', 'Provides full access to AWS services and resources.', [{ Effect: 'Allow', Action: '*', Resource: '*' }]],
    [
      'AmazonDynamoDBFullAccess',
      'Provides full access to Amazon DynamoDB via the AWS Management Console.',
      [{ Effect: 'Allow', Action: ['dynamodb:*'], Resource: '*' }],
    ],
    [
      'AmazonDynamoDBReadOnlyAccess',
      'Provides read only access to Amazon DynamoDB via the AWS Management Console.',
      [
        {
          Effect: 'Allow',
          Action: [
            'dynamodb:BatchGetItem', 'dynamodb:Describe*', 'dynamodb:List*', 'dynamodb:GetItem', 'dynamodb:Query',
            'dynamodb:Scan', 'dynamodb:PartiQLSelect', 'dynamodb:ConditionCheckItem', 'dynamodb:GetResourcePolicy',
          ],
          Resource: '*',
        },
      ],
    ],
    ['IAMFullAccess', 'Provides full access to IAM via the AWS Management Console.', [{ Effect: 'Allow', Action: ['iam:*'], Resource: '*' }]],
    [
      'IAMReadOnlyAccess',
      'Provides read only access to IAM via the AWS Management Console.',
      [{ Effect: 'Allow', Action: ['iam:Get*', 'iam:List*'], Resource: '*' }],
    ],
  ].map(([name, description, statements]) => [
    `arn:aws:iam::aws:policy/${name as string}`,
    { name: name as string, description: description as string, document: JSON.stringify({ Version: '2012-10-17', Statement: statements }) },
  ]),
);
