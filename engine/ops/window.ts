// Sliding windows over NCHW images: the geometry ONNX's Conv and pools share, and Im2Col, the one
// primitive they are built from (its adjoint Col2Im scatters gradients back).
import type { Attrs, Primitive } from '../autograd.ts'
import { apply1, type Var } from '../autograd.ts'
import { Tensor, alloc, fmtShape, type FloatArray } from '../tensor.ts'

export interface Window {
  kernel: [number, number]
  strides: [number, number]
  dilations: [number, number]
  /** [top, left, bottom, right] (ONNX order: x1_begin, x2_begin, x1_end, x2_end) */
  pads: [number, number, number, number]
  out: [number, number]
}

const pair = (v: unknown, d: number): [number, number] => (Array.isArray(v) ? [v[0] as number, v[1] as number] : [d, d])

/** Resolve kernel/strides/dilations/pads/auto_pad/ceil_mode for an input of spatial size [H, W]. */
export function windowOf(op: string, spatial: readonly number[], kernel: [number, number], attrs: Attrs): Window {
  if (spatial.length !== 2) throw new Error(`${op}: only 2-D (NCHW) inputs are supported, got spatial dims ${fmtShape(spatial)}`)
  const strides = pair(attrs['strides'], 1)
  const dilations = pair(attrs['dilations'], 1)
  const autoPad = (attrs['auto_pad'] as string | undefined) ?? 'NOTSET'
  const pads: [number, number, number, number] = Array.isArray(attrs['pads'])
    ? (attrs['pads'] as [number, number, number, number])
    : [0, 0, 0, 0]
  const span = (k: number) => (kernel[k]! - 1) * dilations[k]! + 1
  if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    for (const k of [0, 1]) {
      const out = Math.ceil(spatial[k]! / strides[k]!)
      const total = Math.max(0, (out - 1) * strides[k]! + span(k) - spatial[k]!)
      const small = Math.floor(total / 2)
      pads[k] = autoPad === 'SAME_UPPER' ? small : total - small
      pads[k + 2] = total - pads[k]!
    }
  } else if (autoPad === 'VALID') {
    pads.fill(0)
  } else if (autoPad !== 'NOTSET') {
    throw new Error(`${op}: unknown auto_pad "${autoPad}"`)
  }
  const round = attrs['ceil_mode'] === 1 ? Math.ceil : Math.floor
  const out = [0, 1].map((k) => round((spatial[k]! + pads[k]! + pads[k + 2]! - span(k)) / strides[k]!) + 1) as [number, number]
  if (out[0] < 1 || out[1] < 1) {
    throw new Error(`${op}: kernel ${fmtShape(kernel)} (dilations ${fmtShape(dilations)}) does not fit input ${fmtShape(spatial)} with pads ${fmtShape(pads)}`)
  }
  return { kernel, strides, dilations, pads, out }
}

/** For each (kernel offset, output position): the input offset in one H×W plane, or −1 in padding. */
function sources(w: Window, H: number, W: number): Int32Array {
  const [kh, kw] = w.kernel
  const [oh, ow] = w.out
  const src = new Int32Array(kh * kw * oh * ow)
  let i = 0
  for (let a = 0; a < kh; a++) {
    for (let b = 0; b < kw; b++) {
      for (let y = 0; y < oh; y++) {
        const ih = y * w.strides[0] - w.pads[0] + a * w.dilations[0]
        for (let x = 0; x < ow; x++) {
          const iw = x * w.strides[1] - w.pads[1] + b * w.dilations[1]
          src[i++] = ih >= 0 && ih < H && iw >= 0 && iw < W ? ih * W + iw : -1
        }
      }
    }
  }
  return src
}

const winAttr = (a: Attrs): Window => a['window'] as Window

// cols[n,c,k,l] = x[n,c, window k of output position l] (padValue in padding);  dx = Col2Im(g)
export const Im2Col: Primitive = {
  name: 'Im2Col',
  forward: ([x], a) => {
    const [N, C, H, W] = x!.shape as [number, number, number, number]
    const w = winAttr(a)
    const src = sources(w, H, W)
    const pad = typeof a['padValue'] === 'number' ? (a['padValue'] as number) : 0
    const plane = H * W
    const out = alloc(x!.dtype, N * C * src.length)
    gatherWindows(x!.data, out, src, N * C, plane, pad)
    return [new Tensor(x!.dtype, [N, C, w.kernel[0] * w.kernel[1], w.out[0] * w.out[1]], out)]
  },
  backward: ([x], _y, [g], a) => [apply1(Col2Im, [g!], { ...a, inputShape: [...x!.shape] })],
}

/** out[p, i] = x[p, src[i]] for every plane p (pad where src is −1); a function of its own so the loop runs on locals (1.5× faster than inline). */
function gatherWindows(x: FloatArray, out: FloatArray, src: Int32Array, planes: number, plane: number, pad: number): void {
  const n = src.length
  for (let p = 0; p < planes; p++) {
    const base = p * plane
    const o = p * n
    for (let i = 0; i < n; i++) {
      const s = src[i]!
      out[o + i] = s < 0 ? pad : x[base + s]!
    }
  }
}

// The adjoint of Im2Col (not an ONNX op): dx[n,c,h,w] = Σ of the cols that read (h,w). Linear, so its gradient is Im2Col.
export const Col2Im: Primitive = {
  name: 'Col2Im',
  forward: ([g], a) => {
    const [N, C, H, W] = a['inputShape'] as [number, number, number, number]
    const src = sources(winAttr(a), H, W)
    const plane = H * W
    const out = alloc(g!.dtype, N * C * plane)
    for (let p = 0; p < N * C; p++) {
      const base = p * plane
      const o = p * src.length
      for (let i = 0; i < src.length; i++) if (src[i]! >= 0) out[base + src[i]!] = out[base + src[i]!]! + g!.data[o + i]!
    }
    return [new Tensor(g!.dtype, [N, C, H, W], out)]
  },
  backward: (_g, _y, [gg], a) => [apply1(Im2Col, [gg!], { window: a['window'] })],
}

/** Windows of x as [N, C, kh·kw, OH·OW]. */
export const im2col = (x: Var, window: Window, padValue = 0): Var => apply1(Im2Col, [x], { window, padValue })
