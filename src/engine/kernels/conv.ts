// Conv2D, its two gradients, MaxPool and MaxPoolGrad on the native addon (im2col + GEMM; NHWC float32). The stock
// cpu kernels are scalar loops (Conv2DBackpropFilter alone took ~39 s of a 37 s small-CNN step here); anything the
// native path does not cover (NCHW, non-float, dilated pooling) falls back to them.
import { backend_util, type KernelConfig, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { tf } from '../tf.js';
import { requireAddon } from '../addon.js';
import { cpuFallback, f32, newOutput } from './util.js';

type Conv2DInfo = backend_util.Conv2DInfo;
type DataFormat = 'NHWC' | 'NCHW';
type Pad = 'valid' | 'same' | number | backend_util.ExplicitPadding;
type Rounding = 'floor' | 'round' | 'ceil' | undefined;

/** The field order native/src/conv.cc's ConvGeometry reads. */
function convGeometry(c: Conv2DInfo): Int32Array {
  return Int32Array.from([c.batchSize, c.inHeight, c.inWidth, c.inChannels, c.outHeight, c.outWidth, c.outChannels,
    c.filterHeight, c.filterWidth, c.strideHeight, c.strideWidth, c.dilationHeight, c.dilationWidth, c.padInfo.top, c.padInfo.left]);
}

/** The field order native/src/conv.cc's PoolGeometry reads. */
function poolGeometry(c: Conv2DInfo): Int32Array {
  return Int32Array.from([c.batchSize, c.inHeight, c.inWidth, c.inChannels, c.outHeight, c.outWidth,
    c.filterHeight, c.filterWidth, c.strideHeight, c.strideWidth, c.padInfo.top, c.padInfo.left]);
}

function allFloat(...ts: TensorInfo[]): boolean {
  return ts.every((t) => t.dtype === 'float32');
}

/** Pad info the native loops handle: non-negative offsets (tfjs never produces negative ones for these pads). */
function nativeGeometryOk(c: Conv2DInfo): boolean {
  return c.dataFormat === 'channelsLast' && c.padInfo.top >= 0 && c.padInfo.left >= 0 && c.outHeight > 0 && c.outWidth > 0 && c.batchSize > 0;
}

interface ConvAttrs { strides: number | [number, number]; pad: Pad; dataFormat: DataFormat; dilations: number | [number, number]; dimRoundingMode: Rounding }

export const conv2DConfig: KernelConfig = {
  kernelName: tf.Conv2D,
  backendName: 'native',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, filter } = inputs as { x: TensorInfo; filter: TensorInfo };
    const a = attrs as unknown as ConvAttrs;
    const be = backend as MathBackendCPU;
    const info = backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filter.shape as [number, number, number, number],
      a.strides, a.dilations, a.pad, a.dimRoundingMode, false, backend_util.convertConv2DDataFormat(a.dataFormat));
    if (!allFloat(x, filter) || !nativeGeometryOk(info)) return cpuFallback(tf.Conv2D, inputs, be, attrs as NamedAttrMap);
    const out = newOutput(be, info.outShape);
    requireAddon().conv2d(f32(be, x), f32(be, filter), out.values, convGeometry(info));
    return out.info;
  },
};

export const conv2DBackpropInputConfig: KernelConfig = {
  kernelName: tf.Conv2DBackpropInput,
  backendName: 'native',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
    const a = attrs as unknown as ConvAttrs & { inputShape: [number, number, number, number] };
    const be = backend as MathBackendCPU;
    const info = backend_util.computeConv2DInfo(a.inputShape, filter.shape as [number, number, number, number],
      a.strides, 1, a.pad, a.dimRoundingMode, false, backend_util.convertConv2DDataFormat(a.dataFormat));
    if (!allFloat(dy, filter) || !nativeGeometryOk(info)) return cpuFallback(tf.Conv2DBackpropInput, inputs, be, attrs as NamedAttrMap);
    const out = newOutput(be, info.inShape);
    requireAddon().conv2dBackpropInput(f32(be, dy), f32(be, filter), out.values, convGeometry(info));
    return out.info;
  },
};

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'native',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const a = attrs as unknown as ConvAttrs & { filterShape: [number, number, number, number] };
    const be = backend as MathBackendCPU;
    const info = backend_util.computeConv2DInfo(x.shape as [number, number, number, number], a.filterShape,
      a.strides, 1, a.pad, a.dimRoundingMode, false, backend_util.convertConv2DDataFormat(a.dataFormat));
    if (!allFloat(x, dy) || !nativeGeometryOk(info)) return cpuFallback(tf.Conv2DBackpropFilter, inputs, be, attrs as NamedAttrMap);
    const out = newOutput(be, info.filterShape);
    requireAddon().conv2dBackpropFilter(f32(be, x), f32(be, dy), out.values, convGeometry(info));
    return out.info;
  },
};

interface PoolAttrs { filterSize: number | [number, number]; strides: number | [number, number]; pad: Pad; dimRoundingMode: Rounding }

function poolInfo(x: TensorInfo, a: PoolAttrs): Conv2DInfo {
  return backend_util.computePool2DInfo(x.shape as [number, number, number, number], a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
}

export const maxPoolConfig: KernelConfig = {
  kernelName: tf.MaxPool,
  backendName: 'native',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x } = inputs as { x: TensorInfo };
    const be = backend as MathBackendCPU;
    const info = poolInfo(x, attrs as unknown as PoolAttrs);
    if (!allFloat(x) || !nativeGeometryOk(info)) return cpuFallback(tf.MaxPool, inputs, be, attrs as NamedAttrMap);
    const out = newOutput(be, info.outShape);
    requireAddon().maxPool(f32(be, x), out.values, poolGeometry(info));
    return out.info;
  },
};

export const maxPoolGradConfig: KernelConfig = {
  kernelName: tf.MaxPoolGrad,
  backendName: 'native',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
    const be = backend as MathBackendCPU;
    const info = poolInfo(input, attrs as unknown as PoolAttrs);
    if (!allFloat(dy, input) || !nativeGeometryOk(info)) return cpuFallback(tf.MaxPoolGrad, inputs, be, attrs as NamedAttrMap);
    const out = newOutput(be, input.shape as number[]);
    requireAddon().maxPoolGrad(f32(be, dy), f32(be, input), out.values, poolGeometry(info));
    return out.info;
  },
};

export const convKernelConfigs: KernelConfig[] = [
  conv2DConfig, conv2DBackpropInputConfig, conv2DBackpropFilterConfig, maxPoolConfig, maxPoolGradConfig,
];
