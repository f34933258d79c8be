// Reading Query-protocol parameters (Name=value, lists as Name.member.N[.Field]) with IAM's
// validation texts ("1 validation error detected: Value ... at 'userName' failed to satisfy ...").
import { IamError } from './errors.js';
import type { Tag } from './store.js';

export class Params {
  constructor(readonly values: URLSearchParams) {}

  optional(name: string): string | undefined {
    return this.values.get(name) ?? undefined;
  }

  /** A required parameter; `member` is its name in messages (camelCase, as AWS prints it). */
  required(name: string): string {
    const value = this.values.get(name);
    if (value === null) throw validation(`Value null at '${memberName(name)}' failed to satisfy constraint: Member must not be null`);
    return value;
  }

  /** An IAM name (user, group, role, policy): 1..max characters of [\w+=,.@-]. */
  name(parameter: string, max: number, required = true): string | undefined {
    const value = required ? this.required(parameter) : this.optional(parameter);
    if (value === undefined) return undefined;
    const member = memberName(parameter);
    if (value.length < 1 || value.length > max) {
      throw validation(`Value '${value}' at '${member}' failed to satisfy constraint: Member must have length ${value.length < 1 ? 'greater than or equal to 1' : `less than or equal to ${max}`}`);
    }
    if (!/^[\w+=,.@-]+$/.test(value)) {
      throw validation(`Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+`);
    }
    return value;
  }

  /** An IAM path: "/" or "/a/b/", up to 512 characters. */
  path(parameter = 'Path'): string {
    const value = this.optional(parameter) ?? '/';
    if (!/^\/([\x21-\x7e]*\/)?$/.test(value) || value.length > 512) {
      throw validation(
        `Value '${value}' at '${memberName(parameter)}' failed to satisfy constraint: Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)`,
      );
    }
    return value;
  }

  integer(parameter: string): number | undefined {
    const value = this.optional(parameter);
    if (value === undefined) return undefined;
    const number = Number(value);
    if (!Number.isInteger(number)) throw validation(`Value '${value}' at '${memberName(parameter)}' failed to satisfy constraint: Member must be an integer`);
    return number;
  }

  /** Name.member.1, Name.member.2, ... */
  list(parameter: string): string[] {
    const list: string[] = [];
    for (let i = 1; ; i++) {
      const value = this.values.get(`${parameter}.member.${i}`);
      if (value === null) return list;
      list.push(value);
    }
  }

  /** Name.member.N.Field for the given fields. */
  structures(parameter: string, fields: readonly string[]): Record<string, string | undefined>[] {
    const list: Record<string, string | undefined>[] = [];
    for (let i = 1; ; i++) {
      const entry: Record<string, string | undefined> = {};
      let any = false;
      for (const field of fields) {
        const value = this.values.get(`${parameter}.member.${i}.${field}`);
        if (value !== null) any = true;
        entry[field] = value ?? undefined;
      }
      if (!any) return list;
      list.push(entry);
    }
  }

  tags(): Tag[] {
    return this.structures('Tags', ['Key', 'Value']).map((tag) => ({ Key: tag.Key ?? '', Value: tag.Value ?? '' }));
  }
}

export function validation(detail: string): IamError {
  return new IamError('ValidationError', `1 validation error detected: ${detail}`);
}

function memberName(parameter: string): string {
  return parameter.charAt(0).toLowerCase() + parameter.slice(1);
}
