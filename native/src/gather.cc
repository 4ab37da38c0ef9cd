// Data movement kernels: gather along one axis (embedding lookup), unsorted segment sum over the first axis
// (its gradient) and transpose. Gather and transpose only move 4-byte words, so JS passes int32 tensors as
// Float32Array views of the same bytes.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>

#include "common.h"
#include "registry.h"

namespace parsimony {

namespace {

// gather(params, indices, out, outer, dimSize, sliceSize): out[o, i, :] = params[o, indices[i], :]
Napi::Value JsGather(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  auto params = F32(info[0], "params");
  auto indices = I32(info[1], "indices");
  auto out = F32(info[2], "out");
  const int64_t outer = Int(info[3], "outer"), dim = Int(info[4], "dimSize"), slice = Int(info[5], "sliceSize");
  const int64_t n = int64_t(indices.length);
  Require(env, outer >= 0 && dim >= 0 && slice >= 0 && params.length == size_t(outer * dim * slice),
          "gather: params must have outer*dimSize*sliceSize elements");
  Require(env, out.length == size_t(outer * n * slice), "gather: out must have outer*indices*sliceSize elements");
  for (int64_t i = 0; i < n; ++i) {
    const int32_t idx = indices.data[i];
    if (idx < 0 || idx >= dim)  // same check and message as the tfjs cpu kernel
      throw Napi::Error::New(env, "GatherV2: the index value " + std::to_string(idx) + " is not in [0, " +
                                      std::to_string(dim - 1) + "]");
  }
  const float* src = params.data;
  float* dst = out.data;
#pragma omp parallel for schedule(static) if (outer * n * slice > kParallelGrain)
  for (int64_t row = 0; row < outer * n; ++row) {
    const int64_t o = row / n, i = row % n;
    std::memcpy(dst + row * slice, src + (o * dim + indices.data[i]) * slice, size_t(slice) * sizeof(float));
  }
  return env.Undefined();
}

// unsortedSegmentSum(data, segmentIds, out, numSegments, sliceSize):
// out[s, :] = sum of data[i, :] over i with segmentIds[i] == s; ids outside [0, numSegments) are dropped.
Napi::Value JsUnsortedSegmentSum(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  auto data = F32(info[0], "data");
  auto ids = I32(info[1], "segmentIds");
  auto out = F32(info[2], "out");
  const int64_t segments = Int(info[3], "numSegments"), slice = Int(info[4], "sliceSize");
  const int64_t n = int64_t(ids.length);
  Require(env, segments >= 0 && slice >= 0 && data.length == size_t(n * slice),
          "unsortedSegmentSum: data must have segmentIds.length*sliceSize elements");
  Require(env, out.length == size_t(segments * slice), "unsortedSegmentSum: out must have numSegments*sliceSize elements");
  std::fill(out.data, out.data + out.length, 0.f);
  // threads own disjoint column blocks and visit rows in order: no races, and sums in a fixed order
  constexpr int64_t kBlock = 64;
  const int64_t blocks = (slice + kBlock - 1) / kBlock;
#pragma omp parallel for schedule(static) if (n * slice > kParallelGrain)
  for (int64_t b = 0; b < blocks; ++b) {
    const int64_t k0 = b * kBlock, len = std::min(kBlock, slice - k0);
    for (int64_t i = 0; i < n; ++i) {
      const int32_t s = ids.data[i];
      if (s < 0 || s >= segments) continue;
      const float* src = data.data + i * slice + k0;
      float* dst = out.data + s * slice + k0;
      for (int64_t k = 0; k < len; ++k) dst[k] += src[k];
    }
  }
  return env.Undefined();
}

constexpr int kMaxRank = 8;

// Transpose with size-1 axes dropped and runs of axes that stay adjacent merged: e.g. [B, T, H] with perm
// [1, 0, 2] becomes a copy of contiguous H-runs, and perm [0, 2, 1] a batch of 2-D transposes.
struct Permutation {
  int rank = 0;
  int64_t shape[kMaxRank];  // input shape
  int perm[kMaxRank];       // output axis j is input axis perm[j]
};

Permutation Simplify(const int32_t* shape, const int32_t* perm, int rank) {
  int newIndex[kMaxRank];
  int kept = 0;
  for (int a = 0; a < rank; ++a) newIndex[a] = shape[a] == 1 ? -1 : kept++;
  int order[kMaxRank], n = 0;  // output order of the kept input axes, renumbered
  for (int j = 0; j < rank; ++j)
    if (newIndex[perm[j]] >= 0) order[n++] = newIndex[perm[j]];
  int64_t keptShape[kMaxRank];
  for (int a = 0; a < rank; ++a)
    if (newIndex[a] >= 0) keptShape[newIndex[a]] = shape[a];
  // group output axes whose input axes are consecutive; each group becomes one merged axis
  int groupOf[kMaxRank];  // kept input axis -> group (numbered in output order)
  int groups = 0;
  for (int j = 0; j < n; ++j) {
    if (j == 0 || order[j] != order[j - 1] + 1) ++groups;
    groupOf[order[j]] = groups - 1;
  }
  Permutation p;
  p.rank = groups;
  int inputPos = 0;  // merged input axes, in input order
  int mergedIndex[kMaxRank];
  for (int a = 0; a < n; ++a) {
    if (a == 0 || groupOf[a] != groupOf[a - 1]) {
      mergedIndex[groupOf[a]] = inputPos;
      p.shape[inputPos++] = 1;
    }
    p.shape[inputPos - 1] *= keptShape[a];
  }
  for (int g = 0; g < groups; ++g) p.perm[g] = mergedIndex[g];
  return p;
}

void Transpose(const float* in, float* out, const Permutation& p) {
  const int r = p.rank;
  int64_t total = 1;
  for (int a = 0; a < r; ++a) total *= p.shape[a];
  if (total == 0) return;
  if (r <= 1) {
    std::memcpy(out, in, size_t(total) * sizeof(float));
    return;
  }
  int64_t inStride[kMaxRank], outShape[kMaxRank], outStride[kMaxRank];
  inStride[r - 1] = 1;
  for (int a = r - 2; a >= 0; --a) inStride[a] = inStride[a + 1] * p.shape[a + 1];
  for (int j = 0; j < r; ++j) outShape[j] = p.shape[p.perm[j]];
  outStride[r - 1] = 1;
  for (int j = r - 2; j >= 0; --j) outStride[j] = outStride[j + 1] * outShape[j + 1];
  if (p.perm[r - 1] == r - 1) {  // the innermost axis stays innermost: copy contiguous runs
    const int64_t run = p.shape[r - 1], runs = total / run;
#pragma omp parallel for schedule(static) if (total > kParallelGrain)
    for (int64_t q = 0; q < runs; ++q) {
      int64_t rest = q, inBase = 0;
      for (int j = r - 2; j >= 0; --j) {
        inBase += (rest % outShape[j]) * inStride[p.perm[j]];
        rest /= outShape[j];
      }
      std::memcpy(out + q * run, in + inBase, size_t(run) * sizeof(float));
    }
    return;
  }
  // 2-D core: output axis r-1 (input axis p.perm[r-1], input stride lda) against output axis kOut (input axis r-1,
  // contiguous in the input); every other axis is an outer loop.
  int kOut = 0;
  while (p.perm[kOut] != r - 1) ++kOut;
  const int64_t rowsA = outShape[r - 1], colsB = outShape[kOut];
  const int64_t lda = inStride[p.perm[r - 1]], ldo = outStride[kOut];
  int outerAxes[kMaxRank], nOuter = 0;
  for (int j = 0; j < r; ++j)
    if (j != r - 1 && j != kOut) outerAxes[nOuter++] = j;
  const int64_t outerCount = total / (rowsA * colsB);
  constexpr int64_t kTile = 32;
  const int64_t tilesA = (rowsA + kTile - 1) / kTile;
#pragma omp parallel for schedule(static) if (total > kParallelGrain)
  for (int64_t task = 0; task < outerCount * tilesA; ++task) {
    int64_t rest = task / tilesA, inBase = 0, outBase = 0;
    for (int q = nOuter - 1; q >= 0; --q) {
      const int j = outerAxes[q];
      const int64_t c = rest % outShape[j];
      rest /= outShape[j];
      inBase += c * inStride[p.perm[j]];
      outBase += c * outStride[j];
    }
    const int64_t a0 = (task % tilesA) * kTile, aEnd = std::min(rowsA, a0 + kTile);
    for (int64_t b0 = 0; b0 < colsB; b0 += kTile) {
      const int64_t bEnd = std::min(colsB, b0 + kTile);
      for (int64_t b = b0; b < bEnd; ++b)
        for (int64_t a = a0; a < aEnd; ++a) out[outBase + b * ldo + a] = in[inBase + a * lda + b];
    }
  }
}

// transpose(x, out, shape: Int32Array, perm: Int32Array)
Napi::Value JsTranspose(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  auto x = F32(info[0], "x");
  auto out = F32(info[1], "out");
  auto shape = I32(info[2], "shape");
  auto perm = I32(info[3], "perm");
  const int rank = int(shape.length);
  Require(env, rank <= kMaxRank && perm.length == shape.length, "transpose: rank too large or perm of the wrong length");
  int64_t total = 1;
  bool seen[kMaxRank] = {};
  for (int a = 0; a < rank; ++a) {
    Require(env, shape.data[a] >= 0, "transpose: negative dimension");
    Require(env, perm.data[a] >= 0 && perm.data[a] < rank && !seen[perm.data[a]], "transpose: perm is not a permutation");
    seen[perm.data[a]] = true;
    total *= shape.data[a];
  }
  Require(env, x.length == size_t(total) && out.length == x.length, "transpose: x and out must match the shape");
  Transpose(x.data, out.data, Simplify(shape.data, perm.data, rank));
  return env.Undefined();
}

}  // namespace

void RegisterGather(Napi::Env env, Napi::Object exports) {
  exports.Set("gather", Napi::Function::New(env, JsGather));
  exports.Set("unsortedSegmentSum", Napi::Function::New(env, JsUnsortedSegmentSum));
  exports.Set("transpose", Napi::Function::New(env, JsTranspose));
}

}  // namespace parsimony
