#!/usr/bin/env node
// The nnspec command: TypeScript sources run through tsx, no build step. Both of tsx's hooks are
// registered so that an adapter written as TypeScript in a CommonJS project (npm init's default) loads.
import { register } from 'tsx/esm/api'
import { register as registerCjs } from 'tsx/cjs/api'

// the CLI runs claims on its own workers, never as vitest tests, even when a test started it
for (const k of Object.keys(process.env)) if (k.startsWith('VITEST')) delete process.env[k]
register()
registerCjs()
await import('../harness/cli.ts')
