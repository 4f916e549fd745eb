#!/usr/bin/env node
// Entry point of the `pulse` CLI (package.json "bin"). Sources are TypeScript run through tsx,
// so there is no build step between a clone and `npx pulse`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv);
