// UpdateTable validation against the table as it stands: which changes are asked for, the
// one-concern-per-request rules, GSI create/update/delete, billing and throughput changes.
import type { ScalarType } from '../../model/attribute-value.js';
import { DynamoError, validationError } from '../../model/errors.js';
import { globalIndexesPerTableMax, onlineIndexChangesMax } from '../../model/limits.js';
import type { IndexSpec, KeySchema, OnDemandThroughput, ProvisionedThroughput, TableSpec } from '../../engine/table-spec.js';
import { hashElements, keyElements, rangeElements } from '../../engine/table-spec.js';
import { ConstraintErrors, collectIndexNameErrors, collectTableNameErrors, invalidParameter, optionalBoolean, optionalList, optionalString, optionalStructure } from './common.js';
import { AttributeDefinitionInput, BillingMode, IndexInput, SseInput, StreamInput, billingModes, collectAttributeDefinitions, collectIndex, collectOnDemand, collectSse, collectStream, collectThroughput } from './table-shapes.js';
import { checkCapacityBounds, checkGlobalKeyOrder, checkOnDemandRange, collectNonKeyAttributeErrors, checkProjectedAttributeTotal, checkProjection, checkSse, checkTableClass, firstOnDemandMember, keysNotDefined } from './table-rules.js';
import { checkDuplicateDefinitions, checkGlobalIndexThroughput, definitionTypes, globalIndexSpec } from './create-table.js';

interface GlobalIndexUpdateInput {
  Update?: { IndexName: string; ProvisionedThroughput?: ProvisionedThroughput; OnDemandThroughput?: OnDemandThroughput; hasWarm: boolean };
  Create?: IndexInput;
  Delete?: { IndexName: string };
}

interface UpdateTableShape {
  definitions?: AttributeDefinitionInput[];
  billingMode?: BillingMode;
  throughput?: ProvisionedThroughput;
  indexUpdates?: GlobalIndexUpdateInput[];
  stream?: StreamInput;
  sse?: SseInput;
  onDemand?: OnDemandThroughput;
  deletionProtection?: boolean;
  tableClass?: TableSpec['TableClass'];
  warmGiven: boolean;
  replicasGiven: boolean;
  multiRegionGiven: boolean;
}

function isEmptyStructure(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}

function collectIndexUpdate(errors: ConstraintErrors, value: unknown, path: string): GlobalIndexUpdateInput {
  const entry = optionalStructure(value) ?? {};
  const result: GlobalIndexUpdateInput = {};
  const update = optionalStructure(entry['Update']);
  if (update !== undefined) {
    const name = collectIndexNameErrors(errors, update['IndexName'], `${path}.update.indexName`);
    const throughput = collectThroughput(errors, update['ProvisionedThroughput'], `${path}.update.provisionedThroughput`);
    const onDemand = collectOnDemand(update['OnDemandThroughput']);
    const warm = update['WarmThroughput'];
    result.Update = { IndexName: name ?? '', hasWarm: warm !== undefined && warm !== null };
    if (throughput !== undefined) result.Update.ProvisionedThroughput = throughput;
    if (onDemand !== undefined) result.Update.OnDemandThroughput = onDemand;
  }
  const create = optionalStructure(entry['Create']);
  if (create !== undefined) {
    result.Create = collectIndex(errors, create, `${path}.create`, true);
    collectNonKeyAttributeErrors(errors, result.Create, `${path}.create`);
  }
  const remove = optionalStructure(entry['Delete']);
  if (remove !== undefined) {
    result.Delete = { IndexName: collectIndexNameErrors(errors, remove['IndexName'], `${path}.delete.indexName`) ?? '' };
  }
  return result;
}

function collectUpdateTable(input: Record<string, unknown>): UpdateTableShape {
  const errors = new ConstraintErrors();
  const definitions = collectAttributeDefinitions(errors, input['AttributeDefinitions'], false);
  collectTableNameErrors(errors, input['TableName']);
  const billingMode = optionalString(input['BillingMode']);
  if (billingMode !== undefined) errors.enumOf('billingMode', billingMode, billingModes);
  const throughput = collectThroughput(errors, input['ProvisionedThroughput'], 'provisionedThroughput');
  const updates = optionalList(input['GlobalSecondaryIndexUpdates'])?.map((entry, i) =>
    collectIndexUpdate(errors, entry, `globalSecondaryIndexUpdates.${i + 1}.member`),
  );
  const stream = collectStream(errors, input['StreamSpecification']);
  const sse = collectSse(errors, input['SSESpecification']);
  const onDemand = collectOnDemand(input['OnDemandThroughput']);
  const deletionProtection = optionalBoolean(input['DeletionProtectionEnabled']);
  errors.throwIfAny();
  const tableClass = checkTableClass(input['TableClass']);
  const present = (name: string) => input[name] !== undefined && input[name] !== null;
  const shape: UpdateTableShape = {
    // An empty WarmThroughput {} sent with another member is dropped by DynamoDB.
    warmGiven: present('WarmThroughput') && !isEmptyStructure(input['WarmThroughput']),
    replicasGiven: present('ReplicaUpdates'),
    multiRegionGiven: present('MultiRegionConsistency'),
  };
  if (definitions !== undefined) shape.definitions = definitions;
  if (billingMode !== undefined) shape.billingMode = billingMode as BillingMode;
  if (throughput !== undefined) shape.throughput = throughput;
  if (updates !== undefined) shape.indexUpdates = updates;
  if (stream !== undefined) shape.stream = stream;
  if (sse !== undefined) shape.sse = sse;
  if (onDemand !== undefined && firstOnDemandMember(onDemand) !== undefined) shape.onDemand = onDemand;
  if (deletionProtection !== undefined) shape.deletionProtection = deletionProtection;
  if (tableClass !== undefined) shape.tableClass = tableClass;
  return shape;
}

/** The members whose presence makes an UpdateTable request do something. */
function requestedChanges(shape: UpdateTableShape): string[] {
  const changes: string[] = [];
  if (shape.throughput !== undefined) changes.push('ProvisionedThroughput');
  if (shape.billingMode !== undefined) changes.push('BillingMode');
  if (shape.stream !== undefined) changes.push('StreamSpecification');
  if (shape.indexUpdates !== undefined && shape.indexUpdates.length > 0) changes.push('GlobalSecondaryIndexUpdates');
  if (shape.sse !== undefined) changes.push('SSESpecification');
  if (shape.replicasGiven) changes.push('ReplicaUpdates');
  if (shape.multiRegionGiven) changes.push('MultiRegionConsistency');
  if (shape.deletionProtection !== undefined) changes.push('DeletionProtectionEnabled');
  if (shape.onDemand !== undefined) changes.push('OnDemandThroughput');
  if (shape.warmGiven) changes.push('WarmThroughput');
  if (shape.tableClass !== undefined) changes.push('TableClass');
  return changes;
}

/**
 * DynamoDB's "nothing to update" text. It names members absent from the public model
 * (UpdateStreamEnabled, MultiAccountReplicaReady, ReplicaTransitRoleArn) and omits
 * MultiRegionConsistency when the request carried it.
 */
function nothingToUpdate(multiRegionGiven: boolean): DynamoError {
  const members = [
    'ProvisionedThroughput', 'BillingMode', 'UpdateStreamEnabled', 'GlobalSecondaryIndexUpdates', 'SSESpecification',
    'ReplicaUpdates', 'MultiAccountReplicaReady', 'ReplicaTransitRoleArn', 'MultiRegionConsistency',
    'DeletionProtectionEnabled', 'OnDemandThroughput', 'WarmThroughput',
  ].filter((member) => !(multiRegionGiven && member === 'MultiRegionConsistency'));
  return validationError(`At least one of ${members.join(', ')} or TableClass is required`);
}

/** UpdateTable changes one concern per call; only BillingMode-centred combinations pass. */
function checkSingleConcern(shape: UpdateTableShape, changes: readonly string[]): void {
  const alone = (member: string) => changes.length > 1 && changes.includes(member);
  if (alone('SSESpecification')) throw invalidParameter('Server-Side Encryption modification must be the only operation in the request');
  if (alone('TableClass')) throw invalidParameter('TableClass modification must be the only operation in the request');
  if (alone('DeletionProtectionEnabled')) {
    throw invalidParameter('DeletionProtection modification must be the only operation in the request');
  }
  if (changes.includes('OnDemandThroughput') && changes.some((c) => c !== 'OnDemandThroughput' && c !== 'BillingMode')) {
    throw invalidParameter('OnDemandThroughput can only be combined with BillingMode in an UpdateTable request');
  }
  const indexBuild = (shape.indexUpdates ?? []).some((entry) => entry.Create !== undefined || entry.Delete !== undefined);
  if (shape.stream !== undefined && shape.throughput !== undefined) {
    throw invalidParameter('You cannot modify stream status while updating table IOPS');
  }
  if (indexBuild && shape.throughput !== undefined) throw invalidParameter('You cannot create or delete index while updating table IOPS');
  if (indexBuild && shape.stream !== undefined) throw invalidParameter('You cannot create or delete index while changing stream status');
}

function checkIndexUpdateEntries(updates: readonly GlobalIndexUpdateInput[]): void {
  const seen = new Set<string>();
  for (const entry of updates) {
    const actions = [entry.Update, entry.Create, entry.Delete].filter((action) => action !== undefined);
    if (actions.length === 0) {
      throw invalidParameter(
        'One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null',
      );
    }
    if (actions.length > 1) throw invalidParameter('Only one global secondary index action is allowed per GlobalSecondaryIndexUpdate object');
    const name = (actions[0] as { IndexName: string }).IndexName;
    if (seen.has(name)) {
      throw invalidParameter(`Only one global secondary index update per index is allowed simultaneously. Index: ${name}`);
    }
    seen.add(name);
  }
}

/**
 * DynamoDB's text for a throughput change that changes nothing. `subject` is 'table' or
 * an index name; the index variant reads "provisioned for index <name>" (no "the").
 */
// unverified: the index variant after "Current WriteCapacityUnits" (recorded text is cut
// there); it is assumed to continue as the table variant does.
function throughputWillNotChange(subject: { index?: string }, current: ProvisionedThroughput, requested: ProvisionedThroughput): DynamoError {
  const noun = subject.index === undefined ? 'the table' : `the index ${subject.index}`;
  const owner = subject.index === undefined ? 'the table' : `index ${subject.index}`;
  return validationError(
    `The provisioned throughput for ${noun} will not change. The requested value equals the current value. ` +
      `Current ReadCapacityUnits provisioned for ${owner}: ${current.ReadCapacityUnits}. Requested ReadCapacityUnits: ${requested.ReadCapacityUnits}. ` +
      `Current WriteCapacityUnits provisioned for ${owner}: ${current.WriteCapacityUnits}. Requested WriteCapacityUnits: ${requested.WriteCapacityUnits}. ` +
      'Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.',
  );
}

function sameThroughput(a: ProvisionedThroughput | undefined, b: ProvisionedThroughput): boolean {
  return a !== undefined && a.ReadCapacityUnits === b.ReadCapacityUnits && a.WriteCapacityUnits === b.WriteCapacityUnits;
}

/** Table-level billing, throughput and on-demand rules; returns the effective billing mode. */
function checkUpdateBilling(shape: UpdateTableShape, current: TableSpec): BillingMode {
  const mode = shape.billingMode ?? current.BillingMode;
  if (mode === 'PAY_PER_REQUEST' && shape.throughput !== undefined) {
    throw invalidParameter('Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST');
  }
  if (shape.billingMode === 'PROVISIONED' && shape.throughput === undefined) {
    throw invalidParameter('ProvisionedThroughput must be specified when BillingMode is PROVISIONED');
  }
  if (shape.throughput !== undefined) checkCapacityBounds(shape.throughput);
  if (shape.onDemand !== undefined) {
    const member = firstOnDemandMember(shape.onDemand);
    if (mode === 'PROVISIONED' && member !== undefined) {
      throw invalidParameter(`${member} for OnDemandThroughput cannot be specified when the table BillingMode is PROVISIONED`);
    }
    checkOnDemandRange(shape.onDemand, 'table', true);
  }
  if (shape.throughput !== undefined && current.BillingMode === 'PROVISIONED' && sameThroughput(current.ProvisionedThroughput, shape.throughput)) {
    throw throughputWillNotChange({}, current.ProvisionedThroughput as ProvisionedThroughput, shape.throughput);
  }
  return mode;
}

function indexNotFound(indexName: string, tableName: string): DynamoError {
  return new DynamoError('ResourceNotFoundException', `Requested resource not found: Index ${indexName} for table ${tableName}`);
}

function findGlobal(spec: TableSpec, name: string): IndexSpec | undefined {
  return spec.GlobalSecondaryIndexes.find((index) => index.IndexName === name);
}

function isLocal(spec: TableSpec, name: string): boolean {
  return spec.LocalSecondaryIndexes.some((index) => index.IndexName === name);
}

/** Applies one GSI Update action to `spec` (already a copy). */
function applyIndexUpdate(update: NonNullable<GlobalIndexUpdateInput['Update']>, spec: TableSpec, mode: BillingMode): void {
  const name = update.IndexName;
  if (isLocal(spec, name)) throw validationError(`Cannot update an index that is not a GlobalSecondaryIndex: ${name}`);
  const index = findGlobal(spec, name);
  if (index === undefined) throw indexNotFound(name, spec.TableName);
  if (mode === 'PAY_PER_REQUEST') {
    if (update.ProvisionedThroughput !== undefined) {
      throw invalidParameter(`Neither ReadCapacityUnits nor WriteCapacityUnits can be specified for index: ${name} when BillingMode is PAY_PER_REQUEST`);
    }
    const onDemand = update.OnDemandThroughput;
    if ((onDemand === undefined || firstOnDemandMember(onDemand) === undefined) && !update.hasWarm) {
      throw invalidParameter(`The only Updates for index: ${name} when TableThroughputMode is PAY_PER_REQUEST can be to OnDemandThroughput, WarmThroughput`);
    }
    if (onDemand !== undefined) applyOnDemand(index, onDemand, `index : ${name}`);
    return;
  }
  const throughput = update.ProvisionedThroughput;
  if (throughput === undefined) {
    if (update.hasWarm) return;
    // unverified: the text for an Update without throughput on a PROVISIONED table.
    throw invalidParameter(`ProvisionedThroughput must be specified for index: ${name}`);
  }
  checkCapacityBounds(throughput);
  if (spec.BillingMode === 'PROVISIONED' && sameThroughput(index.ProvisionedThroughput, throughput)) {
    throw throughputWillNotChange({ index: name }, index.ProvisionedThroughput as ProvisionedThroughput, throughput);
  }
  index.ProvisionedThroughput = { ...throughput };
}

function applyOnDemand(target: { OnDemandThroughput?: OnDemandThroughput }, onDemand: OnDemandThroughput, subject: string): void {
  checkOnDemandRange(onDemand, subject, true);
  const merged: OnDemandThroughput = { ...target.OnDemandThroughput };
  for (const member of ['MaxReadRequestUnits', 'MaxWriteRequestUnits'] as const) {
    const units = onDemand[member];
    if (units === -1) delete merged[member]; // -1 removes the cap
    else if (units !== undefined) merged[member] = units;
  }
  if (firstOnDemandMember(merged) === undefined) delete target.OnDemandThroughput;
  else target.OnDemandThroughput = merged;
}

/** DynamoDB's rendering of a key schema in the redefinition text: "Schema:[SchemaElement: key{a:S:HASH}]". */
function renderSchema(elements: ReadonlyArray<{ name: string; type: ScalarType; keyType: 'HASH' | 'RANGE' }>): string {
  return `Schema:[${elements.map((e) => `SchemaElement: key{${e.name}:${e.type}:${e.keyType}}`).join(', ')}]`;
}

function schemaElements(schema: KeySchema): Array<{ name: string; type: ScalarType; keyType: 'HASH' | 'RANGE' }> {
  return [
    ...hashElements(schema).map((key) => ({ name: key.name, type: key.type, keyType: 'HASH' as const })),
    ...rangeElements(schema).map((key) => ({ name: key.name, type: key.type, keyType: 'RANGE' as const })),
  ];
}

/**
 * A new index may not give an attribute that a key of the table or of an index already uses
 * another type. The text is ScyllaDB's record of DynamoDB's (test_gsi_updatetable.py):
 * "... Existing schema: Schema:[SchemaElement: key{xyz:S:HASH}] New schema:
 * Schema:[SchemaElement: key{xyz:N:HASH}]". unverified: which schema is "existing" when
 * several use the attribute (the table's, then the indexes' in order, is assumed), and the
 * separator between two elements.
 */
function checkNoRedefinition(create: IndexInput, requested: readonly AttributeDefinitionInput[], spec: TableSpec, types: ReadonlyMap<string, ScalarType>): void {
  const existingSchemas = [spec.keySchema, ...spec.LocalSecondaryIndexes.map((i) => i.keySchema), ...spec.GlobalSecondaryIndexes.map((i) => i.keySchema)];
  for (const key of create.KeySchema) {
    const asked = requested.find((definition) => definition.AttributeName === key.AttributeName);
    const current = spec.AttributeDefinitions.find((definition) => definition.AttributeName === key.AttributeName);
    if (asked === undefined || current === undefined || asked.AttributeType === current.AttributeType) continue;
    const existing = existingSchemas.find((schema) => keyElements(schema).some((element) => element.name === key.AttributeName));
    const newSchema = create.KeySchema.map((element) => ({
      name: element.AttributeName,
      type: requested.find((definition) => definition.AttributeName === element.AttributeName)?.AttributeType ?? types.get(element.AttributeName) ?? 'S',
      keyType: element.KeyType === 'RANGE' ? ('RANGE' as const) : ('HASH' as const),
    }));
    throw invalidParameter(
      'Attributes cannot be redefined. Please check that your attribute has the same type as previously defined. ' +
        `Existing schema: ${existing === undefined ? 'Schema:[]' : renderSchema(schemaElements(existing))} New schema: ${renderSchema(newSchema)}`,
    );
  }
}

/** Checks one GSI Create action and adds the new index (CREATING, backfilling) to `spec`. */
function applyIndexCreate(create: IndexInput, shape: UpdateTableShape, spec: TableSpec, mode: BillingMode): void {
  const name = create.IndexName;
  if (findGlobal(spec, name) !== undefined || isLocal(spec, name)) {
    throw validationError('Attempting to create an index which already exists');
  }
  const requested = shape.definitions;
  if (requested === undefined) throw invalidParameter(`AttributeDefinitions is not specified for index: ${name}`);
  checkDuplicateDefinitions(requested);
  const keys = create.KeySchema.map((key) => key.AttributeName);
  const requestedNames = requested.map((definition) => definition.AttributeName);
  // Only the new key attributes need defining; existing definitions keep their types.
  const types = definitionTypes(spec.AttributeDefinitions);
  for (const definition of requested) if (!types.has(definition.AttributeName)) types.set(definition.AttributeName, definition.AttributeType);
  if (keys.some((key) => !requestedNames.includes(key) && !spec.AttributeDefinitions.some((d) => d.AttributeName === key))) {
    throw keysNotDefined(keys, requestedNames);
  }
  checkNoRedefinition(create, requested, spec, types);
  checkGlobalKeyOrder(create.KeySchema);
  const projection = checkProjection(create.Projection);
  checkGlobalIndexThroughput(create, mode, name);
  if (spec.GlobalSecondaryIndexes.length >= globalIndexesPerTableMax) {
    throw new DynamoError(
      'LimitExceededException',
      `Subscriber limit exceeded: Number of global secondary indexes exceeds per-table limit of ${globalIndexesPerTableMax}`,
    );
  }
  const index = globalIndexSpec(create, projection, types, mode, 'CREATING');
  checkProjectedAttributeTotal([...spec.LocalSecondaryIndexes, ...spec.GlobalSecondaryIndexes, index]);
  spec.GlobalSecondaryIndexes.push(index);
  for (const key of keys) {
    if (!spec.AttributeDefinitions.some((definition) => definition.AttributeName === key)) {
      spec.AttributeDefinitions.push({ AttributeName: key, AttributeType: types.get(key) as ScalarType });
    }
  }
}

/** Checks one GSI Delete action and removes the index from `spec`. */
function applyIndexDelete(name: string, spec: TableSpec): void {
  if (isLocal(spec, name)) throw validationError(`Cannot delete an index that is not a GlobalSecondaryIndex: ${name}`);
  if (findGlobal(spec, name) === undefined) throw indexNotFound(name, spec.TableName);
  spec.GlobalSecondaryIndexes = spec.GlobalSecondaryIndexes.filter((index) => index.IndexName !== name);
}

/** Definitions no key of the table or of a remaining index uses are pruned, as DynamoDB does. */
function pruneDefinitions(spec: TableSpec): void {
  const keyNames = (schema: KeySchema) => keyElements(schema).map((key) => key.name);
  const used = new Set([
    ...keyNames(spec.keySchema),
    ...spec.LocalSecondaryIndexes.flatMap((index) => keyNames(index.keySchema)),
    ...spec.GlobalSecondaryIndexes.flatMap((index) => keyNames(index.keySchema)),
  ]);
  spec.AttributeDefinitions = spec.AttributeDefinitions.filter((definition) => used.has(definition.AttributeName));
}

function checkIndexActions(shape: UpdateTableShape, spec: TableSpec, mode: BillingMode): { createIndexes: string[]; deleteIndexes: string[] } {
  const updates = shape.indexUpdates ?? [];
  const createIndexes = updates.flatMap((entry) => (entry.Create ? [entry.Create.IndexName] : []));
  const deleteIndexes = updates.flatMap((entry) => (entry.Delete ? [entry.Delete.IndexName] : []));
  const building = spec.GlobalSecondaryIndexes.some((index) => index.IndexStatus === 'CREATING' || index.IndexStatus === 'DELETING');
  const builds = createIndexes.length + deleteIndexes.length;
  if (builds > onlineIndexChangesMax || (builds > 0 && building)) {
    throw new DynamoError(
      'LimitExceededException',
      'Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table',
    );
  }
  if (switchesToProvisioned(shape, spec)) {
    // Every GSI needs its own throughput when the table leaves on-demand.
    for (const index of spec.GlobalSecondaryIndexes) {
      if (deleteIndexes.includes(index.IndexName)) continue;
      const covered = updates.some((entry) => entry.Update?.IndexName === index.IndexName && entry.Update.ProvisionedThroughput !== undefined);
      if (!covered) throw invalidParameter(`ProvisionedThroughput must be specified for index: ${index.IndexName}`);
    }
  }
  for (const entry of updates) {
    if (entry.Update) applyIndexUpdate(entry.Update, spec, mode);
    else if (entry.Create) applyIndexCreate(entry.Create, shape, spec, mode);
    else if (entry.Delete) applyIndexDelete(entry.Delete.IndexName, spec);
  }
  return { createIndexes, deleteIndexes };
}

function switchesToProvisioned(shape: UpdateTableShape, spec: TableSpec): boolean {
  return shape.billingMode === 'PROVISIONED' && spec.BillingMode === 'PAY_PER_REQUEST';
}

function applyStream(stream: StreamInput, spec: TableSpec): void {
  if (stream.StreamEnabled && stream.StreamViewType === undefined) {
    throw invalidParameter('If stream is being enabled then UpdateViewType is required');
  }
  if (!stream.StreamEnabled && stream.StreamViewType !== undefined) {
    throw invalidParameter('If stream is being disabled, then UpdateViewType must not be specified');
  }
  const enabled = spec.StreamSpecification?.StreamEnabled === true;
  if (stream.StreamEnabled && enabled) throw validationError(`Table already has an enabled stream: TableName: ${spec.TableName}`);
  if (!stream.StreamEnabled && !enabled) throw validationError(`Table has no stream to disable: TableName: ${spec.TableName}`);
  if (stream.StreamEnabled) spec.StreamSpecification = { StreamEnabled: true, StreamViewType: stream.StreamViewType as string };
  else delete spec.StreamSpecification;
}

function applySse(sse: SseInput, spec: TableSpec): void {
  const next = checkSse(sse);
  const currentKms = spec.SSESpecification?.Enabled === true;
  if (next === undefined) {
    if (!currentKms) throw invalidParameter('Table is already encrypted by default');
    delete spec.SSESpecification;
    return;
  }
  if (currentKms && next.KMSMasterKeyId !== undefined && next.KMSMasterKeyId === spec.SSESpecification?.KMSMasterKeyId) {
    throw invalidParameter('Table is already encrypted with given KMSMasterKeyId. Use KMSMasterKeyId parameter if you want to change Master Key');
  }
  spec.SSESpecification = next;
}

function switchBilling(spec: TableSpec, mode: BillingMode, throughput: ProvisionedThroughput | undefined): void {
  if (mode !== spec.BillingMode) {
    // A billing switch drops OnDemandThroughput from the table and its GSIs.
    delete spec.OnDemandThroughput;
    for (const index of spec.GlobalSecondaryIndexes) {
      delete index.OnDemandThroughput;
      if (mode === 'PAY_PER_REQUEST') delete index.ProvisionedThroughput;
    }
    if (mode === 'PAY_PER_REQUEST') delete spec.ProvisionedThroughput;
    spec.BillingMode = mode;
  }
  if (throughput !== undefined) spec.ProvisionedThroughput = { ...throughput };
}

function copySpec(spec: TableSpec): TableSpec {
  return structuredClone(spec);
}

/**
 * Validates an UpdateTable request against the table as it stands and returns the table
 * it asks for. New GSIs come out CREATING with Backfilling true (the engine backfills and
 * flips them to ACTIVE); deleted GSIs are gone from the returned spec and listed in
 * deleteIndexes. Throws DynamoError (ValidationException, ResourceNotFoundException for an
 * unknown index, LimitExceededException for index-build limits) with DynamoDB's texts.
 */
export function checkUpdateTable(input: any, current: TableSpec): { spec: TableSpec; createIndexes: string[]; deleteIndexes: string[] } {
  const request = optionalStructure(input) ?? {};
  const shape = collectUpdateTable(request);
  const changes = requestedChanges(shape);
  if (changes.length === 0) throw nothingToUpdate(shape.multiRegionGiven);
  if (shape.indexUpdates !== undefined && shape.indexUpdates.length === 0) {
    throw invalidParameter('List of GlobalSecondaryIndexUpdates is empty');
  }
  checkIndexUpdateEntries(shape.indexUpdates ?? []);
  checkSingleConcern(shape, changes);

  const spec = copySpec(current);
  const mode = checkUpdateBilling(shape, current);
  const { createIndexes, deleteIndexes } = checkIndexActions(shape, spec, mode);
  switchBilling(spec, mode, shape.throughput);
  if (shape.onDemand !== undefined) applyOnDemand(spec, shape.onDemand, 'table');
  if (shape.stream !== undefined) applyStream(shape.stream, spec);
  if (shape.sse !== undefined) applySse(shape.sse, spec);
  if (shape.tableClass !== undefined) spec.TableClass = shape.tableClass;
  if (shape.deletionProtection !== undefined) spec.DeletionProtectionEnabled = shape.deletionProtection;
  if (deleteIndexes.length > 0) pruneDefinitions(spec);
  return { spec, createIndexes, deleteIndexes };
}
