// The Query protocol's XML: <ActionResponse><ActionResult>...</ActionResult><ResponseMetadata>,
// lists as <member> elements, timestamps in ISO 8601, and <ErrorResponse> for errors; the
// shapes botocore and the JS SDK parse for IAM (2010-05-08) and STS (2011-06-15).
import { IamError } from './errors.js';

export type XmlValue = string | number | boolean | undefined | readonly XmlValue[] | { readonly [name: string]: XmlValue };

export const namespaces = {
  iam: 'https://iam.amazonaws.com/doc/2010-05-08/',
  sts: 'https://sts.amazonaws.com/doc/2011-06-15/',
} as const;

export type QueryService = keyof typeof namespaces;

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => escapes[char]!);
}

function element(name: string, value: XmlValue): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return `<${name}>${value.map((member) => element('member', member)).join('')}</${name}>`;
  if (typeof value === 'object') return `<${name}>${fields(value as Record<string, XmlValue>)}</${name}>`;
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

function fields(value: Record<string, XmlValue>): string {
  let text = '';
  for (const [name, member] of Object.entries(value)) text += element(name, member);
  return text;
}

/** A successful response; `result` is undefined for actions without output (DeleteUser, ...). */
export function xmlResponse(service: QueryService, action: string, result: Record<string, XmlValue> | undefined, requestId: string): string {
  const body = result === undefined ? '' : `<${action}Result>${fields(result)}</${action}Result>`;
  return (
    `<${action}Response xmlns="${namespaces[service]}">${body}` +
    `<ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata></${action}Response>`
  );
}

export function xmlError(service: QueryService, error: IamError, requestId: string): string {
  const type = error.status >= 500 ? 'Receiver' : 'Sender';
  return (
    `<ErrorResponse xmlns="${namespaces[service]}"><Error><Type>${type}</Type><Code>${error.code}</Code>` +
    `<Message>${escapeXml(error.message)}</Message></Error><RequestId>${escapeXml(requestId)}</RequestId></ErrorResponse>`
  );
}

/** IAM and STS timestamps: ISO 8601 in UTC, without milliseconds (as the services send them). */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
