// 2-D convolution (forward, input gradient, filter gradient) and max pooling (forward, gradient) over NHWC images,
// the layout tfjs uses. Convolutions are im2col + the dispatched GEMM, in chunks of whole images so the column
// buffer stays cache- and memory-friendly; a 1x1, stride-1, unpadded conv is a plain GEMM on the input itself.
#include <algorithm>
#include <cstring>
#include <string>
#include <limits>
#include <vector>

#include "common.h"
#include "gemm.h"
#include "registry.h"

namespace parsimony {

namespace {

// Mirrors the fields of tfjs's Conv2DInfo the kernels need; JS passes them as one Int32Array in this order.
struct ConvGeometry {
  int64_t batch, inH, inW, inC, outH, outW, outC, filterH, filterW, strideH, strideW, dilationH, dilationW, padTop, padLeft;
  int64_t rowsPerImage() const { return outH * outW; }
  int64_t patch() const { return filterH * filterW * inC; }
  bool isPlainGemm() const {
    return filterH == 1 && filterW == 1 && strideH == 1 && strideW == 1 && padTop == 0 && padLeft == 0 && outH == inH && outW == inW;
  }
};

constexpr int kConvGeometryFields = 15;

ConvGeometry ReadConvGeometry(const Napi::Env& env, const Napi::Value& v) {
  auto g = I32(v, "geometry");
  Require(env, g.length == kConvGeometryFields, "conv2d: geometry must hold 15 integers");
  const int32_t* d = g.data;
  ConvGeometry c{d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10], d[11], d[12], d[13], d[14]};
  for (int i = 0; i < kConvGeometryFields; ++i) {
    Require(env, i >= 13 ? d[i] >= 0 : d[i] > 0, "conv2d: geometry field " + std::to_string(i) + " out of range");
  }
  return c;
}

// Images per im2col chunk: about 4M floats (16 MiB) of columns, at least one image.
int64_t ImagesPerChunk(const ConvGeometry& g) {
  const int64_t perImage = g.rowsPerImage() * g.patch();
  return std::max<int64_t>(1, std::min<int64_t>(g.batch, (int64_t(1) << 22) / std::max<int64_t>(perImage, 1)));
}

std::vector<float>& ColumnBuffer(size_t n) {
  thread_local std::vector<float> buffer;
  if (buffer.size() < n) buffer.resize(n);
  return buffer;
}

// cols[(image, oy, ox), (ky, kx, c)] for images [first, first + count); zero where the window leaves the image.
void Im2Col(const float* x, const ConvGeometry& g, int64_t first, int64_t count, float* cols) {
  const int64_t C = g.inC, patch = g.patch(), rows = count * g.rowsPerImage();
#pragma omp parallel for schedule(static) if (rows * patch > kParallelGrain)
  for (int64_t r = 0; r < rows; ++r) {
    const int64_t n = first + r / g.rowsPerImage(), oy = (r / g.outW) % g.outH, ox = r % g.outW;
    float* dst = cols + r * patch;
    for (int64_t ky = 0; ky < g.filterH; ++ky) {
      const int64_t iy = oy * g.strideH - g.padTop + ky * g.dilationH;
      for (int64_t kx = 0; kx < g.filterW; ++kx, dst += C) {
        const int64_t ix = ox * g.strideW - g.padLeft + kx * g.dilationW;
        if (iy < 0 || iy >= g.inH || ix < 0 || ix >= g.inW) {
          std::memset(dst, 0, sizeof(float) * C);
        } else {
          std::memcpy(dst, x + ((n * g.inH + iy) * g.inW + ix) * C, sizeof(float) * C);
        }
      }
    }
  }
}

// The adjoint of Im2Col: adds each column entry back onto its input pixel (dx must start zeroed).
void Col2ImAdd(const float* cols, const ConvGeometry& g, int64_t first, int64_t count, float* dx) {
  const int64_t C = g.inC, patch = g.patch();
  // One image per iteration: windows overlap within an image, never across images.
#pragma omp parallel for schedule(static) if (count * g.rowsPerImage() * patch > kParallelGrain)
  for (int64_t i = 0; i < count; ++i) {
    const int64_t n = first + i;
    for (int64_t oy = 0; oy < g.outH; ++oy) {
      for (int64_t ox = 0; ox < g.outW; ++ox) {
        const float* src = cols + ((i * g.outH + oy) * g.outW + ox) * patch;
        for (int64_t ky = 0; ky < g.filterH; ++ky) {
          const int64_t iy = oy * g.strideH - g.padTop + ky * g.dilationH;
          for (int64_t kx = 0; kx < g.filterW; ++kx, src += C) {
            const int64_t ix = ox * g.strideW - g.padLeft + kx * g.dilationW;
            if (iy < 0 || iy >= g.inH || ix < 0 || ix >= g.inW) continue;
            float* dst = dx + ((n * g.inH + iy) * g.inW + ix) * C;
#pragma omp simd
            for (int64_t c = 0; c < C; ++c) dst[c] += src[c];
          }
        }
      }
    }
  }
}

// Runs body(first, count, rows, cols) over chunks of whole images with this thread's column buffer sized for a chunk.
template <typename Body>
void ForEachImageChunk(const ConvGeometry& g, Body body) {
  const int64_t chunk = ImagesPerChunk(g), rpi = g.rowsPerImage();
  float* cols = ColumnBuffer(size_t(chunk * rpi * g.patch())).data();
  for (int64_t first = 0; first < g.batch; first += chunk) {
    const int64_t count = std::min(chunk, g.batch - first);
    body(first, count, count * rpi, cols);
  }
}

// y[N, OH, OW, OC] = conv(x[N, H, W, C], filter[KH, KW, C, OC])
void Conv2DForward(const float* x, const float* filter, float* y, const ConvGeometry& g) {
  const int64_t patch = g.patch(), rpi = g.rowsPerImage();
  if (g.isPlainGemm()) {
    Sgemm(false, false, g.batch * rpi, g.outC, patch, 1.f, x, patch, filter, g.outC, 0.f, y, g.outC);
    return;
  }
  ForEachImageChunk(g, [&](int64_t first, int64_t count, int64_t rows, float* cols) {
    Im2Col(x, g, first, count, cols);
    Sgemm(false, false, rows, g.outC, patch, 1.f, cols, patch, filter, g.outC, 0.f, y + first * rpi * g.outC, g.outC);
  });
}

// dx = conv^T(dy, filter): dcols = dy * filter^T, then col2im.
void Conv2DBackpropInput(const float* dy, const float* filter, float* dx, const ConvGeometry& g) {
  const int64_t patch = g.patch(), rpi = g.rowsPerImage();
  if (g.isPlainGemm()) {
    Sgemm(false, true, g.batch * rpi, patch, g.outC, 1.f, dy, g.outC, filter, g.outC, 0.f, dx, patch);
    return;
  }
  std::fill(dx, dx + g.batch * g.inH * g.inW * g.inC, 0.f);
  ForEachImageChunk(g, [&](int64_t first, int64_t count, int64_t rows, float* cols) {
    Sgemm(false, true, rows, patch, g.outC, 1.f, dy + first * rpi * g.outC, g.outC, filter, g.outC, 0.f, cols, patch);
    Col2ImAdd(cols, g, first, count, dx);
  });
}

// dfilter[KH*KW*C, OC] = sum over chunks of cols^T * dy.
void Conv2DBackpropFilter(const float* x, const float* dy, float* dfilter, const ConvGeometry& g) {
  const int64_t patch = g.patch(), rpi = g.rowsPerImage();
  if (g.isPlainGemm()) {
    Sgemm(true, false, patch, g.outC, g.batch * rpi, 1.f, x, patch, dy, g.outC, 0.f, dfilter, g.outC);
    return;
  }
  ForEachImageChunk(g, [&](int64_t first, int64_t count, int64_t rows, float* cols) {
    Im2Col(x, g, first, count, cols);
    Sgemm(true, false, patch, g.outC, rows, 1.f, cols, patch, dy + first * rpi * g.outC, g.outC, first == 0 ? 0.f : 1.f,
          dfilter, g.outC);
  });
}

// Pooling windows (dilation 1), in the order of tfjs's Pool2DInfo fields.
struct PoolGeometry {
  int64_t batch, inH, inW, channels, outH, outW, filterH, filterW, strideH, strideW, padTop, padLeft;
};

constexpr int kPoolGeometryFields = 12;

PoolGeometry ReadPoolGeometry(const Napi::Env& env, const Napi::Value& v) {
  auto g = I32(v, "geometry");
  Require(env, g.length == kPoolGeometryFields, "maxPool: geometry must hold 12 integers");
  const int32_t* d = g.data;
  for (int i = 0; i < kPoolGeometryFields; ++i) {
    Require(env, i >= 10 ? d[i] >= 0 : d[i] > 0, "maxPool: geometry field " + std::to_string(i) + " out of range");
  }
  return {d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10], d[11]};
}

// Visits each output of one image and channel's window maximum: the first strictly greatest element in row-major
// window order, as tfjs's cpu maxPoolPositions picks it (so gradients agree on ties); -1 for an all-padding window.
template <typename Visit>
void ForEachWindowMax(const float* x, const PoolGeometry& g, int64_t n, Visit visit) {
  const int64_t C = g.channels;
  for (int64_t oy = 0; oy < g.outH; ++oy) {
    const int64_t y0 = oy * g.strideH - g.padTop;
    const int64_t ya = std::max<int64_t>(y0, 0), yb = std::min(g.inH, y0 + g.filterH);
    for (int64_t ox = 0; ox < g.outW; ++ox) {
      const int64_t x0 = ox * g.strideW - g.padLeft;
      const int64_t xa = std::max<int64_t>(x0, 0), xb = std::min(g.inW, x0 + g.filterW);
      const int64_t out = ((n * g.outH + oy) * g.outW + ox) * C;
      for (int64_t c = 0; c < C; ++c) {
        float best = -std::numeric_limits<float>::infinity();
        int64_t at = -1;
        for (int64_t iy = ya; iy < yb; ++iy) {
          for (int64_t ix = xa; ix < xb; ++ix) {
            const int64_t i = ((n * g.inH + iy) * g.inW + ix) * C + c;
            if (x[i] > best) { best = x[i]; at = i; }
          }
        }
        visit(out + c, at, best);
      }
    }
  }
}

void MaxPoolForward(const float* x, float* y, const PoolGeometry& g) {
#pragma omp parallel for schedule(static) if (g.batch * g.outH * g.outW * g.channels > kParallelGrain)
  for (int64_t n = 0; n < g.batch; ++n) {
    ForEachWindowMax(x, g, n, [&](int64_t out, int64_t, float best) { y[out] = best; });
  }
}

void MaxPoolBackward(const float* dy, const float* x, float* dx, const PoolGeometry& g) {
  const int64_t perImage = g.inH * g.inW * g.channels;
#pragma omp parallel for schedule(static) if (g.batch * perImage > kParallelGrain)
  for (int64_t n = 0; n < g.batch; ++n) {
    std::fill(dx + n * perImage, dx + (n + 1) * perImage, 0.f);
    ForEachWindowMax(x, g, n, [&](int64_t out, int64_t at, float) { if (at >= 0) dx[at] += dy[out]; });
  }
}

size_t ConvInputSize(const ConvGeometry& g) { return size_t(g.batch * g.inH * g.inW * g.inC); }
size_t ConvOutputSize(const ConvGeometry& g) { return size_t(g.batch * g.outH * g.outW * g.outC); }
size_t FilterSize(const ConvGeometry& g) { return size_t(g.patch() * g.outC); }

// The three convolution entry points share one argument layout: two inputs, one output, then the geometry.
struct ConvOperand {
  const char* name;
  size_t (*size)(const ConvGeometry&);
};
using ConvKernel = void (*)(const float*, const float*, float*, const ConvGeometry&);

Napi::Value CallConv(const Napi::CallbackInfo& info, const char* op, const ConvOperand (&operands)[3], ConvKernel kernel) {
  Napi::Env env = info.Env();
  auto a = F32(info[0], operands[0].name), b = F32(info[1], operands[1].name), out = F32(info[2], operands[2].name);
  const ConvGeometry g = ReadConvGeometry(env, info[3]);
  Require(env, a.length == operands[0].size(g) && b.length == operands[1].size(g) && out.length == operands[2].size(g),
          std::string(op) + ": " + operands[0].name + ", " + operands[1].name + " or " + operands[2].name + " does not match the geometry");
  kernel(a.data, b.data, out.data, g);
  return env.Undefined();
}

// conv2d(x, filter, y, geometry)
Napi::Value JsConv2D(const Napi::CallbackInfo& info) {
  return CallConv(info, "conv2d", {{"x", ConvInputSize}, {"filter", FilterSize}, {"y", ConvOutputSize}}, Conv2DForward);
}

// conv2dBackpropInput(dy, filter, dx, geometry)
Napi::Value JsConv2DBackpropInput(const Napi::CallbackInfo& info) {
  return CallConv(info, "conv2dBackpropInput", {{"dy", ConvOutputSize}, {"filter", FilterSize}, {"dx", ConvInputSize}}, Conv2DBackpropInput);
}

// conv2dBackpropFilter(x, dy, dfilter, geometry)
Napi::Value JsConv2DBackpropFilter(const Napi::CallbackInfo& info) {
  return CallConv(info, "conv2dBackpropFilter", {{"x", ConvInputSize}, {"dy", ConvOutputSize}, {"dfilter", FilterSize}}, Conv2DBackpropFilter);
}

size_t PoolInputSize(const PoolGeometry& g) { return size_t(g.batch * g.inH * g.inW * g.channels); }
size_t PoolOutputSize(const PoolGeometry& g) { return size_t(g.batch * g.outH * g.outW * g.channels); }

// maxPool(x, y, geometry)
Napi::Value JsMaxPool(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto x = F32(info[0], "x"), y = F32(info[1], "y");
  const PoolGeometry g = ReadPoolGeometry(env, info[2]);
  Require(env, x.length == PoolInputSize(g) && y.length == PoolOutputSize(g), "maxPool: x or y does not match the geometry");
  MaxPoolForward(x.data, y.data, g);
  return env.Undefined();
}

// maxPoolGrad(dy, x, dx, geometry)
Napi::Value JsMaxPoolGrad(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto dy = F32(info[0], "dy"), x = F32(info[1], "x"), dx = F32(info[2], "dx");
  const PoolGeometry g = ReadPoolGeometry(env, info[3]);
  Require(env, dy.length == PoolOutputSize(g) && x.length == PoolInputSize(g) && dx.length == x.length,
          "maxPoolGrad: dy, x or dx does not match the geometry");
  MaxPoolBackward(dy.data, x.data, dx.data, g);
  return env.Undefined();
}

}  // namespace

void RegisterConv(Napi::Env env, Napi::Object exports) {
  exports.Set("conv2d", Napi::Function::New(env, JsConv2D));
  exports.Set("conv2dBackpropInput", Napi::Function::New(env, JsConv2DBackpropInput));
  exports.Set("conv2dBackpropFilter", Napi::Function::New(env, JsConv2DBackpropFilter));
  exports.Set("maxPool", Napi::Function::New(env, JsMaxPool));
  exports.Set("maxPoolGrad", Napi::Function::New(env, JsMaxPoolGrad));
}

}  // namespace parsimony
