// The soundness matrix: which broken engines flip which claims. A claim is flipped when its own
// verdict on the broken engine differs from the expected one (status `fail`: a different verdict, or
// a failed control), not merely when some other claim catches the bug.
//
// BROKEN lists every broken engine module; FLIPS is what `npm test` checks (each broken engine runs
// only the claims listed for it, and each listed pair must fail); `npm run soundness` runs the cross
// product and writes specs/_meta/soundness.json and the README's matrix.
import { OPS_WITH_CASES } from '../../harness/arbitraries/op_case.ts'
import { createReferenceEngine } from '../../engine/index.ts'
import { expectationOf, expectationsFor } from '../../harness/expectations.ts'
import { caseDirs, caseId, caseModel, caseOps, NODE_FIXTURES } from '../../harness/onnx_cases.ts'
import { lacks } from '../../harness/supports.ts'
import { values } from '../../harness/tensors.ts'
import { readTensorFile } from '../../oracles/onnx_read.ts'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

const B = 'specs/_meta/broken'
export const PER_OP = `${B}/per_op.ts`

/** Every broken engine of one module, with its one-line description. */
export const BROKEN: Record<string, string> = {
  adam_without_bias_correction: 'Adam without bias correction',
  attention_without_scale: 'attention scores not divided by √d',
  avgpool_sum: 'AveragePool returns the window sum',
  clip_per_element: 'clip-by-norm clips each element',
  conv_box_filter: 'Conv ignores its weights (box filter)',
  conv_flipped_kernel: 'Conv flips its kernel (convolution, not correlation)',
  conv_padding_off_by_one: 'Conv pads one row too many at the top',
  dropout_fixed_mask: 'Dropout drops by position, not at random',
  dropout_without_rescale: 'Dropout without 1/(1 − p)',
  gemm_drops_c: 'Gemm ignores C',
  gemm_ignores_transB: 'Gemm ignores transB',
  glorot_wrong_fan: 'Glorot with 1/fan_in (wrong on non-square shapes)',
  gradients_halved: 'every gradient halved',
  gru_ignores_linear_before_reset: 'GRU ignores linear_before_reset',
  he_init_lecun: 'He initialization with variance 1/fan_in',
  he_init_wrong_fan: 'He initialization with fan_out',
  leakyrelu_ignores_alpha: 'LeakyRelu ignores alpha',
  lstm_forget_output_swapped: 'LSTM forget and output gates swapped',
  maxpool_grad_to_first: "MaxPool's gradient to each window's first element",
  maxpool_top_left: "MaxPool returns each window's top-left element",
  momentum_sign_flipped: 'momentum with the sign flipped',
  mse_grad_missing_two: "MSE's gradient without its factor 2",
  optimizer_noop: 'optimizer steps that do not move the parameters',
  reducemean_grad_undivided: "ReduceMean's gradient not divided by n",
  reducemean_sums: 'ReduceMean without the division (a sum)',
  relu_grad_leaks: "Relu's gradient passes for negative inputs",
  relu_identity: 'Relu is the identity',
  rmsprop_epsilon_outside: "RMSProp's ε outside the root",
  rnn_wrong_activation: 'recurrent cells with Sigmoid for Tanh',
  slow_large_batch: 'a fixed cost per example: no batching (throughput only)',
  sigmoid_grad_is_sigma: "Sigmoid's gradient is σ instead of σ(1 − σ)",
  softmax_wrong_axis: 'Softmax along the first axis',
  softmax_without_max: 'Softmax without max-subtraction',
  tanh_grad_one_minus_y: "Tanh's gradient is 1 − y",
  weight_decay_ignored: 'optimizers ignore weightDecay',
  zero_gradients: 'every gradient zero',
}

export const enginePath = (name: string): string => `${B}/${name}.ts`
export const perOp = (kind: 'forward' | 'grad', op: string): string => `${PER_OP}#${kind}-${op}`

const E = (name: string) => enginePath(name)
const fwd = (op: string) => perOp('forward', op)

/**
 * The pairs npm test runs: each must flip. Per-op forward bugs flip ops.<Op> (and a few claims that
 * rest on one op); the rest are the cheapest specific flipper of each claim, found by `npm run soundness`.
 */
export const FLIPS: Record<string, string[]> = {
  ...Object.fromEntries(OPS_WITH_CASES.map((op) => [fwd(op), [`ops.${op}`]])),
  [fwd('Elu')]: ['ops.Elu', 'activation.elu-shape'],
  [fwd('Max')]: ['ops.Max', 'activation.maxout-convex-approx'],
  [fwd('Relu')]: ['ops.Relu', 'activation.relu-positive-homogeneous'],
  [fwd('Sigmoid')]: ['ops.Sigmoid', 'activation.sigmoid-range-positive', 'activation.sigmoid-symmetry'],
  [fwd('MatMul')]: ['ops.MatMul', 'attention.permutation-equivariance'],
  [fwd('Conv')]: ['ops.Conv', 'cnn.translation-equivariance'],
  [fwd('AveragePool')]: ['ops.AveragePool', 'cnn.pooling-reduces'],
  [fwd('Flatten')]: ['ops.Flatten', 'cnn.keep-planar-structure'],
  [fwd('Gemm')]: ['ops.Gemm', 'capacity.scalar-encoding-monotone', 'layers.linear-collapse'],
  [perOp('grad', 'Max')]: ['ops.conventions'],
  [E('adam_without_bias_correction')]: ['optim.update-rules'],
  [E('attention_without_scale')]: ['attention.no-extra-parameters'],
  [E('clip_per_element')]: ['optim.gradient-clipping'],
  [E('conv_box_filter')]: ['cnn.rotation-scale-invariance'],
  [E('conv_flipped_kernel')]: ['cnn.weight-sharing'],
  [E('dropout_fixed_mask')]: ['regularization.dropout'],
  [E('dropout_without_rescale')]: ['regularization.dropout'],
  [E('gemm_drops_c')]: ['neuron.weighted-sum'],
  [E('gemm_ignores_transB')]: ['backprop.chain-rule'],
  [E('conv_padding_off_by_one')]: ['ops.Conv'],
  [E('gradients_halved')]: ['activation.differentiable', 'backprop.descent-direction', 'backprop.golden-example', 'backprop.second-order', 'optim.learning-rate-window', 'optim.minibatch-shuffle', 'loss.bce-for-classification', 'loss.softmax-cross-entropy'],
  [E('gru_ignores_linear_before_reset')]: ['rnn.gated-cells-match-onnx'],
  [E('he_init_lecun')]: ['init.he-preserves-variance'],
  [E('he_init_wrong_fan')]: ['init.distributions'],
  [E('glorot_wrong_fan')]: ['init.distributions'],
  [E('leakyrelu_ignores_alpha')]: ['ops.differential'],
  [E('lstm_forget_output_swapped')]: ['rnn.gated-cells-match-onnx'],
  [E('maxpool_grad_to_first')]: ['cnn.maxpool-loses-information'],
  [E('maxpool_top_left')]: ['cnn.pooling-local-invariance'],
  [E('momentum_sign_flipped')]: ['optim.update-rules', 'optim.momentum-accelerates'],
  [E('mse_grad_missing_two')]: ['loss.mse-for-regression'],
  [E('optimizer_noop')]: ['optim.adaptive-robust-to-lr', 'depth.exploding-gradients'],
  [E('reducemean_grad_undivided')]: ['optim.sgd-noisy', 'backprop.chain-rule'],
  [E('reducemean_sums')]: ['loss.mean-over-examples'],
  [E('relu_grad_leaks')]: ['activation.relu-gradient', 'activation.relu-dead-neurons'],
  [E('relu_identity')]: ['layers.alternate-linear-nonlinear', 'activation.maxout-generalizes-relu'],
  [E('rmsprop_epsilon_outside')]: ['optim.update-rules'],
  [E('sigmoid_grad_is_sigma')]: ['backprop.chain-rule', 'activation.sigmoid-saturates'],
  [E('slow_large_batch')]: ['scale.batch-efficiency'],
  [E('softmax_without_max')]: ['activation.softmax-distribution'],
  [E('softmax_wrong_axis')]: ['activation.softmax-distribution'],
  [E('tanh_grad_one_minus_y')]: ['activation.tanh-zero-centered'],
  [E('weight_decay_ignored')]: ['regularization.l2-gradient'],
  [E('zero_gradients')]: [
    'capacity.perceptron-and-or-not', 'capacity.perceptron-linear-only', 'capacity.xor-needs-hidden-layer', 'capacity.or-without-hidden-layer',
    'capacity.xor-with-hidden-layer', 'capacity.hidden-units-idle', 'capacity.universal-approximation-boolean', 'capacity.non-function-irreducible',
    'capacity.deep-vs-shallow-data', 'capacity.width-lowers-training-loss', 'cnn.corner-stroke-example', 'dense.fully-connected', 'layers.space-warping',
    'depth.sigmoid-vanishing', 'depth.relu-trains-faster', 'depth.residual-identity', 'init.random-breaks-symmetry', 'optim.local-minima', 'regularization.l2-spreads-work',
    'regularization.overfitting', 'rnn.recurrence', 'rnn.long-term-dependency', 'autoencoder.depth', 'gan.adversarial-training',
  ],
}

/**
 * What the failure message must say for the hand-written broken engines: the op (or rule) at fault,
 * in the one message pattern. Checked on the FLIPS run.
 */
export const MESSAGES: [engine: string, claim: string, says: RegExp][] = [
  ['sigmoid_grad_is_sigma', 'backprop.chain-rule', /Sigmoid grad x.* but reference-f64 analytic gradient gives/],
  ['gemm_ignores_transB', 'backprop.chain-rule', /Error in node "Gemm" \(Gemm\)|Gemm grad/],
  ['softmax_without_max', 'activation.softmax-distribution', /softmax row \d+ has a negative or non-finite entry: NaN/],
  ['mse_grad_missing_two', 'loss.mse-for-regression', /MSE grad ŷ.* but 2\(ŷ − y\)\/n gives/],
  ['tanh_grad_one_minus_y', 'activation.tanh-zero-centered', /Tanh'/],
  ['reducemean_grad_undivided', 'backprop.chain-rule', /ReduceMean grad x/],
  ['relu_grad_leaks', 'activation.relu-gradient', /Relu'\(-[\d.e-]+\) = 1, expected exactly 0/],
  ['conv_padding_off_by_one', 'ops.Conv', /Conv Conv:0 has shape \[[\d,]+\] but reference-f64 gives shape|Conv Conv:0\[[\d,]+\] = \S+ but reference-f64 gives/],
  ['maxpool_grad_to_first', 'cnn.maxpool-loses-information', /MaxPool gradient at \(\d+,\d+\) is not at its window's argmax/],
  ['dropout_without_rescale', 'regularization.dropout', /Dropout\(0\.\d\) survivor scale/],
  ['he_init_wrong_fan', 'init.distributions', /he-normal: variance \S+ is not the stated/],
  ['adam_without_bias_correction', 'optim.update-rules', /adam step 1 θ/],
  ['momentum_sign_flipped', 'optim.update-rules', /momentum step 1 θ/],
  ['rmsprop_epsilon_outside', 'optim.update-rules', /rmsprop step 1 θ/],
  ['clip_per_element', 'optim.gradient-clipping', /global norm after clipNorm|clipNorm direction/],
  ['lstm_forget_output_swapped', 'rnn.gated-cells-match-onnx', /LSTM LSTM:\d\[[\d,]+\] = \S+ but onnxruntime gives|LSTM grad \S+ = \S+ but reference-f64 analytic gradient gives/],
  ['gru_ignores_linear_before_reset', 'rnn.gated-cells-match-onnx', /GRU GRU:\d\[[\d,]+\] = \S+ but onnxruntime gives|GRU grad \S+ = \S+ but reference-f64 analytic gradient gives/],
  ['attention_without_scale', 'attention.no-extra-parameters', /attention weights\[\d+\] = \S+ but softmax\(QKᵀ\/√d\) in float64 gives/],
  ['leakyrelu_ignores_alpha', 'ops.differential', /first diverging node: node "n\d+_LeakyRelu" \(LeakyRelu\) output/],
]

/**
 * The ONNX node tests (onnx.<case>): perturbing the values of the op that computes the case's first
 * output flips it, since ONNX's outputs are the truth. A case the reference engine cannot run (it
 * declines a node, or its expectations skip it or expect it to fail), or whose first output has no
 * finite value (nothing to perturb), cannot be flipped by a broken reference: it is listed here with
 * why, and its values are checked on the other engines (and its shapes everywhere).
 */
export const ONNX_UNFLIPPABLE: Record<string, string> = {}
const reference = createReferenceEngine('float32')
for (const dir of caseDirs([NODE_FIXTURES])) {
  const [id, ops] = [caseId(dir), caseOps(dir)]
  if (ops instanceof Error) {
    ONNX_UNFLIPPABLE[id] = ops.message
    continue
  }
  const { graph } = caseModel(dir)
  const declined = lacks(reference, ...graph.nodes)
  const skip = expectationOf(expectationsFor('reference'), id)
  // a slight perturbation moves no value of an empty or all-infinite output
  const empty = !values(readTensorFile(readFileSync(join(dir, 'test_data_set_0/output_0.pb')), 'output_0.pb').tensor).some(Number.isFinite)
  const last = graph.nodes.find((n) => n.outputs.includes(graph.outputs[0]!))
  if (declined !== undefined || skip?.action === 'skip') ONNX_UNFLIPPABLE[id] = String(declined ?? skip!.reason)
  // it fails on the correct reference already (an expected failure): a broken one failing it says nothing
  else if (skip?.action === 'fail') ONNX_UNFLIPPABLE[id] = `an expected failure on the reference itself (${skip.where})`
  else if (empty || !last) ONNX_UNFLIPPABLE[id] = empty ? 'its output is empty or all ±∞: a slight perturbation moves no value' : 'its output is an initializer: no op computes it'
  else (FLIPS[fwd(last.op)] ??= []).push(id)
}
