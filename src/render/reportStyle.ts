/**
 * The stylesheet of kmc's HTML pages (the compare report and the index of `kmc all`), inlined in each
 * page so that a report mailed or archived as one file looks the same anywhere, and prints cleanly: no
 * fonts to fetch, system font stacks only, each counterexample kept on one page where it fits.
 */
export const REPORT_CSS = `
:root { color-scheme: light; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1b1b;
  max-width: 1200px; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 1.6em; margin: 0 0 .2em; }
h2 { font-size: 1.25em; border-bottom: 1px solid #ccc; padding-bottom: .2em; margin-top: 2em; }
h3 { font-size: 1.05em; margin: 0 0 .3em; }
h3 small { font-weight: normal; color: #666; }
a { color: #0645ad; }
table { border-collapse: collapse; margin: .5em 0; }
th, td { border: 1px solid #ccc; padding: .3em .6em; text-align: left; vertical-align: top; }
thead th { background: #f3f3f3; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.scroll { overflow-x: auto; }
.matrix td { text-align: center; white-space: nowrap; font-size: .85em; line-height: 1.2; }
.matrix th, .matrix td { padding: .25em .4em; }
.matrix tbody th, .matrix thead th { white-space: nowrap; }
.matrix thead th { text-align: center; }
.matrix tbody th, ol.props code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .9em; }
ol.props { margin: .3em 0 .8em; padding-left: 2.2em; }
.c-holds, .v-holds { background: #e7f5e9; color: #1e5e2b; }
.c-violated, .v-violated { background: #fde8e8; }
.c-violated a { color: #a30000; font-weight: 600; }
.c-unreached { background: #fff4d6; color: #7a5200; }
.c-unknown, .v-incomplete, .c-absent { background: #f0f0f0; color: #555; }
.v-error, .error { background: #fde8e8; color: #a30000; }
.note, footer, .src, .files { color: #555; font-size: .9em; }
.cx { border: 1px solid #ddd; border-radius: 4px; padding: .8em 1em; margin: 1em 0; }
.cx:target { border-color: #a30000; box-shadow: 0 0 0 3px #f6c4c4; }
.claim { margin: 0 0 .5em; font-style: italic; }
figure.diagram { margin: .5em 0; overflow-x: auto; }
figure.diagram svg { max-width: 100%; height: auto; }
.diagrams { display: flex; flex-wrap: wrap; gap: 1em; align-items: flex-start; }
.diagrams figure.diagram { flex: 0 1 auto; min-width: 0; }
figcaption { color: #555; font-size: .9em; margin-bottom: .3em; }
pre { font: 13px/1.35 ui-monospace, Menlo, Consolas, monospace; background: #f7f7f7; padding: .6em;
  overflow-x: auto; }
dt { font-weight: 600; font-family: ui-monospace, Menlo, Consolas, monospace; margin-top: .5em; }
dd { margin-left: 1.5em; }
footer { margin-top: 3em; border-top: 1px solid #ccc; padding-top: .5em; }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; }
  .cx { break-inside: avoid; box-shadow: none; }
  pre { white-space: pre-wrap; }
  a { color: inherit; text-decoration: none; }
}
`.trim();

/** The opening of every kmc page, up to and including `<body>`: one style sheet, inline, no network. */
export function pageHead(title: string): string[] {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${title}</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head>',
    '<body>',
  ];
}
