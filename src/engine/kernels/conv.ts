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
interface PoolAttrs { filterSize: number | [number, number]; strides: number | [number, number]; pad: Pad; dimRoundingMode: Rounding }
type Shape4 = [number, number, number, number];

interface NativeGeometryKernel {
  kernelName: string;
  /** The kernel's geometry, from its inputs and attributes. */
  info(inputs: Record<string, TensorInfo>, attrs: NamedAttrMap): Conv2DInfo;
  /** Output shape from the geometry. */
  outShape(info: Conv2DInfo, inputs: Record<string, TensorInfo>): number[];
  /** Fills out (every element) from the float32 inputs. */
  run(be: MathBackendCPU, inputs: Record<string, TensorInfo>, out: Float32Array, info: Conv2DInfo): void;
}

/** A native kernel that runs when every input is float32 and the geometry is NHWC with non-negative pads, else cpu's. */
function geometryKernel(k: NativeGeometryKernel): KernelConfig {
  return {
    kernelName: k.kernelName,
    backendName: 'native',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const be = backend as MathBackendCPU;
      const named = inputs as Record<string, TensorInfo>;
      const info = k.info(named, attrs as NamedAttrMap);
      if (!allFloat(...Object.values(named)) || !nativeGeometryOk(info)) return cpuFallback(k.kernelName, inputs, be, attrs as NamedAttrMap);
      const out = newOutput(be, k.outShape(info, named));
      k.run(be, named, out.values, info);
      return out.info;
    },
  };
}

const convAttrs = (attrs: NamedAttrMap) => attrs as unknown as ConvAttrs;
const dataFormat = (attrs: NamedAttrMap) => backend_util.convertConv2DDataFormat(convAttrs(attrs).dataFormat);

export const conv2DConfig = geometryKernel({
  kernelName: tf.Conv2D,
  info: ({ x, filter }, attrs) => {
    const a = convAttrs(attrs);
    return backend_util.computeConv2DInfo(x.shape as Shape4, filter.shape as Shape4, a.strides, a.dilations, a.pad, a.dimRoundingMode, false, dataFormat(attrs));
  },
  outShape: (info) => info.outShape,
  run: (be, { x, filter }, out, info) => requireAddon().conv2d(f32(be, x), f32(be, filter), out, convGeometry(info)),
});

export const conv2DBackpropInputConfig = geometryKernel({
  kernelName: tf.Conv2DBackpropInput,
  info: ({ filter }, attrs) => {
    const a = attrs as unknown as ConvAttrs & { inputShape: Shape4 };
    return backend_util.computeConv2DInfo(a.inputShape, filter.shape as Shape4, a.strides, 1, a.pad, a.dimRoundingMode, false, dataFormat(attrs));
  },
  outShape: (info) => info.inShape,
  run: (be, { dy, filter }, out, info) => requireAddon().conv2dBackpropInput(f32(be, dy), f32(be, filter), out, convGeometry(info)),
});

export const conv2DBackpropFilterConfig = geometryKernel({
  kernelName: tf.Conv2DBackpropFilter,
  info: ({ x }, attrs) => {
    const a = attrs as unknown as ConvAttrs & { filterShape: Shape4 };
    return backend_util.computeConv2DInfo(x.shape as Shape4, a.filterShape, a.strides, 1, a.pad, a.dimRoundingMode, false, dataFormat(attrs));
  },
  outShape: (info) => info.filterShape,
  run: (be, { x, dy }, out, info) => requireAddon().conv2dBackpropFilter(f32(be, x), f32(be, dy), out, convGeometry(info)),
});

function poolInfo(x: TensorInfo, attrs: NamedAttrMap): Conv2DInfo {
  const a = attrs as unknown as PoolAttrs;
  return backend_util.computePool2DInfo(x.shape as Shape4, a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
}

export const maxPoolConfig = geometryKernel({
  kernelName: tf.MaxPool,
  info: ({ x }, attrs) => poolInfo(x, attrs),
  outShape: (info) => info.outShape,
  run: (be, { x }, out, info) => requireAddon().maxPool(f32(be, x), out, poolGeometry(info)),
});

// MaxPoolGrad's third input (the forward output) is not needed: the maxima are found again from the input.
export const maxPoolGradConfig = geometryKernel({
  kernelName: tf.MaxPoolGrad,
  info: ({ input }, attrs) => poolInfo(input, attrs),
  outShape: (info) => info.inShape,
  run: (be, { dy, input }, out, info) => requireAddon().maxPoolGrad(f32(be, dy), f32(be, input), out, poolGeometry(info)),
});

export const convKernelConfigs: KernelConfig[] = [
  conv2DConfig, conv2DBackpropInputConfig, conv2DBackpropFilterConfig, maxPoolConfig, maxPoolGradConfig,
];
