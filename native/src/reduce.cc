// Sum / mean / max of a float32 tensor viewed as [outer, reduce, inner] over its middle axis: inner == 1 is the
// innermost-axes case (rows), outer == 1 the outermost-axes case (columns), outer == inner == 1 a full reduction.
// Work is split into fixed-size pieces combined in a fixed order, so results do not depend on the thread count.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include "common.h"
#include "registry.h"
#include "row_reduce.h"

namespace parsimony {

namespace {

// Must match REDUCE_OPS in src/engine/kernels/reduce.ts.
enum ReduceOp : int { kSum = 0, kMean, kMax, kReduceCount };

// Max that keeps a NaN once seen (tfjs: any NaN element makes the max NaN).
inline float MaxKeepNan(float m, float v) { return v > m || v != v ? v : m; }

// inner == 1: each output is a contiguous run of R values, cut into chunks so one long row still uses all threads.
void ReduceRows(int op, const float* x, float* out, int64_t outer, int64_t R) {
  const int64_t kChunk = 1 << 14;
  const int64_t chunks = (R + kChunk - 1) / kChunk;
  std::vector<double> partial(size_t(outer * chunks));
#pragma omp parallel for schedule(static) if (outer * R > kParallelGrain)
  for (int64_t task = 0; task < outer * chunks; ++task) {
    const int64_t o = task / chunks, r0 = (task % chunks) * kChunk, len = std::min(kChunk, R - r0);
    const float* p = x + o * R + r0;
    partial[size_t(task)] = op == kMax ? double(MaxF32(p, len)) : SumF32(p, len);
  }
  for (int64_t o = 0; o < outer; ++o) {
    const double* p = partial.data() + o * chunks;
    if (op == kMax) {
      float m = float(p[0]);
      for (int64_t c = 1; c < chunks; ++c) m = MaxKeepNan(m, float(p[c]));
      out[o] = m;
    } else {
      double s = 0;
      for (int64_t c = 0; c < chunks; ++c) s += p[c];
      out[o] = float(op == kMean ? s / double(R) : s);
    }
  }
}

// inner > 1: stream the R rows of each [R, inner] slab, accumulating a block of columns at a time.
void ReduceColumns(int op, const float* x, float* out, int64_t outer, int64_t R, int64_t inner) {
  constexpr int64_t kBlock = 128;
  const int64_t blocks = (inner + kBlock - 1) / kBlock;
#pragma omp parallel for schedule(static) if (outer * R * inner > kParallelGrain)
  for (int64_t task = 0; task < outer * blocks; ++task) {
    const int64_t o = task / blocks, k0 = (task % blocks) * kBlock, len = std::min(kBlock, inner - k0);
    const float* base = x + o * R * inner + k0;
    float* dst = out + o * inner + k0;
    if (op == kMax) {
      float m[kBlock];
      for (int64_t k = 0; k < len; ++k) m[k] = base[k];
      for (int64_t r = 1; r < R; ++r) {
        const float* row = base + r * inner;
        for (int64_t k = 0; k < len; ++k) m[k] = MaxKeepNan(m[k], row[k]);
      }
      for (int64_t k = 0; k < len; ++k) dst[k] = m[k];
    } else {
      double acc[kBlock] = {};
      for (int64_t r = 0; r < R; ++r) {
        const float* row = base + r * inner;
        for (int64_t k = 0; k < len; ++k) acc[k] += row[k];
      }
      const double scale = op == kMean ? 1.0 / double(R) : 1.0;
      for (int64_t k = 0; k < len; ++k) dst[k] = float(op == kMean ? acc[k] * scale : acc[k]);
    }
  }
}

// reduce(op, x, out, outer, reduceSize, inner): out[o, k] = op over r of x[o, r, k]; reduceSize must be > 0.
Napi::Value JsReduce(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  const int64_t op = Int(info[0], "op");
  auto x = F32(info[1], "x");
  auto out = F32(info[2], "out");
  const int64_t outer = Int(info[3], "outer"), R = Int(info[4], "reduceSize"), inner = Int(info[5], "inner");
  Require(env, op >= 0 && op < kReduceCount, "reduce: unknown op");
  Require(env, outer >= 0 && inner >= 0 && R > 0, "reduce: sizes must be >= 0 and reduceSize > 0");
  Require(env, x.length == size_t(outer * R * inner), "reduce: x must have outer*reduceSize*inner elements");
  Require(env, out.length == size_t(outer * inner), "reduce: out must have outer*inner elements");
  if (outer * inner == 0) return env.Undefined();
  if (inner == 1) ReduceRows(int(op), x.data, out.data, outer, R);
  else ReduceColumns(int(op), x.data, out.data, outer, R, inner);
  return env.Undefined();
}

}  // namespace

void RegisterReduce(Napi::Env env, Napi::Object exports) {
  exports.Set("reduce", Napi::Function::New(env, JsReduce));
}

}  // namespace parsimony
