// `npm run models`: (re)generates the built-in test models into public/models/builtin/.
import { BUILTIN_DIR, writeBuiltinModels } from './testmodels/write';

const t0 = performance.now();
const report = writeBuiltinModels(BUILTIN_DIR);
const ms = Math.round(performance.now() - t0);
console.log(`models: ${report.written.length} written, ${report.unchanged.length} unchanged in ${BUILTIN_DIR} (${ms} ms)`);
