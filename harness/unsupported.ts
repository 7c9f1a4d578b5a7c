// The engine cannot run this claim (no gradients, no optimizer, an op or attribute it declines): the
// claim is skipped with this reason, never failed. Its own module, so the boundary (guard.ts) can raise
// it for a node the engine's supports() declines.
export class Unsupported extends Error {
  override name = 'Unsupported'
}
