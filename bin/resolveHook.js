// ESM resolve hook for bin/kmc.js: `kmc` is this project's public API, and `immutable` falls back to this
// project's copy for files outside it.
const api = new URL('../src/index.ts', import.meta.url).href;
const here = new URL('../package.json', import.meta.url).href;

export async function resolve(specifier, context, next) {
  if (specifier === 'kmc') return next(api, context);
  try {
    return await next(specifier, context);
  } catch (e) {
    if (specifier !== 'immutable') throw e;
    return next(specifier, { ...context, parentURL: here });
  }
}
