import { writeFileSync } from 'node:fs';
import { generateHistory, toCsv } from './test/unit/models/helpers/synthetic-history.js';
const [rows, pools, out] = [Number(process.argv[2]), Number(process.argv[3]), process.argv[4] as string];
writeFileSync(out, toCsv(generateHistory({ rows, pools, seed: 42 })));
