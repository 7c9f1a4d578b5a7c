// CLAIMS.md §9 — convolutional networks.
import fc from 'fast-check'
import { expectClose, expectThat, Mismatch, tolerance } from '../harness/assert.ts'
import { claim } from '../harness/claim.ts'
import { property } from '../harness/property.ts'
import { Rng } from '../contract/rng.ts'
import { judgeRate, trials } from '../harness/stats.ts'
import { strokeExperiment } from './support/stroke.ts'
import { at, conv, convGrads, flattenRoundTrip, imageGrad, make, pipeline, random, randomConv, rot90, shift, upsample2, type Img } from './support/images.ts'

const img = (c: Partial<{ c: number; h: number; w: number }> = {}) =>
  fc.record({ seed: fc.nat(), c: fc.integer({ min: 1, max: c.c ?? 2 }), h: fc.integer({ min: 3, max: c.h ?? 7 }), w: fc.integer({ min: 3, max: c.w ?? 7 }) })
const close = (ctx: { dtype: 'float32' | 'float64'; replay: string }, a: Img, b: Img, what: string, oracle: string, k = 9) =>
  expectClose(a.v, b.v, { what, oracle, tol: tolerance(ctx.dtype, { reduction: k }), replay: ctx.replay })

claim(
  {
    id: 'cnn.translation-equivariance', kind: 'metamorphic', expect: 'confirmed', source: '004', ops: ['Conv'],
    quote: '卷积神经网络就是让权重在不同位置共享的神经网络; 让不同位置用相同的权重',
    reading: 'Shifting the input by (dy, dx) shifts a stride-1 convolution’s output by the same amount: exactly with circular padding (borders wrapped by the harness, then a VALID Conv), and with zero padding on every output pixel whose window stays away from the border in both images.',
  },
  async (ctx) => {
    await property(ctx, fc.tuple(img(), fc.integer({ min: -2, max: 2 }), fc.integer({ min: -2, max: 2 }), fc.constantFrom(1, 3)), async ([p, dy, dx, k]) => {
      const rng = new Rng(p.seed)
      const [x, s] = [random(rng, p.c, p.h, p.w), randomConv(rng, p.c, 2, k)]
      close(ctx, await conv(ctx, shift(x, dy, dx), s, true), shift(await conv(ctx, x, s, true), dy, dx), `circular Conv(shift(x, ${dy}, ${dx}))`, 'shift(Conv(x))', p.c * k * k)
      const [a, b] = [await conv(ctx, shift(x, dy, dx), s), await conv(ctx, x, s)]
      const r = (k - 1) >> 1
      const inner = (i: number, j: number) => [i, i - dy].every((t) => t - r >= 0 && t + r < p.h && t >= 0) && [j, j - dx].every((t) => t - r >= 0 && t + r < p.w && t >= 0)
      for (let c = 0; c < a.c; c++) for (let i = 0; i < a.h; i++) for (let j = 0; j < a.w; j++) {
        if (inner(i, j)) expectClose(at(a, c, i, j), at(b, c, i - dy, j - dx), { what: `zero-padded Conv(shift(x))[${c},${i},${j}]`, oracle: 'Conv(x) shifted', tol: tolerance(ctx.dtype, { reduction: p.c * k * k }), replay: ctx.replay })
      }
    }, 40)
    return 'confirmed'
  },
)

claim(
  {
    id: 'cnn.weight-sharing', kind: 'exact', expect: 'confirmed', source: '004', ops: ['Conv'], needs: ['grad'],
    quote: '局部连接 空间共享 过滤器是共享的',
    reading: 'A conv layer (2 filters k×k, VALID, on c×h×w images of random sizes) has kh·kw·cin·cout + cout parameters whatever the image size: through the engine, every entry of W and B gets a nonzero gradient from Σ r ⊙ y (random r), and W, B are the graph’s only parameters; and one output pixel y[o, i, j] depends only on its receptive field, with the shared weights: its gradient w.r.t. the input is exactly W[o, c, a, b] at x[c, i + a, j + b] (ONNX’s cross-correlation) and exactly zero everywhere else.',
  },
  async (ctx) => {
    await property(ctx, fc.tuple(img(), fc.constantFrom(1, 2, 3), fc.nat()), async ([p, k, pick]) => {
      const rng = new Rng(p.seed)
      const x = random(rng, p.c, p.h, p.w)
      const s = randomConv(rng, p.c, 2, k, 'VALID')
      const [oh, ow] = [p.h - k + 1, p.w - k + 1]
      const all = await convGrads(ctx, x, s, Array.from({ length: 2 * oh * ow }, () => rng.uniform(0.5, 1.5)))
      const used = all.W.filter((v) => v !== 0).length + all.B.filter((v) => v !== 0).length
      expectThat(used === k * k * p.c * 2 + 2, `a ${k}×${k} conv with ${p.c} → 2 channels on ${p.h}×${p.w} images: ${used} parameters take part (nonzero gradient), not kh·kw·cin·cout + cout = ${k * k * p.c * 2 + 2}`, ctx.replay)
      const o = pick % (2 * oh * ow)
      const [oc, oi, oj] = [Math.floor(o / (oh * ow)), Math.floor(o / ow) % oh, o % ow]
      const one = await convGrads(ctx, x, s, Array.from({ length: 2 * oh * ow }, (_, q) => (q === o ? 1 : 0)))
      const want = x.v.map((_, q) => {
        const [c, i, j] = [Math.floor(q / (p.h * p.w)), Math.floor(q / p.w) % p.h, q % p.w]
        const [a, b] = [i - oi, j - oj]
        return a >= 0 && a < k && b >= 0 && b < k ? s.weights[((oc * p.c + c) * k + a) * k + b]! : 0
      })
      one.x.forEach((v, q) => expectThat(want[q] !== 0 || v === 0, `∂y[${oc},${oi},${oj}]/∂x at flat index ${q}, outside the ${k}×${k} window, is ${v}, not 0`, ctx.replay))
      expectClose(one.x, want, { what: `∂y[${oc},${oi},${oj}]/∂x`, oracle: 'the shared weights W[o] over the window', tol: tolerance(ctx.dtype), replay: ctx.replay })
    }, 30)
    return 'confirmed'
  },
)

claim(
  {
    id: 'cnn.pooling-reduces', kind: 'exact', expect: 'confirmed', source: '004', ops: ['MaxPool', 'AveragePool', 'Sigmoid', 'Tanh'],
    quote: '池化层(pooling layer)通过降采样(down-sampling)来减少数据维度',
    reading: 'Max and average pooling with window k and stride k divide each spatial size by k; average pooling is linear (avg(a·x + b·y) = a·avg(x) + b·avg(y)); max pooling commutes with the monotone increasing Sigmoid and Tanh.',
  },
  async (ctx) => {
    await property(ctx, fc.tuple(fc.nat(), fc.constantFrom(1, 2, 3), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.double({ min: -2, max: 2, noNaN: true }), fc.double({ min: -2, max: 2, noNaN: true })), async ([seed, k, mh, mw, a, b]) => {
      const rng = new Rng(seed)
      const [x, y] = [random(rng, 2, k * mh, k * mw), random(rng, 2, k * mh, k * mw)]
      const pool = { kernel_shape: [k, k], strides: [k, k] }
      const [mx, av] = [await pipeline(ctx, x, [['MaxPool', pool]]), await pipeline(ctx, x, [['AveragePool', pool]])]
      expectThat(mx.h === mh && mx.w === mw && av.h === mh && av.w === mw, `pooling ${k}×${k} of ${k * mh}×${k * mw} gave ${mx.h}×${mx.w} and ${av.h}×${av.w}`, ctx.replay)
      const mixed = make(2, k * mh, k * mw, (c, i, j) => a * at(x, c, i, j) + b * at(y, c, i, j))
      const avY = await pipeline(ctx, y, [['AveragePool', pool]])
      close(ctx, await pipeline(ctx, mixed, [['AveragePool', pool]]), make(2, mh, mw, (c, i, j) => a * at(av, c, i, j) + b * at(avY, c, i, j)), 'AveragePool(a·x + b·y)', 'a·avg(x) + b·avg(y)', k * k)
      for (const f of ['Sigmoid', 'Tanh']) {
        close(ctx, await pipeline(ctx, x, [[f, {}], ['MaxPool', pool]]), await pipeline(ctx, x, [['MaxPool', pool], [f, {}]]), `MaxPool(${f}(x))`, `${f}(MaxPool(x))`)
      }
    }, 30)
    return 'confirmed'
  },
)

claim(
  {
    id: 'cnn.pooling-local-invariance', kind: 'metamorphic', expect: 'confirmed', source: '004', ops: ['MaxPool'],
    quote: '提高模型的鲁棒性 (pooling and invariance)',
    reading: 'Max pooling (window = stride = 2) is unchanged when values move within their window (the maximum stays inside it), and is NOT invariant to arbitrary shifts: fast-check must find a one-pixel shift that changes the output (its counterexample is kept as evidence).',
  },
  async (ctx) => {
    const pool = { kernel_shape: [2, 2], strides: [2, 2] }
    await property(ctx, fc.tuple(fc.nat(), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })), async ([seed, mh, mw]) => {
      const rng = new Rng(seed)
      const x = random(rng, 1, 2 * mh, 2 * mw)
      const perm = make(1, 2 * mh, 2 * mw, (c, i, j) => at(x, c, (i & ~1) | (1 - (i & 1)), (j & ~1) | (1 - (j & 1)))) // swap within each window
      close(ctx, await pipeline(ctx, perm, [['MaxPool', pool]]), await pipeline(ctx, x, [['MaxPool', pool]]), 'MaxPool of values moved within their windows', 'MaxPool(x)', 1)
    }, 30)
    try {
      await property(ctx, fc.tuple(fc.nat(), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })), async ([seed, mh, mw]) => {
        const x = random(new Rng(seed), 1, 2 * mh, 2 * mw)
        close(ctx, await pipeline(ctx, shift(x, 0, 1), [['MaxPool', pool]]), await pipeline(ctx, x, [['MaxPool', pool]]), 'MaxPool(shift(x, 0, 1))', 'MaxPool(x)', 1)
      }, 30)
    } catch (e) {
      if (!(e instanceof Mismatch)) throw e
      ctx.evidence['shiftCounterexample'] = e.message.replace(/; replay: .*$/, '')
      return 'confirmed'
    }
    return { verdict: 'refuted', counterexample: 'max pooling looked invariant to every one-pixel shift tried' }
  },
)

claim(
  {
    id: 'cnn.maxpool-loses-information', kind: 'exact', expect: 'confirmed', source: '000', ops: ['MaxPool'], needs: ['grad'],
    quote: '很深的 CNN 因為有 max pooling,信息會逐漸丟失',
    reading: 'Max pooling is not injective: lowering a non-maximal element of a window gives a different input with the same output; and its gradient is nonzero only at each window’s argmax (one element per window, inputs without ties).',
  },
  async (ctx) => {
    const pool = { kernel_shape: [2, 2], strides: [2, 2] }
    await property(ctx, fc.tuple(fc.nat(), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })), async ([seed, mh, mw]) => {
      const rng = new Rng(seed)
      const x = random(rng, 1, 2 * mh, 2 * mw)
      const y = make(1, x.h, x.w, (c, i, j) => {
        const win = [0, 1].flatMap((a) => [0, 1].map((b) => at(x, c, (i & ~1) + a, (j & ~1) + b)))
        return at(x, c, i, j) === Math.max(...win) ? at(x, c, i, j) : at(x, c, i, j) - 1
      })
      close(ctx, await pipeline(ctx, y, [['MaxPool', pool]]), await pipeline(ctx, x, [['MaxPool', pool]]), 'MaxPool(y), y ≠ x', 'MaxPool(x)', 1)
      const g = await imageGrad(ctx, x, 'MaxPool', pool, Array.from({ length: mh * mw }, () => 1 + rng.next()))
      const nonzero = g.map((v, q) => (v !== 0 ? q : -1)).filter((q) => q >= 0)
      expectThat(nonzero.length === mh * mw, `MaxPool gradient is nonzero at ${nonzero.length} places, expected one per window (${mh * mw})`, ctx.replay)
      for (const q of nonzero) {
        const [i, j] = [Math.floor(q / x.w), q % x.w]
        const win = [0, 1].flatMap((a) => [0, 1].map((b) => at(x, 0, (i & ~1) + a, (j & ~1) + b)))
        expectThat(at(x, 0, i, j) === Math.max(...win), `MaxPool gradient at (${i},${j}) is not at its window's argmax`, ctx.replay)
      }
    }, 30)
    return 'confirmed'
  },
)

claim(
  {
    id: 'cnn.rotation-scale-invariance', kind: 'metamorphic', expect: 'refuted', source: '004', ops: ['Conv'],
    quote: '卷积运算的优势在于参数共享,使得网络对于输入的平移、旋转、尺度变化具有一定的不变性',
    reading: 'Read literally for rotation and scale: a plain convolution (generic 3×3 kernel, same padding) would satisfy Conv(rot90(x)) = rot90(Conv(x)) and Conv(upsample2(x)) = upsample2(Conv(x)). fast-check finds counterexamples for both, so the claim is refuted (translation is cnn.translation-equivariance).',
  },
  async (ctx) => {
    const found: Record<string, string> = {}
    for (const [name, t] of [['rotation', rot90], ['scale', upsample2]] as const) {
      try {
        await property(ctx, img({ c: 1 }), async (p) => {
          const rng = new Rng(p.seed)
          const [x, s] = [random(rng, p.c, p.h, p.w), randomConv(rng, p.c, 1, 3)]
          close(ctx, await conv(ctx, t(x), s), t(await conv(ctx, x, s)), `Conv(${name}(x))`, `${name}(Conv(x))`)
        }, 30)
      } catch (e) {
        if (!(e instanceof Mismatch)) throw e
        found[name] = e.message.replace(/; replay: .*$/, '')
      }
    }
    ctx.evidence['counterexamples'] = found
    return Object.keys(found).length === 2 ? { verdict: 'refuted', counterexample: found['rotation'] } : Object.keys(found).length === 0 ? 'confirmed' : 'inconclusive'
  },
)

claim(
  {
    id: 'cnn.corner-stroke-example', kind: 'statistical', expect: 'confirmed', source: '004', ops: ['Conv', 'GlobalMaxPool', 'Gemm', 'Sigmoid', 'Flatten', 'Sub', 'Mul', 'ReduceMean'], needs: ['grad'], timeoutMs: 120_000,
    quote: '4×4 的灰度图像,检测「横折」笔画,无论它出现在哪里',
    reading: 'Trained (BCE, lr 1, 300 steps; filter initialized U(0, 1)) on the 「横折」 stroke (┐, 2×2) at one position of a 4×4 image against non-stroke patterns at random positions (fixtures/stroke.ts, seeded), a one-filter 2×2 Conv + GlobalMaxPool detector — among the 100 seeds whose training set it fits — classifies the stroke at all 9 positions and every non-stroke correctly with a rate above 0.8, while a 16-4-1 MLP trained on the same data does so with a rate below 0.2.',
  },
  async (ctx) => {
    const r = await strokeExperiment(ctx, 100)
    const conv = judgeRate(ctx, 'convGeneralizes', r.conv, 0.8)
    const mlp = judgeRate(ctx, 'mlpGeneralizes', r.mlp, 0.2)
    ctx.evidence['meanPositionsDetected'] = r.meanPositions
    return conv === 'confirmed' && mlp === 'refuted' ? 'confirmed' : conv === 'refuted' || mlp === 'confirmed' ? 'refuted' : 'inconclusive'
  },
)

claim(
  {
    id: 'cnn.keep-planar-structure', kind: 'metamorphic', expect: 'confirmed', source: '004', ops: ['Conv', 'Gemm', 'Flatten'],
    quote: '图片不用向量去表示是为了保留图片平面结构的信息',
    reading: 'Conv output keeps the H×W arrangement (its shape is H′×W′, and through the engine Flatten gives it in row-major order and Reshape gives the plane back exactly); a dense layer is equivariant to pixel permutations applied to its weight rows (Dense_{πW}(πx) = Dense_W(x)), while for a random pixel permutation π a conv output is not a permutation of the original one (fast-check finds such π).',
  },
  async (ctx) => {
    const { denseUnderPermutation } = await import('./support/stroke.ts')
    await property(ctx, fc.tuple(fc.nat(), fc.integer({ min: 3, max: 5 })), async ([seed, n]) => {
      const rng = new Rng(seed)
      const x = random(rng, 1, n, n)
      const perm = rng.shuffle([...Array(n * n).keys()])
      const r = await denseUnderPermutation(ctx, x, perm, rng)
      expectClose(r.permuted, r.original, { what: 'Dense_πW(πx)', oracle: 'Dense_W(x)', tol: tolerance(ctx.dtype, { reduction: n * n }), replay: ctx.replay })
      const s = randomConv(rng, 1, 1, 3, 'VALID')
      const [a, b] = [await conv(ctx, x, s), await conv(ctx, { ...x, v: perm.map((p) => x.v[p]!) }, s)]
      expectThat(a.h === n - 2 && a.w === n - 2, `Conv output is ${a.h}×${a.w}, not ${n - 2}×${n - 2}`, ctx.replay)
      // flattening loses nothing: the engine's Flatten is the row-major order, and Reshape gives the H′×W′ plane back
      const round = await flattenRoundTrip(ctx, a)
      expectClose(round.flat, a.v, { what: 'Flatten(Conv(x))', oracle: 'Conv(x) in row-major order', tol: { rtol: 0, atol: 0 }, replay: ctx.replay })
      expectClose(round.back, a.v, { what: 'Reshape(Flatten(Conv(x)))', oracle: 'Conv(x)', tol: { rtol: 0, atol: 0 }, replay: ctx.replay })
      const sorted = (v: number[]) => [...v].sort((p, q) => p - q)
      const same = sorted(a.v).every((v, i) => Math.abs(v - sorted(b.v)[i]!) < 1e-4)
      const identity = perm.every((p, i) => p === i)
      expectThat(identity || !same, `Conv of a pixel-permuted image is a permutation of the original output (π = ${perm})`, ctx.replay)
    }, 30)
    return 'confirmed'
  },
)
