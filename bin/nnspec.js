#!/usr/bin/env node
// The nnspec command: TypeScript sources run through tsx, no build step.
import { register } from 'tsx/esm/api'

register()
await import('../harness/cli.ts')
