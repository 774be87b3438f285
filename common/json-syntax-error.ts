/**
 * Where text that JSON.parse refused stops being JSON. V8's own message cannot be shown instead: for an unexpected
 * character it quotes the text around it ("Unexpected token 'x', ...\"380671234x\"..."), and a webhook body holds
 * a caller's phone number. This walks the JSON grammar with an explicit stack, so no nesting overflows it.
 */
const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const ESCAPABLE = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;

/**
 * The offset of the first character no JSON text could have there, or `text.length` when the text ends too early.
 * Only meaningful for text JSON.parse refused: for valid JSON it returns `text.length` as well.
 */
export function jsonSyntaxErrorAt(text: string): number {
  let at = 0;
  const skipWhitespace = () => {
    while (WHITESPACE.has(text[at])) at += 1;
  };
  /** Reads a string at `at`; false with `at` on the offending character. */
  const string = (): boolean => {
    if (text[at] !== '"') return false;
    for (at += 1; at < text.length; at += 1) {
      const char = text[at];
      if (char === '"') {
        at += 1;
        return true;
      }
      if (char < ' ') return false;
      if (char === '\\') {
        at += 1;
        if (text[at] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(at + 1, at + 5))) return false;
          at += 4;
        } else if (!ESCAPABLE.has(text[at])) return false;
      }
    }
    return false;
  };
  const token = (pattern: RegExp): boolean => {
    pattern.lastIndex = at;
    if (!pattern.test(text)) return false;
    at = pattern.lastIndex;
    return true;
  };
  /** A key and its colon, in an object. */
  const key = (): boolean => {
    skipWhitespace();
    if (!string()) return false;
    skipWhitespace();
    if (text[at] !== ':') return false;
    at += 1;
    return true;
  };
  const open: ('{' | '[')[] = [];
  for (;;) {
    // A value is expected here.
    skipWhitespace();
    const char = text[at];
    if (char === '{' || char === '[') {
      at += 1;
      skipWhitespace();
      if (text[at] === (char === '{' ? '}' : ']')) at += 1;
      else {
        open.push(char);
        if (char === '{' && !key()) return at;
        continue;
      }
    } else if (!(char === '"' ? string() : token(NUMBER) || token(LITERAL))) return at;
    // A value ended: a comma, the closing bracket of its container, or, outside any, the end of the text.
    for (;;) {
      skipWhitespace();
      const container = open.at(-1);
      if (container === undefined || at >= text.length) return at;
      if (text[at] === ',') {
        at += 1;
        if (container === '{' && !key()) return at;
        break;
      }
      if (text[at] !== (container === '{' ? '}' : ']')) return at;
      at += 1;
      open.pop();
    }
  }
}
