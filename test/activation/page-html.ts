/** Reading the activation pages' HTML in tests: an input, the reason shown beside it, the option chosen. */

/** The opening tag of the input or select named `name`. */
export function control(html: string, name: string): string {
  const tag = new RegExp(`<(input|select)[^>]*\\sname="${name.replace(/\./g, '\\.')}"[^>]*>`).exec(html)?.[0];
  if (!tag) throw new Error(`no input named ${name}`);
  return tag;
}

/**
 * The reason shown beside the input `name`: the element its aria-describedby names, which must follow the input
 * before any other input does (in the same label or table cell).
 */
export function reasonBeside(html: string, name: string): string | undefined {
  const tag = control(html, name);
  const id = /aria-describedby="([^"]+)"/.exec(tag)?.[1];
  if (!id || !/aria-invalid="true"/.test(tag)) return undefined;
  const after = html.slice(html.indexOf(tag) + tag.length);
  const reason = new RegExp(`<span class="field-error" id="${id}">([^<]*)</span>`).exec(after);
  // Beside: no other input comes between the input and its reason.
  if (!reason || /<(input|select)\s/.test(after.slice(0, reason.index))) return undefined;
  return reason[1];
}

/** The value of the option chosen in the select named `name`. */
export function selectedOption(html: string, name: string): string | undefined {
  const start = html.indexOf(control(html, name));
  const select = html.slice(start, html.indexOf('</select>', start));
  return /<option value="([^"]*)" selected>/.exec(select)?.[1];
}
