/** L4: the JSON scanner counts only structure: brackets, colons and commas inside strings are text. */
import { parseBoundedJson } from '../../common/bounded-json';

const limits = { maxDepth: 2, maxValues: 3 };

it('L4: brackets, colons, commas, quotes and escapes inside strings do not count', () => {
  expect(parseBoundedJson('{"a":"[[[{{{:::,,,\\"]]]\\\\","b":["x"]}', limits)).toEqual({ ok: true, value: { a: '[[[{{{:::,,,"]]]\\', b: ['x'] } });
});

it('L4: depth and value count are limits, each named', () => {
  expect(parseBoundedJson('[[[1]]]', limits)).toEqual({ ok: false, error: 'nested deeper than 2 levels' });
  expect(parseBoundedJson('{"a":1,"b":2,"c":3}', limits)).toEqual({ ok: false, error: 'more than 3 keys and array items' });
});

it('L4: surrogate pairs are text; a lone half, escaped or raw, is refused', () => {
  expect(parseBoundedJson('"\\ud83d\\ude00"', limits)).toEqual({ ok: true, value: '😀' });
  expect(parseBoundedJson('"😀"', limits)).toEqual({ ok: true, value: '😀' });
  for (const text of ['"\\ud800"', '"\\ud800x"', '"\\udc00"', '"\\ud800\\n"', '"\\ud800\\u0041"', `"${'\ud800'}"`]) {
    expect(parseBoundedJson(text, limits)).toMatchObject({ ok: false, error: expect.stringContaining('lone UTF-16 surrogate') });
  }
});

it('L4: malformed JSON is refused with where it breaks, never with the text around it (a caller\'s number)', () => {
  const cases: [string, number][] = [
    ['{"uniqueid": "1", "caller": x380671234567}', 28], // V8's message quotes 'x380671234'
    ['{"caller": 380671234567x}', 23],
    ['{"caller":"380671234567"} 380671234567', 26],
    ['{"caller":"38067\\q1234567"}', 17],
    ['{"caller":"380671234567"', 24], // ends too early
    ['[1,{"a":[true,]}]', 14],
  ];
  for (const [text, position] of cases) {
    expect(parseBoundedJson(text)).toEqual({ ok: false, error: `malformed JSON at position ${position}` });
  }
});

it('L1: keeps numbers as the text the sender wrote, so a numeric call id keeps its trailing zero and every digit', () => {
  expect(parseBoundedJson('{"uniqueid":1714567890.10,"n":-1.5e3,"s":"a\\"1, 2","list":[12345678901234567890,0],"t":true}')).toEqual({
    ok: true,
    value: { uniqueid: '1714567890.10', n: '-1.5e3', s: 'a"1, 2', list: ['12345678901234567890', '0'], t: true },
  });
});
