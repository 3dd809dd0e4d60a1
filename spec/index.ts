/**
 * The built-in models, by name: the only spec module the CLI imports.
 */
import type { AnyModelSpec } from '../src/model.js';
import asiNesting from './asi-nesting/index.js';
import pkrsCache from './pkrs-cache/index.js';
import pkrsNesting from './pkrs-nesting/index.js';
import ptiStack from './pti-stack/index.js';
import xsavePasid from './xsave-pasid/index.js';

export const models: readonly AnyModelSpec[] = [pkrsNesting, pkrsCache, ptiStack, asiNesting, xsavePasid];
