import { ZohoApiError } from './errors';
import { fieldOf, type DataType, type FieldDef, type ModuleDef } from './modules';
import type { StoredValues } from './store';

/**
 * The Search API's matching rules (fact sheet §3.1): `criteria` `((Field:operator:value)and(…))`, `email`,
 * `phone` (every phone field, compared as stored strings), `word`. `equals` on text fields behaves like
 * "contains"; on phone, email and picklist fields it is an exact comparison.
 */
export type Criteria = { kind: 'condition'; field: FieldDef; operator: string; values: string[] } | { kind: 'and' | 'or'; left: Criteria; right: Criteria };

export type PhoneComparison = 'exact' | 'digits';

const MAX_CONDITIONS = 10;
const TEXT_TYPES: DataType[] = ['text', 'textarea', 'email', 'phone', 'website'];
const ORDERED_TYPES: DataType[] = ['integer', 'double', 'currency', 'date', 'datetime'];

function operatorsFor(type: DataType): string[] {
  if (TEXT_TYPES.includes(type)) return ['equals', 'not_equal', 'starts_with', 'in'];
  if (ORDERED_TYPES.includes(type)) return ['equals', 'not_equal', 'greater_than', 'greater_equal', 'less_than', 'less_equal', 'between', 'in'];
  if (type === 'boolean') return ['equals', 'not_equal'];
  return ['equals', 'not_equal', 'in'];
}

const invalidQuery = (reason: string, details: Record<string, unknown> = {}): ZohoApiError => new ZohoApiError(400, 'INVALID_QUERY', 'Invalid query formed', { reason, ...details });

/** Splits on unescaped commas and removes the backslash escapes of `,`, `(` and `)`. */
function splitValues(raw: string): string[] {
  const values: string[] = [];
  let current = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '\\' && i + 1 < raw.length) current += raw[++i];
    else if (c === ',') {
      values.push(current);
      current = '';
    } else current += c;
  }
  values.push(current);
  return values;
}

export function parseCriteria(module: ModuleDef, text: string): Criteria {
  let pos = 0;
  let conditions = 0;
  const peekWord = (): 'and' | 'or' | undefined => {
    const match = /^(and|or)(?=\()/i.exec(text.slice(pos));
    return match ? (match[1].toLowerCase() as 'and' | 'or') : undefined;
  };
  const condition = (): Criteria => {
    const start = pos;
    while (pos < text.length && text[pos] !== ')') pos += text[pos] === '\\' ? 2 : 1;
    const raw = text.slice(start, pos);
    const first = raw.indexOf(':');
    const second = raw.indexOf(':', first + 1);
    if (first < 0 || second < 0) throw invalidQuery('invalid criteria format', { criteria: raw });
    const apiName = raw.slice(0, first);
    const operator = raw.slice(first + 1, second);
    const field = fieldOf(module, apiName);
    if (!field) throw invalidQuery('the field is not available for search', { api_name: apiName });
    if (!operatorsFor(field.type).includes(operator)) throw invalidQuery('invalid operator found', { api_name: apiName, operator });
    const values = operator === 'in' || operator === 'between' ? splitValues(raw.slice(second + 1)) : [splitValues(raw.slice(second + 1)).join(',')];
    if (operator === 'between' && values.length !== 2) throw invalidQuery('between needs two values', { api_name: apiName });
    if (operator === 'in' && values.length > 100) throw invalidQuery('in accepts at most 100 values', { api_name: apiName });
    if (++conditions > MAX_CONDITIONS) throw new ZohoApiError(400, 'LIMIT_EXCEEDED', `criteria can have at most ${MAX_CONDITIONS} conditions`, { limit: MAX_CONDITIONS });
    return { kind: 'condition', field, operator, values };
  };
  const term = (): Criteria => {
    if (text[pos] !== '(') return condition();
    pos += 1;
    const inner = text[pos] === '(' ? expression() : condition();
    if (text[pos] !== ')') throw invalidQuery('unbalanced brackets in criteria');
    pos += 1;
    return inner;
  };
  const expression = (): Criteria => {
    let node = term();
    for (let op = peekWord(); op; op = peekWord()) {
      pos += op.length;
      node = { kind: op, left: node, right: term() };
    }
    return node;
  };
  const criteria = expression();
  if (pos !== text.length) throw invalidQuery('invalid criteria format', { criteria: text });
  return criteria;
}

const digits = (s: string): string => s.replace(/\D/g, '');

function phonesEqual(stored: string, wanted: string, mode: PhoneComparison): boolean {
  return mode === 'exact' ? stored === wanted : digits(stored) !== '' && digits(stored) === digits(wanted);
}

function ordered(type: DataType, value: string): number {
  return type === 'date' || type === 'datetime' ? Date.parse(type === 'date' ? `${value}T00:00:00Z` : value) : Number(value);
}

function conditionMatches(c: Extract<Criteria, { kind: 'condition' }>, stored: unknown, phones: PhoneComparison): boolean {
  const { field, operator, values } = c;
  if (stored === undefined || stored === null || stored === '') return operator === 'not_equal';
  const text = String(stored);
  const equals = (wanted: string): boolean => {
    switch (field.type) {
      case 'text':
      case 'textarea':
      case 'website':
        return text.toLowerCase().includes(wanted.toLowerCase());
      case 'email':
        return text.toLowerCase() === wanted.toLowerCase();
      case 'phone':
        return phonesEqual(text, wanted, phones);
      case 'integer':
      case 'double':
      case 'currency':
      case 'date':
      case 'datetime':
        return ordered(field.type, text) === ordered(field.type, wanted);
      default:
        return text === wanted;
    }
  };
  const [a, b] = values.map((v) => ordered(field.type, v));
  const n = ordered(field.type, text);
  switch (operator) {
    case 'equals':
      return equals(values[0]);
    case 'not_equal':
      return !equals(values[0]);
    case 'in':
      return values.some(equals);
    case 'starts_with':
      return text.toLowerCase().startsWith(values[0].toLowerCase());
    case 'greater_than':
      return n > a;
    case 'greater_equal':
      return n >= a;
    case 'less_than':
      return n < a;
    case 'less_equal':
      return n <= a;
    case 'between':
      return n >= a && n <= b;
    default:
      return false;
  }
}

export function criteriaMatches(criteria: Criteria, values: StoredValues, phones: PhoneComparison): boolean {
  if (criteria.kind === 'condition') return conditionMatches(criteria, values[criteria.field.apiName], phones);
  const left = criteriaMatches(criteria.left, values, phones);
  return criteria.kind === 'and' ? left && criteriaMatches(criteria.right, values, phones) : left || criteriaMatches(criteria.right, values, phones);
}

/** `?phone=`: any phone-type field of the module holds the number. */
export function phoneMatches(module: ModuleDef, values: StoredValues, phone: string, mode: PhoneComparison): boolean {
  return module.fields.some((f) => f.type === 'phone' && typeof values[f.apiName] === 'string' && phonesEqual(values[f.apiName] as string, phone, mode));
}

/** `?email=`: any email-type field of the module holds the address (case-insensitive). */
export function emailMatches(module: ModuleDef, values: StoredValues, email: string): boolean {
  return module.fields.some((f) => f.type === 'email' && typeof values[f.apiName] === 'string' && (values[f.apiName] as string).toLowerCase() === email.toLowerCase());
}

/** `?word=`: a text field of the module contains the word (case-insensitive). */
export function wordMatches(module: ModuleDef, values: StoredValues, word: string): boolean {
  const wanted = word.toLowerCase();
  return module.fields.some((f) => (TEXT_TYPES.includes(f.type) || f.type === 'picklist') && typeof values[f.apiName] === 'string' && (values[f.apiName] as string).toLowerCase().includes(wanted));
}
