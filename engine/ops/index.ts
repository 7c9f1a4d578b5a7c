// Every op of the reference engine, by its ONNX name.
import type { OpDef } from '../autograd.ts'
import { Elu, LeakyRelu, LogSoftmax, Relu, Sigmoid, Softmax, Softplus, Tanh } from './activation.ts'
import { Add, Div, Max, Min, Mul, Pow, Sub, Sum } from './binary.ts'
import { AveragePool, Conv, GlobalAveragePool, GlobalMaxPool, MaxPool } from './conv.ts'
import { Dropout } from './dropout.ts'
import { Gather } from './gather.ts'
import { Gemm, MatMul } from './matmul.ts'
import { Pad } from './pad.ts'
import { GRU, LSTM, RNN } from './recurrent.ts'
import { ReduceMax, ReduceMean, ReduceSum } from './reduce.ts'
import { Concat, Expand, Flatten, Reshape, Slice, Transpose } from './shape.ts'
import { Abs, Clip, Exp, Identity, Log, Neg, Sqrt } from './unary.ts'

const all: OpDef[] = [
  Add, Sub, Mul, Div, Pow, Max, Min, Sum,
  Neg, Exp, Log, Sqrt, Abs, Clip, Identity,
  Sigmoid, Tanh, Relu, LeakyRelu, Elu, Softplus, Softmax, LogSoftmax,
  MatMul, Gemm,
  Reshape, Flatten, Transpose, Expand, Concat, Slice, Pad, Gather,
  ReduceSum, ReduceMean, ReduceMax,
  Conv, MaxPool, AveragePool, GlobalAveragePool, GlobalMaxPool,
  RNN, LSTM, GRU,
  Dropout,
]

export const OPS: ReadonlyMap<string, OpDef> = new Map(all.map((d) => [d.name, d]))

export { STATIC_INPUTS } from '../../contract/onnx_schema.ts'
