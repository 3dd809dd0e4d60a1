/**
 * DOT to SVG in-process, with the WebAssembly Graphviz (`@aduh95/viz.js`, Graphviz 5.0.0) that the
 * `graphviz-cli` dependency ships, so reviewers get pictures without a system `dot` and every machine
 * draws the same bytes from the same DOT: one pinned Graphviz, and text measured with its built-in font
 * metrics, never the system's fonts.
 *
 * We start viz.js's worker thread ourselves rather than through `graphviz-cli`'s `renderGraphFromSource`
 * only to silence it: Graphviz warns on stderr about every non-ASCII character it measures (the `→` of
 * every diff line), which is noise on kmc's stderr. The worker is a two-line bootstrap that mutes
 * `console.warn` and then loads viz.js's own worker script, which recognises itself by `__filename`
 * (capturing the worker's stderr instead would keep the process alive). Real errors still reject. viz.js
 * un-references the worker while it is idle, so rendering never keeps the process alive. No file is
 * read or written: the DOT goes in as a string and the SVG comes back as one.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

interface Viz {
  renderString(src: string, options: { readonly format: 'svg'; readonly engine: 'dot' }): Promise<string>;
}
type VizClass = new (options: { readonly worker: Worker }) => Viz;

let viz: Promise<Viz> | undefined;

/** Lays out `dot` with Graphviz's `dot` engine and returns the SVG document. */
export async function renderSvg(dot: string): Promise<string> {
  viz ??= startViz();
  try {
    return await (await viz).renderString(dot, { format: 'svg', engine: 'dot' });
  } catch (e) {
    // kmc writes the DOT itself, so Graphviz rejecting it is a kmc bug: say so, on one line.
    const message = (e instanceof Error ? e.message : String(e)).replace(/^Error: /, '').trim();
    throw new Error(`Graphviz could not render kmc's DOT: ${message}`);
  }
}

/** Loads viz.js as `graphviz-cli` resolves it (it need not be hoisted) and starts its worker. */
async function startViz(): Promise<Viz> {
  const fromCli = createRequire(createRequire(import.meta.url).resolve('graphviz-cli'));
  const workerFile = fromCli.resolve('@aduh95/viz.js/worker');
  // The package's `require` entry is deprecated; its ES module entry sits next to the worker script.
  const entry = join(dirname(workerFile), 'index.mjs');
  const mod = (await import(pathToFileURL(entry).href)) as { default: VizClass };
  const bootstrap = `console.warn = () => {}; import(${JSON.stringify(pathToFileURL(workerFile).href)});`;
  const worker = new Worker(bootstrap, { eval: true, workerData: { __filename: workerFile, moduleOverrides: {} } });
  return new mod.default({ worker });
}
