#!/usr/bin/env node
// `pnpm bench`: every benchmark in turn. Figures only; benchmarks are never tests.
import { pnpm } from './lib/bootstrap.mjs';

pnpm(['--filter', '@warrant/api', 'build']);
pnpm(['--filter', '@warrant/api', 'bench']);
