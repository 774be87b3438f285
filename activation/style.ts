/**
 * The activation pages' stylesheet: plain CSS inlined in each page (no build, no extra request, nothing for a
 * Content-Security-Policy to allow but inline styles). It styles the classes html.ts writes: `.ok` and `.problem`
 * status lines as coloured panels, tables with a header row, labelled form fields one per line, a refused field
 * outlined with its reason (`.field-error`) beside it, and the note saying which time zone the times are in.
 */
export const ACTIVATION_CSS = `
:root{color-scheme:light;--ink:#1d2430;--muted:#5b6472;--line:#d9dee5;--ok:#1e6b3a;--ok-bg:#e8f5ec;--bad:#9b1c1c;--bad-bg:#fdecec;--accent:#2457c5}
*{box-sizing:border-box}
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:#f6f7f9;max-width:56rem;margin:0 auto;padding:2rem 1rem}
h1{font-size:1.6rem;margin:0 0 1.2rem}h2{font-size:1.2rem;margin:2rem 0 .6rem}
a{color:var(--accent)}code{font-size:.9em;background:#eef1f5;padding:.05rem .3rem;border-radius:3px}
p.ok,p.problem{padding:.7rem 1rem;border-radius:6px;border-left:4px solid}
p.ok{color:var(--ok);background:var(--ok-bg);border-color:var(--ok)}
p.problem{color:var(--bad);background:var(--bad-bg);border-color:var(--bad)}
form{background:#fff;border:1px solid var(--line);border-radius:8px;padding:1rem 1.2rem;margin:.8rem 0}
label{display:block;margin:.7rem 0;color:var(--muted)}
input[type=text],input[type=password],select{display:block;width:100%;max-width:28rem;margin-top:.2rem;padding:.45rem .55rem;border:1px solid var(--line);border-radius:5px;font:inherit;color:var(--ink);background:#fff}
label:has(input[type=checkbox]){display:flex;gap:.5rem;align-items:baseline;color:var(--ink)}
button{font:inherit;padding:.45rem 1rem;border:0;border-radius:5px;background:var(--accent);color:#fff;cursor:pointer}
button:hover{filter:brightness(1.1)}
table{border-collapse:collapse;width:100%;background:#fff;border:1px solid var(--line);border-radius:8px;margin:.6rem 0}
th{background:#eef1f5;font-weight:600}td,th{padding:.5rem .7rem;border-bottom:1px solid var(--line);text-align:left;vertical-align:middle}
tr:last-child td{border-bottom:0}td select{margin:0}
[aria-invalid=true]{border-color:var(--bad);box-shadow:0 0 0 1px var(--bad)}
.field-error{display:block;margin-top:.25rem;color:var(--bad);font-size:.9rem}
.field-error::before{content:"⚠ "}
p.note{color:var(--muted);font-size:.9rem}
time{white-space:nowrap}
`;
