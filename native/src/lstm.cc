// Fused whole-sequence LSTM (gate order i, f, g, o in blocks of H along the 4H axis, as PyTorch):
//   s_t = (x_t * inputMask) W + h_{t-1} U,  a_t = s_t * gateMask + b,
//   i, f, o = act(a), g = tanh(a),  c_t = f c_{t-1} + i g,  h_t = o tanh(c_t) * hiddenMask,
// with padded steps (see StepWindows) carrying h and c unchanged. Forward and backward are one call each.
// Forward: one big GEMM for the input projection of every step, written into `gates` [B,T,4H]; then the
// recurrence, per step one small GEMM accumulating h_{t-1} U into that step's rows and one fused pass over the
// gates and the cell. Batch rows are independent through time, so the recurrence runs in batch slices, one per
// thread, each with its own single-threaded GEMMs and no synchronisation (SequenceSlices); small batches run as
// one slice with the library's threads in the GEMM and row blocks for the cells. The backward mirrors it
// (dh_{t-1} += dS_t U^T per step) and ends with one big GEMM each for dU, dW and dX.
// Saved for the backward: hs, cs [B,T,H], the activations i, f, g, o in `gates` and, with a gate mask, s_t.
// Without a kernel (null), x is the input projection itself ([B,T,4H], D = 4H, no input mask): it is copied into
// `gates` instead of the GEMM, and the backward's dX is dS (a one-hot LM gathers rows of W instead of x W).
#include <algorithm>
#include <string>
#include <vector>

#include "common.h"
#include "fast_math.h"
#include "flush_denormals.h"
#include "gemm.h"
#include "registry.h"
#include "rnn_common.h"

namespace parsimony {

namespace {

// A step's fused pass costs a handful of exp per unit: worth two threads well below kParallelGrain.
constexpr int64_t kStepGrain = 1 << 12;

thread_local std::vector<float> tlRecurrentT, tlBiasRows, tlHiddenMaskRows;

// Read-only per-sequence rows; absent masks and states point at shared ones/zeros with a row stride of 0.
struct Rows {
  const float* data;
  int64_t stride;
  const float* operator[](int64_t b) const { return data + b * stride; }
};

inline Rows RowsOr(const View<float>& v, int64_t stride, const float* fallback) {
  return v.data ? Rows{v.data, stride} : Rows{fallback, 0};
}

// One step of the forward pass for units [j0, j1) of one sequence. `gates` holds s (4 blocks of H) on entry and
// the activations i, f, g, o on return.
template <typename Act>
void ForwardUnits(float* __restrict gi, float* __restrict gf, float* __restrict gg, float* __restrict go,
                  const float* __restrict gm, const float* __restrict bias, const float* __restrict cPrev,
                  const float* __restrict hm, float* __restrict c, float* __restrict h, int64_t H, int64_t j0,
                  int64_t j1) {
#pragma omp simd simdlen(16)  // 16 lanes: full AVX-512 vectors where available
  for (int64_t j = j0; j < j1; ++j) {
    const float i = Act::Apply(gi[j] * gm[j] + bias[j]);
    const float f = Act::Apply(gf[j] * gm[H + j] + bias[H + j]);
    const float g = FastTanh(gg[j] * gm[2 * H + j] + bias[2 * H + j]);
    const float o = Act::Apply(go[j] * gm[3 * H + j] + bias[3 * H + j]);
    gi[j] = i;
    gf[j] = f;
    gg[j] = g;
    go[j] = o;
    const float cn = f * cPrev[j] + i * g;
    c[j] = cn;
    h[j] = o * FastTanh(cn) * hm[j];
  }
}

struct BackwardRow {
  float* gates;        // in: activations i, f, g, o; out: dS (the gradient w.r.t. s_t)
  const float* s;      // s_t saved before the gate mask (kGateMask only)
  const float* gm;     // gate mask row (ones when absent)
  const float* c;      // c_t
  const float* cPrev;  // c_{t-1}
  const float* hm;     // hidden mask row (ones when absent)
  const float* dOut;   // gradient of this step's output row (zeros when absent)
  float* dh;           // in: dL/dh_t from later steps; out: 0 (the recurrent GEMM then adds dS U^T)
  float* dc;           // in: dL/dc_t from later steps; out: dL/dc_{t-1}
  float* dBias;        // per-sequence bias gradient accumulator [4H]
  float* dGateMask;    // [4H] accumulator (kGateMask only)
  float* dHiddenMask;  // [H] accumulator
};

template <typename Act, bool kGateMask>
void BackwardUnits(const BackwardRow& r, int64_t H, int64_t j0, int64_t j1) {
  float* __restrict gi = r.gates;
  float* __restrict gf = r.gates + H;
  float* __restrict gg = r.gates + 2 * H;
  float* __restrict go = r.gates + 3 * H;
  const float* __restrict s = r.s;
  const float* __restrict gm = r.gm;
  const float* __restrict c = r.c;
  const float* __restrict cPrev = r.cPrev;
  const float* __restrict hm = r.hm;
  const float* __restrict dOut = r.dOut;
  float* __restrict dh = r.dh;
  float* __restrict dc = r.dc;
  float* __restrict db = r.dBias;
  float* __restrict dgm = r.dGateMask;
  float* __restrict dhm = r.dHiddenMask;
#pragma omp simd simdlen(16)  // 16 lanes: full AVX-512 vectors where available
  for (int64_t j = j0; j < j1; ++j) {
    const float i = gi[j], f = gf[j], g = gg[j], o = go[j];
    const float tc = FastTanh(c[j]);
    const float dhTotal = dh[j] + dOut[j];
    dhm[j] += dhTotal * o * tc;
    const float dhc = dhTotal * hm[j];
    const float dcTotal = dc[j] + dhc * o * (1.f - tc * tc);
    dc[j] = dcTotal * f;
    dh[j] = 0.f;
    const float dai = dcTotal * g * Act::GradFromValue(i);
    const float daf = dcTotal * cPrev[j] * Act::GradFromValue(f);
    const float dag = dcTotal * i * (1.f - g * g);
    const float dao = dhc * tc * Act::GradFromValue(o);
    db[j] += dai;
    db[H + j] += daf;
    db[2 * H + j] += dag;
    db[3 * H + j] += dao;
    if constexpr (kGateMask) {
      dgm[j] += dai * s[j];
      dgm[H + j] += daf * s[H + j];
      dgm[2 * H + j] += dag * s[2 * H + j];
      dgm[3 * H + j] += dao * s[3 * H + j];
      gi[j] = dai * gm[j];
      gf[j] = daf * gm[H + j];
      gg[j] = dag * gm[2 * H + j];
      go[j] = dao * gm[3 * H + j];
    } else {
      gi[j] = dai;
      gf[j] = daf;
      gg[j] = dag;
      go[j] = dao;
    }
  }
}

// Names the op in argument errors (SizedF32).
constexpr const char* kFn = "lstm";

View<int32_t> LengthsArg(const Napi::Env& env, const Napi::Value& v, int64_t B) {
  if (v.IsNull() || v.IsUndefined()) return {};
  auto lengths = I32(v, "lengths");
  Require(env, int64_t(lengths.length) == B, "lstm: lengths must have B elements");
  return lengths;
}

struct Dims {
  int64_t B, T, D, H, G;
};

Dims ReadDims(const Napi::CallbackInfo& info, int first) {
  const int64_t B = Int(info[first], "B"), T = Int(info[first + 1], "T"), D = Int(info[first + 2], "D"),
                H = Int(info[first + 3], "H");
  Require(info.Env(), B >= 0 && T >= 0 && D >= 0 && H >= 0, "lstm: negative dimension");
  return {B, T, D, H, 4 * H};
}

// What both entry points take, at positions that differ between them: x, kernel, recurrentKernel at 0..2;
// h0?, c0?, inputMask?, hiddenMask?, gateMask?, lengths? from `optional`; B, T, D, H, hardSigmoid, padLeft from
// `dims`; the forward's record hs, cs, gates, preMask? (iff gateMask) from `saved`.
struct SequenceArgs {
  Dims d;
  View<float> x, W, U, h0, c0, im, hm, gm;
  View<int32_t> lengths;
  bool hard, padLeft;
  View<float> hs, cs, gates, preMask;
};

SequenceArgs ReadSequenceArgs(const Napi::CallbackInfo& info, int optional, int dims, int saved) {
  const Napi::Env env = info.Env();
  SequenceArgs a;
  a.d = ReadDims(info, dims);
  const int64_t B = a.d.B, T = a.d.T, D = a.d.D, H = a.d.H, G = a.d.G;
  a.x = SizedF32(env, info[0], B * T * D, kFn, "x");
  a.W = SizedF32Opt(env, info[1], D * G, kFn, "kernel");
  a.U = SizedF32(env, info[2], H * G, kFn, "recurrentKernel");
  a.h0 = SizedF32Opt(env, info[optional], B * H, kFn, "h0");
  a.c0 = SizedF32Opt(env, info[optional + 1], B * H, kFn, "c0");
  a.im = SizedF32Opt(env, info[optional + 2], B * D, kFn, "inputMask");
  a.hm = SizedF32Opt(env, info[optional + 3], B * H, kFn, "hiddenMask");
  a.gm = SizedF32Opt(env, info[optional + 4], B * G, kFn, "gateMask");
  a.lengths = LengthsArg(env, info[optional + 5], B);
  a.hard = Bool(info[dims + 4]);
  a.padLeft = Bool(info[dims + 5]);
  a.hs = SizedF32(env, info[saved], B * T * H, kFn, "hs");
  a.cs = SizedF32(env, info[saved + 1], B * T * H, kFn, "cs");
  a.gates = SizedF32(env, info[saved + 2], B * T * G, kFn, "gates");
  a.preMask = SizedF32Opt(env, info[saved + 3], B * T * G, kFn, "preMask");
  Require(env, !a.gm.data == !a.preMask.data, "lstm: preMask must be given exactly when gateMask is");
  Require(env, a.W.data || (D == G && !a.im.data), "lstm: without a kernel x must be the input projection (D = 4H, no inputMask)");
  return a;
}

// Flops of one (row, step) of the recurrence: the recurrent GEMM plus a few dozen for the cell.
int64_t RecurrenceFlops(const Dims& d) { return 2 * d.G * (d.H + 8); }

// Runs cell(b, j0, j1) over every unit of rows [b0, b1) for one step: in row blocks on the OpenMP team when
// cellsInParallel (only for a single slice, which runs outside any parallel region), else on the calling thread.
template <typename F>
void ForEachStepCell(int64_t b0, int64_t b1, int64_t H, bool cellsInParallel, F cell) {
  if (cellsInParallel) {
    ForEachRowBlock(b1 - b0, H, kStepGrain, [&](int64_t k, int64_t j0, int64_t j1) { cell(b0 + k, j0, j1); });
  } else {
    for (int64_t b = b0; b < b1; ++b) cell(b, 0, H);
  }
}

// The forward recurrence, resolved from the arguments (absent optional rows point at shared ones/zeros).
struct ForwardPass {
  Dims d;
  const StepWindows* steps;
  const float *U, *bias, *h0;  // h0 may be null (zeros)
  Rows h0Rows, c0Rows, gmRows, hmRows;
  float *hs, *cs, *gates, *preMask;  // preMask only with a gate mask
  bool hard;
};

// Steps 0..T-1 for sequences [b0, b1). cellsInParallel: see ForEachStepCell.
void ForwardRecurrence(const ForwardPass& p, int64_t b0, int64_t b1, bool cellsInParallel) {
  const int64_t T = p.d.T, H = p.d.H, G = p.d.G;
  const auto units = p.hard ? ForwardUnits<HardSigmoidGate> : ForwardUnits<SigmoidGate>;
  for (int64_t t = 0; t < T; ++t) {
    int64_t lo, hi;
    p.steps->RealRows(b0, b1, t, &lo, &hi);
    if (hi > lo && (t > 0 || p.h0)) {  // h_{-1} = 0 without h0
      const float* hPrev = t > 0 ? p.hs + (lo * T + t - 1) * H : p.h0 + lo * H;
      Sgemm(false, false, hi - lo, G, H, 1.f, hPrev, t > 0 ? T * H : H, p.U, G, 1.f, p.gates + (lo * T + t) * G, T * G);
    }
    auto cell = [&](int64_t b, int64_t j0, int64_t j1) {
      const int64_t row = b * T + t;
      const float* hPrev = t > 0 ? p.hs + (row - 1) * H : p.h0Rows[b];
      const float* cPrev = t > 0 ? p.cs + (row - 1) * H : p.c0Rows[b];
      float* h = p.hs + row * H;
      float* c = p.cs + row * H;
      if (!p.steps->Valid(b, t)) {  // padding: carry h and c
        std::copy(hPrev + j0, hPrev + j1, h + j0);
        std::copy(cPrev + j0, cPrev + j1, c + j0);
        return;
      }
      float* g = p.gates + row * G;
      if (p.preMask) {
        for (int64_t k = 0; k < 4; ++k) std::copy(g + k * H + j0, g + k * H + j1, p.preMask + row * G + k * H + j0);
      }
      units(g, g + H, g + 2 * H, g + 3 * H, p.gmRows[b], p.bias, cPrev, p.hmRows[b], c, h, H, j0, j1);
    };
    ForEachStepCell(b0, b1, H, cellsInParallel, cell);
  }
}

// lstmForward(x, kernel?, recurrentKernel, bias, h0?, c0?, inputMask?, hiddenMask?, gateMask?, lengths?,
//             B, T, D, H, hardSigmoid, padLeft,
//             hs [B,T,H], cs [B,T,H], gates [B,T,4H], preMask [B,T,4H]? (iff gateMask), hFinal [B,H], cFinal [B,H])
Napi::Value JsLstmForward(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  const SequenceArgs a = ReadSequenceArgs(info, 4, 10, 16);
  const Dims& d = a.d;
  const int64_t B = d.B, T = d.T, D = d.D, H = d.H, G = d.G;
  auto bias = SizedF32(env, info[3], G, kFn, "bias");
  auto hFinal = SizedF32(env, info[20], B * H, kFn, "hFinal"), cFinal = SizedF32(env, info[21], B * H, kFn, "cFinal");
  const StepWindows steps(env, a.lengths, B, T, a.padLeft);

  const std::vector<float> ones(G, 1.f), zeros(H, 0.f);
  const ForwardPass p{d, &steps, a.U.data, bias.data, a.h0.data,
                      RowsOr(a.h0, H, zeros.data()), RowsOr(a.c0, H, zeros.data()), RowsOr(a.gm, G, ones.data()),
                      RowsOr(a.hm, H, ones.data()), a.hs.data, a.cs.data, a.gates.data, a.preMask.data, a.hard};
  const FlushDenormalsScope flush;
  if (a.W.data) {
    InputProjection(a.x.data, a.im.data, a.W.data, B, T, D, G, a.gates.data);
  } else {
    std::copy(a.x.data, a.x.data + B * T * G, a.gates.data);
  }
  const int slices = SequenceSlices(B, T, RecurrenceFlops(d));
  ForEachSequenceSlice(B, slices, [&](int64_t b0, int64_t b1) { ForwardRecurrence(p, b0, b1, slices == 1); });
  for (int64_t b = 0; b < B; ++b) {
    const float* h = T > 0 ? a.hs.data + (b * T + T - 1) * H : p.h0Rows[b];
    const float* c = T > 0 ? a.cs.data + (b * T + T - 1) * H : p.c0Rows[b];
    std::copy(h, h + H, hFinal.data + b * H);
    std::copy(c, c + H, cFinal.data + b * H);
  }
  return env.Undefined();
}

// The backward recurrence, resolved from the arguments.
struct BackwardPass {
  Dims d;
  const StepWindows* steps;
  const float* Ut;  // U^T [4H, H]
  Rows c0Rows, gmRows, hmRows;
  const float *cs, *preMask, *dOut, *zeros;  // preMask only with a gate mask; dOut may be null
  float* gates;                               // activations in, dS out
  float *dh, *dc, *dBiasRows, *dGateMask, *dHiddenMaskRows;  // dGateMask only with a gate mask
  bool hard;
};

// Steps T-1..0 for sequences [b0, b1): the cells turn the activations into dS_t, then dh_{t-1} += dS_t U^T.
void BackwardRecurrence(const BackwardPass& p, int64_t b0, int64_t b1, bool cellsInParallel) {
  const int64_t T = p.d.T, H = p.d.H, G = p.d.G;
  const auto units = p.hard ? (p.preMask ? BackwardUnits<HardSigmoidGate, true> : BackwardUnits<HardSigmoidGate, false>)
                            : (p.preMask ? BackwardUnits<SigmoidGate, true> : BackwardUnits<SigmoidGate, false>);
  for (int64_t t = T - 1; t >= 0; --t) {
    auto cell = [&](int64_t b, int64_t j0, int64_t j1) {
      const int64_t row = b * T + t;
      float* g = p.gates + row * G;
      if (!p.steps->Valid(b, t)) {  // h, c were carried: their gradients pass straight to step t - 1
        if (p.dOut) {
          for (int64_t j = j0; j < j1; ++j) p.dh[b * H + j] += p.dOut[row * H + j];
        }
        for (int64_t k = 0; k < 4; ++k) std::fill(g + k * H + j0, g + k * H + j1, 0.f);
        return;
      }
      const BackwardRow r{g,
                          p.preMask ? p.preMask + row * G : nullptr,
                          p.gmRows[b],
                          p.cs + row * H,
                          t > 0 ? p.cs + (row - 1) * H : p.c0Rows[b],
                          p.hmRows[b],
                          p.dOut ? p.dOut + row * H : p.zeros,
                          p.dh + b * H,
                          p.dc + b * H,
                          p.dBiasRows + b * G,
                          p.dGateMask ? p.dGateMask + b * G : nullptr,
                          p.dHiddenMaskRows + b * H};
      units(r, H, j0, j1);
    };
    ForEachStepCell(b0, b1, H, cellsInParallel, cell);
    int64_t lo, hi;
    p.steps->RealRows(b0, b1, t, &lo, &hi);
    // dS rows of padded steps are zero, and the carried dh of rows outside [lo, hi) stays as it is
    if (hi > lo) Sgemm(false, false, hi - lo, H, G, 1.f, p.gates + (lo * T + t) * G, T * G, p.Ut, H, 1.f, p.dh + lo * H, H);
  }
}

// lstmBackward(x, kernel, recurrentKernel, h0?, c0?, inputMask?, hiddenMask?, gateMask?, lengths?,
//              hs, cs, gates, preMask?, dOutput? [B,T,H], dhFinal [B,H], dcFinal [B,H],
//              B, T, D, H, hardSigmoid, padLeft,
//              dX, dKernel? (iff kernel), dRecurrentKernel, dBias, dh0, dc0, dInputMask?, dHiddenMask?, dGateMask?)
// `gates` (the forward's saved activations) is overwritten with dS, the gradient w.r.t. s_t, to save a
// [B, T, 4H] buffer: a forward's saved tensors are back-propagated at most once.
Napi::Value JsLstmBackward(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  const SequenceArgs a = ReadSequenceArgs(info, 3, 16, 9);
  const Dims& d = a.d;
  const int64_t B = d.B, T = d.T, D = d.D, H = d.H, G = d.G;
  auto dOut = SizedF32Opt(env, info[13], B * T * H, kFn, "dOutput");
  auto dhFinal = SizedF32(env, info[14], B * H, kFn, "dhFinal");
  auto dcFinal = SizedF32(env, info[15], B * H, kFn, "dcFinal");
  auto dX = SizedF32(env, info[22], B * T * D, kFn, "dX"), dW = SizedF32Opt(env, info[23], D * G, kFn, "dKernel");
  auto dU = SizedF32(env, info[24], H * G, kFn, "dRecurrentKernel"), db = SizedF32(env, info[25], G, kFn, "dBias");
  auto dh = SizedF32(env, info[26], B * H, kFn, "dh0"), dc = SizedF32(env, info[27], B * H, kFn, "dc0");
  auto dIm = SizedF32Opt(env, info[28], B * D, kFn, "dInputMask");
  auto dHm = SizedF32Opt(env, info[29], B * H, kFn, "dHiddenMask");
  auto dGm = SizedF32Opt(env, info[30], B * G, kFn, "dGateMask");
  Require(env, !a.W.data == !dW.data, "lstm: dKernel must be given exactly when kernel is");
  Require(env, !a.im.data == !dIm.data, "lstm: dInputMask must be given exactly when inputMask is");
  Require(env, !a.hm.data == !dHm.data, "lstm: dHiddenMask must be given exactly when hiddenMask is");
  Require(env, !a.gm.data == !dGm.data, "lstm: dGateMask must be given exactly when gateMask is");
  const StepWindows steps(env, a.lengths, B, T, a.padLeft);

  const std::vector<float> ones(G, 1.f), zeros(H, 0.f);
  // Per-sequence accumulators: each (row, unit) belongs to one thread; the bias rows are summed at the end.
  float* dBiasRows = GrowOnlyScratch(tlBiasRows, B * G);
  float* dHmRows = dHm.data ? dHm.data : GrowOnlyScratch(tlHiddenMaskRows, B * H);
  std::fill(dBiasRows, dBiasRows + B * G, 0.f);
  std::fill(dHmRows, dHmRows + B * H, 0.f);
  if (dGm.data) std::fill(dGm.data, dGm.data + B * G, 0.f);
  // dh and dc are carried in the dh0 and dc0 outputs, starting from the gradients of the final state
  std::copy(dhFinal.data, dhFinal.data + B * H, dh.data);
  std::copy(dcFinal.data, dcFinal.data + B * H, dc.data);
  // dh_{t-1} += dS_t U^T as a plain product with U^T made once: faster than a transposed operand every step
  float* Ut = GrowOnlyScratch(tlRecurrentT, H * G);
  Transpose(a.U.data, H, G, Ut);
  const BackwardPass p{d, &steps, Ut, RowsOr(a.c0, H, zeros.data()), RowsOr(a.gm, G, ones.data()),
                       RowsOr(a.hm, H, ones.data()), a.cs.data, a.preMask.data, dOut.data, zeros.data(),
                       a.gates.data, dh.data, dc.data, dBiasRows, dGm.data, dHmRows, a.hard};
  const FlushDenormalsScope flush;  // gradients fading through time would fill the GEMMs with subnormals
  const int slices = SequenceSlices(B, T, RecurrenceFlops(d));
  ForEachSequenceSlice(B, slices, [&](int64_t b0, int64_t b1) { BackwardRecurrence(p, b0, b1, slices == 1); });
  ColumnSums(dBiasRows, B, G, db.data);
  RecurrentWeightGrad(a.hs.data, a.h0.data, a.gates.data, B, T, H, G, dU.data);
  if (a.W.data) {
    InputProjectionBackward(a.x.data, a.im.data, a.W.data, a.gates.data, B, T, D, G, dX.data, dW.data, dIm.data);
  } else {
    std::copy(a.gates.data, a.gates.data + B * T * G, dX.data);  // x was s's input part itself: dX = dS
  }
  return env.Undefined();
}

}  // namespace

void RegisterLstm(Napi::Env env, Napi::Object exports) {
  exports.Set("lstmForward", Napi::Function::New(env, JsLstmForward));
  exports.Set("lstmBackward", Napi::Function::New(env, JsLstmBackward));
}

}  // namespace parsimony
