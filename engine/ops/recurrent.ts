// RNN, LSTM and GRU as ONNX defines them (opset 14+, layout 0: X is [seq, batch, input]), unrolled
// from MatMul/Add/Mul/Slice/Concat and the activations, so their gradients come from those ops.
// Gate orders are ONNX's: LSTM i-o-f-c, GRU z-r-h; B holds the W biases then the R biases.
import { constant, type Attrs, type Composite, type Var } from '../autograd.ts'
import { Tensor, fmtShape } from '../tensor.ts'
import { relu, sigmoid, tanh } from './activation.ts'
import { add, mul, sub } from './binary.ts'
import { matmul } from './matmul.ts'
import { concat, reshape, slice, transpose } from './shape.ts'

type Act = (x: Var) => Var
const ACTS: Record<string, Act> = { Sigmoid: sigmoid, Tanh: tanh, Relu: relu }

interface Setup {
  seq: number
  batch: number
  hidden: number
  dirs: ('forward' | 'reverse')[]
  acts: Act[]
}

function setup(op: string, x: Var, attrs: Attrs, inputs: (Var | undefined)[], defaults: string[]): Setup {
  for (const unsupported of ['clip', 'input_forget']) {
    if (attrs[unsupported] !== undefined && attrs[unsupported] !== 0) throw new Error(`${op}: attribute ${unsupported} is not supported`)
  }
  if ((attrs['layout'] ?? 0) !== 0) throw new Error(`${op}: only layout 0 ([seq, batch, input]) is supported`)
  if (inputs[4]) throw new Error(`${op}: sequence_lens is not supported (all sequences run full length)`)
  if (x.shape.length !== 3) throw new Error(`${op}: X must be [seq, batch, input], got ${fmtShape(x.shape)}`)
  const direction = (attrs['direction'] as string | undefined) ?? 'forward'
  const dirs: Setup['dirs'] = direction === 'bidirectional' ? ['forward', 'reverse'] : direction === 'reverse' ? ['reverse'] : ['forward']
  if (!['forward', 'reverse', 'bidirectional'].includes(direction)) throw new Error(`${op}: unknown direction "${direction}"`)
  const names = (attrs['activations'] as string[] | undefined) ?? [...defaults, ...(dirs.length === 2 ? defaults : [])]
  const acts = names.map((n) => {
    const f = ACTS[n]
    if (!f) throw new Error(`${op}: activation "${n}" is not supported (have ${Object.keys(ACTS).join(', ')})`)
    return f
  })
  // hidden_size is optional in ONNX: R is [dirs, gates·h, h]
  const hidden = (attrs['hidden_size'] as number | undefined) ?? inputs[2]!.shape[2]!
  return { seq: x.shape[0]!, batch: x.shape[1]!, hidden, dirs, acts }
}

/** Per direction d: Xt·Wᵀ + Wb for all t at once ([seq, batch, G·h]), Rᵀ, Rb, and the initial state. */
function directionParams(d: number, x: Var, w: Var, r: Var, b: Var | undefined, init: Var | undefined, s: Setup, gates: number) {
  const G = gates * s.hidden
  const pick = (v: Var, rows: number[]) => reshape(slice(v, [d], [d + 1], [0]), rows)
  const wb = b ? slice(pick(b, [2 * G]), [0], [G]) : undefined
  const rb = b ? slice(pick(b, [2 * G]), [G], [2 * G]) : undefined
  const xw = matmul(x, transpose(pick(w, [G, x.shape[2]!]), [1, 0]))
  return {
    xw: wb ? add(xw, wb) : xw,
    rT: transpose(pick(r, [G, s.hidden]), [1, 0]),
    rb,
    h0: init ? pick(init, [s.batch, s.hidden]) : constant(Tensor.zeros(x.dtype, [s.batch, s.hidden])),
  }
}

/** Gate k of a [batch, G·h] pre-activation. */
const gate = (v: Var, k: number, h: number): Var => slice(v, [k * h], [(k + 1) * h], [1])
const stepInput = (xw: Var, t: number, batch: number): Var => reshape(slice(xw, [t], [t + 1], [0]), [batch, xw.shape[2]!])
const order = (s: Setup, dir: 'forward' | 'reverse') => Array.from({ length: s.seq }, (_, i) => (dir === 'forward' ? i : s.seq - 1 - i))

/** Y [seq, dirs, batch, h] from per-direction lists of per-step states (in time order). */
function stack(perDir: Var[][], s: Setup): Var {
  const dirs = perDir.map((hs) => concat(hs.map((h) => reshape(h, [1, 1, s.batch, s.hidden])), 0))
  return dirs.length === 1 ? dirs[0]! : concat(dirs, 1)
}
const finals = (states: Var[], s: Setup): Var => concat(states.map((h) => reshape(h, [1, s.batch, s.hidden])), 0)

// Hₜ = f(Xₜ·Wᵀ + Hₜ₋₁·Rᵀ + Wb + Rb)
export const RNN: Composite = {
  name: 'RNN',
  compose: (ins, attrs) => {
    const [x, w, r, b, , h0] = ins
    const s = setup('RNN', x!, attrs, ins, ['Tanh'])
    const ys: Var[][] = []
    const last: Var[] = []
    s.dirs.forEach((dir, d) => {
      const p = directionParams(d, x!, w!, r!, b, h0, s, 1)
      let h = p.h0
      const hs: Var[] = new Array<Var>(s.seq)
      for (const t of order(s, dir)) {
        const pre = add(stepInput(p.xw, t, s.batch), matmul(h, p.rT))
        h = s.acts[d]!(p.rb ? add(pre, p.rb) : pre)
        hs[t] = h
      }
      ys.push(hs)
      last.push(h)
    })
    return [stack(ys, s), finals(last, s)]
  },
}

// iₜ=σ(…i), oₜ=σ(…o), fₜ=σ(…f), cₜ=g(…c); Cₜ = fₜ⊙Cₜ₋₁ + iₜ⊙cₜ; Hₜ = oₜ⊙h(Cₜ)   (peepholes P add P⊙C to i, f, o)
export const LSTM: Composite = {
  name: 'LSTM',
  compose: (ins, attrs) => {
    const [x, w, r, b, , h0, c0, peep] = ins
    const s = setup('LSTM', x!, attrs, ins, ['Sigmoid', 'Tanh', 'Tanh'])
    const ys: Var[][] = []
    const lastH: Var[] = []
    const lastC: Var[] = []
    const H = s.hidden
    s.dirs.forEach((dir, d) => {
      const p = directionParams(d, x!, w!, r!, b, h0, s, 4)
      const [f, g, hAct] = s.acts.slice(3 * d, 3 * d + 3) as [Act, Act, Act]
      const pd = peep ? reshape(slice(peep, [d], [d + 1], [0]), [3 * H]) : undefined
      const withPeep = (pre: Var, k: number, c: Var) => (pd ? add(pre, mul(slice(pd, [k * H], [(k + 1) * H]), c)) : pre)
      let h = p.h0
      let c = c0 ? reshape(slice(c0, [d], [d + 1], [0]), [s.batch, H]) : constant(Tensor.zeros(x!.dtype, [s.batch, H]))
      const hs: Var[] = new Array<Var>(s.seq)
      for (const t of order(s, dir)) {
        let pre = add(stepInput(p.xw, t, s.batch), matmul(h, p.rT))
        if (p.rb) pre = add(pre, p.rb)
        const i = f(withPeep(gate(pre, 0, H), 0, c))
        const fg = f(withPeep(gate(pre, 2, H), 2, c))
        c = add(mul(fg, c), mul(i, g(gate(pre, 3, H))))
        const o = f(withPeep(gate(pre, 1, H), 1, c))
        h = mul(o, hAct(c))
        hs[t] = h
      }
      ys.push(hs)
      lastH.push(h)
      lastC.push(c)
    })
    return [stack(ys, s), finals(lastH, s), finals(lastC, s)]
  },
}

// zₜ=σ(…z), rₜ=σ(…r); hₜ = g(Xₜ·Whᵀ + (rₜ⊙Hₜ₋₁)·Rhᵀ + Rbh + Wbh), or with linear_before_reset
// g(Xₜ·Whᵀ + rₜ⊙(Hₜ₋₁·Rhᵀ + Rbh) + Wbh); Hₜ = (1−zₜ)⊙hₜ + zₜ⊙Hₜ₋₁
export const GRU: Composite = {
  name: 'GRU',
  compose: (ins, attrs) => {
    const [x, w, r, b, , h0] = ins
    const s = setup('GRU', x!, attrs, ins, ['Sigmoid', 'Tanh'])
    const lbr = attrs['linear_before_reset'] === 1
    const H = s.hidden
    const ys: Var[][] = []
    const last: Var[] = []
    s.dirs.forEach((dir, d) => {
      const p = directionParams(d, x!, w!, r!, b, h0, s, 3)
      const [f, g] = s.acts.slice(2 * d, 2 * d + 2) as [Act, Act]
      const rhT = slice(p.rT, [2 * H], [3 * H], [1])
      const rbh = p.rb ? gate(reshape(p.rb, [1, 3 * H]), 2, H) : undefined
      const plusRbh = (v: Var) => (rbh ? add(v, rbh) : v)
      let h = p.h0
      const hs: Var[] = new Array<Var>(s.seq)
      for (const t of order(s, dir)) {
        const xt = stepInput(p.xw, t, s.batch)
        const hr = matmul(h, slice(p.rT, [0], [2 * H], [1]))
        const zr = add(slice(xt, [0], [2 * H], [1]), p.rb ? add(hr, slice(p.rb, [0], [2 * H])) : hr)
        const z = f(gate(zr, 0, H))
        const rg = f(gate(zr, 1, H))
        const xh = gate(xt, 2, H)
        const cand = g(add(xh, lbr ? mul(rg, plusRbh(matmul(h, rhT))) : plusRbh(matmul(mul(rg, h), rhT))))
        h = add(mul(sub(constant(Tensor.scalar(x!.dtype, 1)), z), cand), mul(z, h))
        hs[t] = h
      }
      ys.push(hs)
      last.push(h)
    })
    return [stack(ys, s), finals(last, s)]
  },
}
