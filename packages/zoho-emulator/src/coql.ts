import { ZohoApiError } from './errors';
import { fieldOf, isModuleName, type FieldDef, type ModuleName } from './modules';
import { moduleDef, userById } from './org';
import { renderRecord, type RenderContext } from './render';
import type { StoredRecord } from './store';

/**
 * The COQL subset of the fact sheet §3.2: `select <columns> from <module> where <criteria> [order by …]
 * [limit n [offset m] | limit m, n]`, comparators `= != < > <= >= like, not like, in, not in, between, is null,
 * is not null`, lookup joins by dot (`Contact_Name.Phone`, two relations at most; `What_Id->Leads.Last_Name` for
 * multi-module lookups), owner attributes (`Owner.id`, `Owner.email`). WHERE is mandatory and a bracket level
 * holds at most two criteria, as Zoho requires. `=` compares strings literally; `like` ignores case.
 */
type Literal = string | number | boolean | null;
type Comparator = '=' | '!=' | '<' | '>' | '<=' | '>=' | 'like' | 'not like' | 'in' | 'not in' | 'between' | 'is null' | 'is not null';
export type Condition = { kind: 'compare'; column: string; comparator: Comparator; values: Literal[] } | { kind: 'and' | 'or'; left: Condition; right: Condition };

export interface CoqlQuery {
  columns: string[];
  module: string;
  where: Condition;
  orderBy: { column: string; descending: boolean }[];
  limit: number;
  offset: number;
}

const DEFAULT_LIMIT = 200;
const MAX_LIMIT = 2000;
const MAX_REACH = 100_000;
const MAX_COLUMNS = 50;
const MAX_CRITERIA = 25;
const MAX_RELATIONS = 2;
const USER_ATTRIBUTES = ['id', 'full_name', 'first_name', 'last_name', 'email', 'status'] as const;
type UserAttribute = (typeof USER_ATTRIBUTES)[number];
const isUserAttribute = (name: string): name is UserAttribute => (USER_ATTRIBUTES as readonly string[]).includes(name);

interface Token {
  type: 'word' | 'string' | 'number' | 'symbol' | 'end';
  text: string;
  value: Literal;
  pos: number;
}

const syntaxError = (token: Pick<Token, 'text' | 'pos'>): ZohoApiError =>
  new ZohoApiError(400, 'SYNTAX_ERROR', 'error occured while parsing the query', { near: token.text, line: 1, column: token.pos + 1 });
const invalidColumn = (column: string): ZohoApiError => new ZohoApiError(400, 'INVALID_QUERY', 'column given seems to be invalid', { column_name: column });
const tooDeep = (column: string): ZohoApiError =>
  new ZohoApiError(400, 'INVALID_QUERY', `lookups can be followed at most ${MAX_RELATIONS} relations deep`, { column_name: column });
const invalidValue = (column: string): ZohoApiError => new ZohoApiError(400, 'INVALID_QUERY', 'value given seems to be invalid for the column', { column_name: column });

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const rest = query.slice(i);
    const space = /^\s+/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    if (rest[0] === "'") {
      let j = i + 1;
      let value = '';
      for (; j < query.length && query[j] !== "'"; j++) {
        if (query[j] === '\\' && j + 1 < query.length) j += 1;
        value += query[j];
      }
      if (j >= query.length) throw syntaxError({ text: rest, pos: i });
      tokens.push({ type: 'string', text: query.slice(i, j + 1), value, pos: i });
      i = j + 1;
      continue;
    }
    const match =
      /^(?<number>-?\d+(?:\.\d+)?)(?![\w.])/.exec(rest) ??
      /^(?<word>[A-Za-z_$][\w$]*(?:(?:\.|->)[A-Za-z_$][\w$]*)*)/.exec(rest) ??
      /^(?<symbol><=|>=|!=|<>|=|<|>|\(|\)|,|\*)/.exec(rest);
    if (!match?.groups) throw syntaxError({ text: rest.split(/\s/)[0], pos: i });
    const [type, text] = Object.entries(match.groups).find(([, v]) => v !== undefined) as [Token['type'], string];
    tokens.push({ type, text, value: type === 'number' ? Number(text) : text, pos: i });
    i += text.length;
  }
  tokens.push({ type: 'end', text: '', value: null, pos: query.length });
  return tokens;
}

class Parser {
  private index = 0;
  private criteria = 0;

  constructor(private readonly tokens: Token[]) {}

  private get token(): Token {
    return this.tokens[this.index];
  }

  private isKeyword(word: string): boolean {
    return this.token.type === 'word' && this.token.text.toLowerCase() === word;
  }

  private acceptKeyword(word: string): boolean {
    if (!this.isKeyword(word)) return false;
    this.index += 1;
    return true;
  }

  private expectKeyword(word: string): void {
    if (!this.acceptKeyword(word)) throw syntaxError(this.token);
  }

  private accept(symbol: string): boolean {
    if (this.token.type !== 'symbol' || this.token.text !== symbol) return false;
    this.index += 1;
    return true;
  }

  private expect(symbol: string): void {
    if (!this.accept(symbol)) throw syntaxError(this.token);
  }

  private name(): string {
    if (this.token.type !== 'word') throw syntaxError(this.token);
    return this.tokens[this.index++].text;
  }

  private integer(): number {
    const token = this.token;
    if (token.type !== 'number' || !Number.isInteger(token.value) || (token.value as number) < 0) throw syntaxError(token);
    this.index += 1;
    return token.value as number;
  }

  parse(): CoqlQuery {
    this.expectKeyword('select');
    const columns: string[] = [];
    do {
      const column = this.name();
      if (this.token.text === '(') throw new ZohoApiError(400, 'NOT_SUPPORTED', 'aggregate functions are not supported by the emulator', { function: column });
      columns.push(column);
    } while (this.accept(','));
    if (columns.length > MAX_COLUMNS) throw new ZohoApiError(400, 'LIMIT_EXCEEDED', `at most ${MAX_COLUMNS} columns can be selected`, { limit: MAX_COLUMNS });
    this.expectKeyword('from');
    const module = this.name();
    if (!this.acceptKeyword('where')) {
      if (this.token.type === 'end' || this.isKeyword('order') || this.isKeyword('limit')) {
        throw new ZohoApiError(400, 'SYNTAX_ERROR', 'missing clause', { clause: 'where' });
      }
      throw syntaxError(this.token);
    }
    const where = this.expression();
    const orderBy: CoqlQuery['orderBy'] = [];
    if (this.acceptKeyword('order')) {
      this.expectKeyword('by');
      do {
        const column = this.name();
        const descending = this.acceptKeyword('desc');
        if (!descending) this.acceptKeyword('asc');
        orderBy.push({ column, descending });
      } while (this.accept(','));
    }
    let limit = DEFAULT_LIMIT;
    let offset = 0;
    if (this.acceptKeyword('limit')) {
      limit = this.integer();
      if (this.accept(',')) [offset, limit] = [limit, this.integer()];
      else if (this.acceptKeyword('offset')) offset = this.integer();
    }
    if (this.token.type !== 'end') throw syntaxError(this.token);
    if (limit > MAX_LIMIT || offset + limit > MAX_REACH) throw new ZohoApiError(400, 'LIMIT_EXCEEDED', `limit can be at most ${MAX_LIMIT} and offset + limit at most ${MAX_REACH}`, { limit: MAX_LIMIT });
    return { columns, module, where, orderBy, limit, offset };
  }

  /** At most two criteria per bracket level: `a and b or c` is a syntax error, `(a and b) or c` is not. */
  private expression(): Condition {
    const left = this.term();
    const op = this.acceptKeyword('and') ? 'and' : this.acceptKeyword('or') ? 'or' : undefined;
    if (!op) return left;
    const node: Condition = { kind: op, left, right: this.term() };
    if (this.isKeyword('and') || this.isKeyword('or')) throw syntaxError(this.token);
    return node;
  }

  private term(): Condition {
    if (this.accept('(')) {
      const inner = this.expression();
      this.expect(')');
      return inner;
    }
    return this.comparison();
  }

  private comparison(): Condition {
    const column = this.name();
    if (++this.criteria > MAX_CRITERIA) throw new ZohoApiError(400, 'LIMIT_EXCEEDED', `at most ${MAX_CRITERIA} criteria are allowed`, { limit: MAX_CRITERIA });
    const compare = (comparator: Comparator, values: Literal[]): Condition => ({ kind: 'compare', column, comparator, values });
    const symbol = this.token.type === 'symbol' ? this.token.text : undefined;
    if (symbol && ['=', '!=', '<>', '<', '>', '<=', '>='].includes(symbol)) {
      this.index += 1;
      return compare(symbol === '<>' ? '!=' : (symbol as Comparator), [this.literal()]);
    }
    if (this.acceptKeyword('like')) return compare('like', [this.literal()]);
    if (this.acceptKeyword('in')) return compare('in', this.list());
    if (this.acceptKeyword('between')) {
      const from = this.literal();
      this.expectKeyword('and');
      return compare('between', [from, this.literal()]);
    }
    if (this.acceptKeyword('not')) {
      if (this.acceptKeyword('like')) return compare('not like', [this.literal()]);
      this.expectKeyword('in');
      return compare('not in', this.list());
    }
    if (this.acceptKeyword('is')) {
      const negated = this.acceptKeyword('not');
      this.expectKeyword('null');
      return compare(negated ? 'is not null' : 'is null', []);
    }
    throw syntaxError(this.token);
  }

  private list(): Literal[] {
    this.expect('(');
    const values: Literal[] = [];
    do values.push(this.literal());
    while (this.accept(','));
    this.expect(')');
    return values;
  }

  private literal(): Literal {
    const token = this.token;
    this.index += 1;
    if (token.type === 'string' || token.type === 'number') return token.value;
    if (token.type === 'word' && ['true', 'false'].includes(token.text.toLowerCase())) return token.text.toLowerCase() === 'true';
    if (token.type === 'word' && token.text.toLowerCase() === 'null') return null;
    throw syntaxError(token);
  }
}

export function parseCoql(query: string): CoqlQuery {
  return new Parser(tokenize(query)).parse();
}

/** API credits of a COQL call, by its LIMIT: 1–200 → 1, 201–1000 → 2, 1001–2000 → 3. */
export function coqlCost(limit: number): number {
  return limit <= 200 ? 1 : limit <= 1000 ? 2 : 3;
}

interface Column {
  /** The field the column ends on (undefined for `id` and owner attributes), for typing literals. */
  field?: FieldDef;
  value(record: StoredRecord): unknown;
  render(record: StoredRecord): unknown;
}

function compileColumn(ctx: RenderContext, from: ModuleName, path: string): Column {
  const segments = path.split('.');
  const hops: { field: FieldDef; target: ModuleName }[] = [];
  let module = from;
  for (let i = 0; i < segments.length - 1; i++) {
    const [name, forced] = segments[i].split('->');
    const field = fieldOf(moduleDef(ctx.org, module), name);
    const attribute = segments[i + 1];
    if (field?.type === 'ownerlookup' && i === segments.length - 2 && isUserAttribute(attribute)) {
      if (hops.length >= MAX_RELATIONS) throw tooDeep(path);
      const follow = followHops(ctx, hops);
      const value = (record: StoredRecord): unknown => {
        const target = follow(record);
        const user = target ? userById(ctx.org, String(target.values[field.apiName])) : undefined;
        return user ? user[attribute] : null;
      };
      return { value, render: value };
    }
    const target = forced ?? (field?.lookup?.length === 1 ? field.lookup[0] : undefined);
    if (!field || field.type !== 'lookup' || !target || !isModuleName(target) || !field.lookup?.includes(target)) throw invalidColumn(path);
    hops.push({ field, target });
    module = target;
  }
  if (hops.length > MAX_RELATIONS) throw tooDeep(path);
  const follow = followHops(ctx, hops);
  const last = segments[segments.length - 1];
  if (last === 'id') {
    const value = (record: StoredRecord): unknown => follow(record)?.id ?? null;
    return { value, render: value };
  }
  const field = fieldOf(moduleDef(ctx.org, module), last);
  if (!field) throw invalidColumn(path);
  return {
    field,
    value: (record) => {
      const target = follow(record);
      if (!target) return null;
      if (last === 'Created_Time') return target.createdAt;
      if (last === 'Modified_Time') return target.modifiedAt;
      if (last === 'Created_By') return target.createdBy;
      if (last === 'Modified_By') return target.modifiedBy;
      return target.values[last] ?? null;
    },
    render: (record) => {
      const target = follow(record);
      return target ? renderRecord(ctx, target, [last])[last] : null;
    },
  };
}

function followHops(ctx: RenderContext, hops: { field: FieldDef; target: ModuleName }[]): (record: StoredRecord) => StoredRecord | undefined {
  return (record) => {
    let current: StoredRecord | undefined = record;
    for (const hop of hops) {
      if (!current) return undefined;
      const multiModule = (hop.field.lookup?.length ?? 0) > 1;
      if (multiModule && current.values.$se_module !== hop.target) return undefined;
      const id: unknown = current.values[hop.field.apiName];
      current = typeof id === 'string' ? ctx.store.get(hop.target, id) : undefined;
    }
    return current;
  };
}

/** A value made comparable for the column's type; invalid literals are INVALID_QUERY, as in Zoho. */
function comparable(field: FieldDef | undefined, value: unknown, column: string, literal: boolean): string | number | boolean {
  const fail = (): never => {
    throw invalidValue(column);
  };
  switch (field?.type) {
    case 'integer':
    case 'double':
    case 'currency': {
      const n = typeof value === 'number' ? value : Number(value);
      return Number.isNaN(n) ? fail() : n;
    }
    case 'boolean':
      if (typeof value === 'boolean') return value;
      return value === 'true' ? true : value === 'false' ? false : fail();
    case 'date':
    case 'datetime': {
      const t = typeof value === 'number' ? value : Date.parse(field.type === 'date' ? `${String(value)}T00:00:00Z` : String(value));
      return Number.isNaN(t) ? fail() : t;
    }
    default:
      if (literal && typeof value !== 'string') fail();
      return String(value);
  }
}

function likeRegex(pattern: string): RegExp {
  const escaped = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*');
  return new RegExp(`^${escaped}$`, 'is');
}

type Predicate = (record: StoredRecord) => boolean;

function compileCondition(ctx: RenderContext, module: ModuleName, condition: Condition): Predicate {
  if (condition.kind !== 'compare') {
    const left = compileCondition(ctx, module, condition.left);
    const right = compileCondition(ctx, module, condition.right);
    return condition.kind === 'and' ? (r) => left(r) && right(r) : (r) => left(r) || right(r);
  }
  const column = compileColumn(ctx, module, condition.column);
  const { comparator } = condition;
  const isEmpty = (v: unknown): boolean => v === null || v === undefined || v === '';
  if (comparator === 'is null') return (r) => isEmpty(column.value(r));
  if (comparator === 'is not null') return (r) => !isEmpty(column.value(r));
  if (condition.values.some((v) => v === null)) throw invalidValue(condition.column);
  if (comparator === 'like' || comparator === 'not like') {
    const [pattern] = condition.values;
    if (typeof pattern !== 'string') throw invalidValue(condition.column);
    const regex = likeRegex(pattern);
    return (r) => {
      const v = column.value(r);
      return !isEmpty(v) && regex.test(String(v)) === (comparator === 'like');
    };
  }
  const wanted = condition.values.map((v) => comparable(column.field, v, condition.column, true));
  // A checkbox is never empty in Zoho: one never ticked reads false (as records render it).
  const unset = column.field?.type === 'boolean' ? false : undefined;
  return (r) => {
    const raw = column.value(r) ?? unset;
    if (isEmpty(raw)) return false;
    const v = comparable(column.field, raw, condition.column, false);
    switch (comparator) {
      case '=':
        return v === wanted[0];
      case '!=':
        return v !== wanted[0];
      case 'in':
        return wanted.includes(v);
      case 'not in':
        return !wanted.includes(v);
      case '<':
        return v < wanted[0];
      case '>':
        return v > wanted[0];
      case '<=':
        return v <= wanted[0];
      case '>=':
        return v >= wanted[0];
      case 'between':
        return v >= wanted[0] && v <= wanted[1];
    }
  };
}

export interface CoqlResult {
  rows: Record<string, unknown>[];
  more: boolean;
}

/**
 * Runs a parsed query. Converted leads are rows like any other: COQL has no `converted` parameter, unlike list and
 * search, and Zoho's documentation does not say it hides them, so the stricter reading holds (a client that wants
 * open leads asks for `Converted__s = false`). Integrations that trusted the opposite treated converted leads as
 * open (issue 13, C4).
 */
export function runCoql(ctx: RenderContext, query: CoqlQuery): CoqlResult {
  if (!isModuleName(query.module)) throw new ZohoApiError(400, 'INVALID_QUERY', 'invalid module given', { module: query.module });
  const module = query.module;
  const columns = query.columns.map((c) => [c, compileColumn(ctx, module, c)] as const);
  const predicate = compileCondition(ctx, module, query.where);
  const order = query.orderBy.map((o) => ({ column: compileColumn(ctx, module, o.column), descending: o.descending }));
  const matches = ctx.store
    .all(module)
    .filter(predicate)
    .sort((a, b) => {
      for (const { column, descending } of order) {
        const [x, y] = [column.value(a), column.value(b)] as [string | number | null, string | number | null];
        if (x === y) continue;
        if (x === null) return 1;
        if (y === null) return -1;
        return (x < y ? -1 : 1) * (descending ? -1 : 1);
      }
      return a.id < b.id ? -1 : 1;
    });
  const page = matches.slice(query.offset, query.offset + query.limit);
  return {
    rows: page.map((r) => Object.fromEntries([...columns.map(([name, column]) => [name, column.render(r)]), ['id', r.id]])),
    more: matches.length > query.offset + query.limit,
  };
}
