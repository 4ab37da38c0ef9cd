// Fused whole-sequence GRU (PyTorch / Keras reset_after form, gate order r, z, n in blocks of H along 3H),
// forward and backward each in one call. Batch rows are independent through time, so each thread owns a slice of
// the batch (rnn_common.h: SequenceSlices) and does all of that slice's work with no synchronisation: one GEMM for
// the input projection of all its steps, then the recurrence (one small GEMM per step, then the fused gate math);
// backward, the BPTT the same way, then one GEMM each for the slice's dU, dW and dx over all its steps. Only the
// slices' dU, dW partial sums are added at the end. With enough padding the time-batched GEMMs run per sequence
// over its real steps (PerSequenceGemms).
//
// Per step t and row b (row vectors; m = gateMask, bh = recurrentBias, hm = hiddenMask):
//   s^k = x~ W^k + h U^k (k = r, z)      r = act(s^r m^r + b^r + bh^r),  z = act(s^z m^z + b^z + bh^z)
//   q   = h U^n + bh^n                   s^n = x~ W^n + r q,  n = tanh(s^n m^n + b^n)
//   h'  = ((1 - z) n + z h) hm
// A training forward keeps hs [B,T,H] (every step's h), gates [B,T,3H] (r, z, n), q [B,T,H] and, with a gate
// mask, the pre-mask sums s [B,T,3H]. The backward overwrites gates and q (saved tensors are back-propagated once).
#include <algorithm>
#include <cstdint>
#include <cstring>
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

struct Sigmoid {
  static float Apply(float a) { return FastSigmoid(a); }
  static float GradFromValue(float y) { return y * (1.f - y); }
};

// clip(0.2 a + 0.5, 0, 1); its slope is 0.2 strictly inside the ramp, which the output alone tells.
struct HardSigmoid {
  static float Apply(float a) {
    const float y = 0.2f * a + 0.5f;
    return y < 0.f ? 0.f : (y > 1.f ? 1.f : y);
  }
  static float GradFromValue(float y) { return y > 0.f && y < 1.f ? 0.2f : 0.f; }
};

thread_local std::vector<float> tlXw, tlH, tlHu, tlDh, tlBiasRows, tlWeightGrads;

struct Dims {
  int64_t B, T, D, H;
  int64_t G() const { return 3 * H; }
  // GEMM flops per (row, step): input projection and recurrent product (SequenceSlices weighs the work by it)
  int64_t FlopsPerRowStep() const { return 2 * G() * (D + H); }
};

// With lengths, the time-batched GEMMs (input projection, dW, dx, dU) can run per sequence over its real steps
// only, skipping the padded rows. The GEMMs get smaller and each re-reads the dW, dU accumulators, so it pays when
// a tenth of the rows or more are padding, sequences keep 16 real steps or more on average, and dW, dU
// ((D + H) 3H floats) stay L2-sized. (Measured: 20% faster on B=128 T=200 D=300 H=128 at 60% real rows; a loss
// with T=35 or H=1000.)
bool PerSequenceGemms(const StepWindows& steps, const Dims& d) {
  int64_t real = 0;
  for (int64_t b = 0; b < d.B; ++b) real += steps.End(b) - steps.First(b);
  const bool paddingPays = real * 10 <= d.B * d.T * 9 && real >= 16 * d.B;
  return paddingPays && (d.D + d.H) * d.G() <= (int64_t(1) << 18);
}

View<float> F32Prop(const Napi::Object& o, const char* name) { return F32(o.Get(name), name); }
View<float> F32OptProp(const Napi::Object& o, const char* name) { return F32Opt(o.Get(name), name); }

void RequireSize(const Napi::Env& env, const View<float>& v, int64_t n, const char* fn, const char* name) {
  Require(env, v.length == size_t(n),
          std::string(fn) + ": " + name + " has " + std::to_string(v.length) + " elements, expected " + std::to_string(n));
}

void RequireOptSize(const Napi::Env& env, const View<float>& v, int64_t n, const char* fn, const char* name) {
  if (v.data) RequireSize(env, v, n, fn, name);
}

Dims ReadDims(const Napi::Env& env, const Napi::Object& o, const char* fn) {
  const Dims d{Int(o.Get("batch"), "batch"), Int(o.Get("steps"), "steps"), Int(o.Get("inputSize"), "inputSize"),
               Int(o.Get("hiddenSize"), "hiddenSize")};
  Require(env, d.B >= 0 && d.T >= 0 && d.D >= 0 && d.H >= 0, std::string(fn) + ": negative dimension");
  return d;
}

View<int32_t> ReadLengths(const Napi::Env& env, const Napi::Object& o, const Dims& d, const char* fn) {
  const Napi::Value v = o.Get("lengths");
  if (v.IsNull() || v.IsUndefined()) return {};
  auto l = I32(v, "lengths");
  Require(env, l.length == size_t(d.B), std::string(fn) + ": lengths must have batch elements");
  return l;
}

// ---------------------------------------------------------------------------------------------------------------
// Forward

struct ForwardArgs {
  Dims d;
  const StepWindows* steps;
  bool perSequence;                           // see PerSequenceGemms
  const float *x, *W, *im;                    // im may be null
  const float *U, *bias, *bh, *h0, *hm, *gm;  // bh, h0, hm, gm may be null
  float* xw;     // [B,T,3H]: x~W on entry; r, z, n after each real step when training
  float* hs;     // [B,T,H] every step's h, or null (inference without returnSequences)
  float* hLast;  // [B,H]
  float *q, *pre;  // training only; pre only with a gate mask
  float *h, *hu;   // scratch: running state [B,H], h U of one step [B,3H]
  const float *ones, *zeros;
};

// One real (row, step): g holds x~W on entry (and r, z, n on exit when kSave); h is updated in place.
template <typename Act, bool kSave, bool kPre>
void CellForward(int64_t H, float* g, const float* __restrict hu, const float* __restrict bias,
                 const float* __restrict bh, const float* __restrict m, const float* __restrict hm,
                 float* __restrict h, float* __restrict q, float* __restrict pre) {
  for (int64_t j = 0; j < H; ++j) {
    const float sr = g[j] + hu[j], sz = g[H + j] + hu[H + j];
    const float r = Act::Apply(sr * m[j] + bias[j] + bh[j]);
    const float z = Act::Apply(sz * m[H + j] + bias[H + j] + bh[H + j]);
    const float qj = hu[2 * H + j] + bh[2 * H + j];
    const float sn = g[2 * H + j] + r * qj;
    const float n = FastTanh(sn * m[2 * H + j] + bias[2 * H + j]);
    const float hv = ((1.f - z) * n + z * h[j]) * hm[j];
    if (kSave) {
      q[j] = qj;
      g[j] = r;
      g[H + j] = z;
      g[2 * H + j] = n;
    }
    if (kPre) {
      pre[j] = sr;
      pre[H + j] = sz;
      pre[2 * H + j] = sn;
    }
    h[j] = hv;
  }
}

template <typename Act, bool kSave, bool kPre>
void ForwardSlice(const ForwardArgs& a, int64_t b0, int64_t b1) {
  const int64_t T = a.d.T, D = a.d.D, H = a.d.H, G = a.d.G();
  if (b1 <= b0) return;
  if (!a.perSequence) {
    InputProjection(a.x + b0 * T * D, a.im ? a.im + b0 * D : nullptr, a.W, b1 - b0, T, D, G, a.xw + b0 * T * G);
  } else {  // padded rows of xw are never read
    for (int64_t b = b0; b < b1; ++b) {
      const int64_t first = a.steps->First(b), len = a.steps->End(b) - first, row = b * T + first;
      if (len > 0) InputProjection(a.x + row * D, a.im ? a.im + b * D : nullptr, a.W, 1, len, D, G, a.xw + row * G);
    }
  }
  float* h = a.h + b0 * H;
  if (a.h0) std::memcpy(h, a.h0 + b0 * H, sizeof(float) * size_t((b1 - b0) * H));
  else std::fill(h, h + (b1 - b0) * H, 0.f);
  for (int64_t t = 0; t < T; ++t) {
    int64_t lo, hi;
    a.steps->RealRows(b0, b1, t, &lo, &hi);
    if (hi > lo) Sgemm(false, false, hi - lo, G, H, 1.f, a.h + lo * H, H, a.U, G, 0.f, a.hu + lo * G, G);
    for (int64_t b = b0; b < b1; ++b) {
      float* hb = a.h + b * H;
      const int64_t row = b * T + t;
      if (a.steps->Valid(b, t)) {
        CellForward<Act, kSave, kPre>(H, a.xw + row * G, a.hu + b * G, a.bias, a.bh ? a.bh : a.zeros,
                                      a.gm ? a.gm + b * G : a.ones, a.hm ? a.hm + b * H : a.ones, hb,
                                      kSave ? a.q + row * H : nullptr, kPre ? a.pre + row * G : nullptr);
      }
      if (a.hs) std::memcpy(a.hs + row * H, hb, sizeof(float) * size_t(H));  // a padded step repeats the carried h
    }
  }
  std::memcpy(a.hLast + b0 * H, h, sizeof(float) * size_t((b1 - b0) * H));
}

template <typename Act>
void RunForward(const ForwardArgs& a) {
  const bool save = a.q != nullptr, pre = a.pre != nullptr;
  ForEachSequenceSlice(a.d.B, SequenceSlices(a.d.B, a.d.T, a.d.FlopsPerRowStep()), [&](int64_t b0, int64_t b1) {
    if (save && pre) ForwardSlice<Act, true, true>(a, b0, b1);
    else if (save) ForwardSlice<Act, true, false>(a, b0, b1);
    else ForwardSlice<Act, false, false>(a, b0, b1);
  });
}

// gruForward({x, kernel, recurrentKernel, bias, recurrentBias?, h0?, inputMask?, hiddenMask?, gateMask?, lengths?,
//             batch, steps, inputSize, hiddenSize, hardSigmoid, leftPadding, hLast, hs?, gates?, q?, preMask?})
// hs [B,T,H] receives every step's h (needed for training and for returnSequences). gates [B,T,3H] and q [B,T,H]
// (plus preMask [B,T,3H] with a gate mask, and hs) make it a training call that keeps what gruBackward needs.
Napi::Value JsGruForward(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  Require(env, info.Length() == 1 && info[0].IsObject(), "gruForward: expected one argument object");
  const auto o = info[0].As<Napi::Object>();
  const char* fn = "gruForward";
  const Dims d = ReadDims(env, o, fn);
  const int64_t B = d.B, T = d.T, D = d.D, H = d.H, G = d.G();
  auto x = F32Prop(o, "x"), W = F32Prop(o, "kernel"), U = F32Prop(o, "recurrentKernel"), bias = F32Prop(o, "bias");
  auto bh = F32OptProp(o, "recurrentBias"), h0 = F32OptProp(o, "h0"), im = F32OptProp(o, "inputMask"),
       hm = F32OptProp(o, "hiddenMask"), gm = F32OptProp(o, "gateMask");
  auto hLast = F32Prop(o, "hLast"), hs = F32OptProp(o, "hs"), gates = F32OptProp(o, "gates"),
       q = F32OptProp(o, "q"), pre = F32OptProp(o, "preMask");
  RequireSize(env, x, B * T * D, fn, "x");
  RequireSize(env, W, D * G, fn, "kernel");
  RequireSize(env, U, H * G, fn, "recurrentKernel");
  RequireSize(env, bias, G, fn, "bias");
  RequireOptSize(env, bh, G, fn, "recurrentBias");
  RequireOptSize(env, h0, B * H, fn, "h0");
  RequireOptSize(env, im, B * D, fn, "inputMask");
  RequireOptSize(env, hm, B * H, fn, "hiddenMask");
  RequireOptSize(env, gm, B * G, fn, "gateMask");
  RequireSize(env, hLast, B * H, fn, "hLast");
  RequireOptSize(env, hs, B * T * H, fn, "hs");
  const bool train = gates.data != nullptr;
  Require(env, train == (q.data != nullptr) && (!train || hs.data), "gruForward: training needs hs, gates and q");
  Require(env, (train && gm.data) == (pre.data != nullptr),
          "gruForward: preMask must be given exactly when training with a gate mask");
  RequireOptSize(env, gates, B * T * G, fn, "gates");
  RequireOptSize(env, q, B * T * H, fn, "q");
  RequireOptSize(env, pre, B * T * G, fn, "preMask");
  const StepWindows steps(env, ReadLengths(env, o, d, fn), B, T, Bool(o.Get("leftPadding")));

  ForwardArgs a{};
  a.d = d;
  a.steps = &steps;
  a.perSequence = PerSequenceGemms(steps, d);
  a.x = x.data; a.W = W.data; a.im = im.data;
  a.U = U.data; a.bias = bias.data; a.bh = bh.data; a.h0 = h0.data; a.hm = hm.data; a.gm = gm.data;
  // training: x~W goes straight into `gates`, which each real step then overwrites with r, z, n
  a.xw = train ? gates.data : GrowOnlyScratch(tlXw, B * T * G);
  a.hs = hs.data;
  a.hLast = hLast.data;
  a.q = q.data; a.pre = pre.data;
  a.h = GrowOnlyScratch(tlH, B * H);
  a.hu = GrowOnlyScratch(tlHu, B * G);
  const std::vector<float> ones(size_t(G), 1.f), zeros(size_t(G), 0.f);
  a.ones = ones.data();
  a.zeros = zeros.data();
  const FlushDenormalsScope flush;
  if (Bool(o.Get("hardSigmoid"))) RunForward<HardSigmoid>(a);
  else RunForward<Sigmoid>(a);
  return env.Undefined();
}

// ---------------------------------------------------------------------------------------------------------------
// Backward

struct BackwardArgs {
  Dims d;
  const StepWindows* steps;
  bool perSequence;     // see PerSequenceGemms
  const float* dOut;    // [B,T,H] gradient of every step's output, or null
  const float* dhLast;  // [B,H] gradient of the final h
  const float *x, *W, *im;                   // im may be null
  const float *U, *h0, *hm, *gm, *hs, *pre;  // h0, hm, gm, pre may be null
  // in: r, z, n / q; out: gradient w.r.t. h U (3H) / w.r.t. x~W^n (H)
  float *gates, *q;
  float *dx, *dh0, *dIm, *dHm, *dGm;  // dIm, dHm, dGm only with their masks
  // slice k's dU [H,3H] at weightGrads + k (H + D) 3H, its dW [D,3H] right after
  float* weightGrads;
  float *dh, *biasRows;  // scratch: running dL/dh [B,H]; per-row sums of [d b^r, d b^z, d b^n, d bh^n] [B,4H]
  const float *ones, *zeros;
};

// One real (row, step). dh holds dL/dh_t on entry and the part of dL/dh_{t-1} that bypasses U on exit (the step's
// GEMM adds the rest). g: r, z, n in, d(h U) out; q: q in, d(x~W^n) out.
template <typename Act, bool kHm, bool kGm>
void CellBackward(int64_t H, float* __restrict dh, const float* __restrict hp, float* __restrict g,
                  float* __restrict q, const float* __restrict m, const float* __restrict hm,
                  const float* __restrict pre, float* __restrict biasRow, float* __restrict dHm,
                  float* __restrict dGm) {
  for (int64_t j = 0; j < H; ++j) {
    const float r = g[j], z = g[H + j], n = g[2 * H + j], qj = q[j];
    float dv = dh[j];
    if (kHm) {
      dHm[j] += dv * ((1.f - z) * n + z * hp[j]);
      dv *= hm[j];
    }
    const float daz = dv * (hp[j] - n) * Act::GradFromValue(z);
    const float dan = dv * (1.f - z) * (1.f - n * n);
    const float dsn = dan * m[2 * H + j];
    const float dar = dsn * qj * Act::GradFromValue(r);
    if (kGm) {
      dGm[j] += dar * pre[j];
      dGm[H + j] += daz * pre[H + j];
      dGm[2 * H + j] += dan * pre[2 * H + j];
    }
    biasRow[j] += dar;
    biasRow[H + j] += daz;
    biasRow[2 * H + j] += dan;
    biasRow[3 * H + j] += dsn * r;
    g[j] = dar * m[j];
    g[H + j] = daz * m[H + j];
    g[2 * H + j] = dsn * r;
    q[j] = dsn;
    dh[j] = dv * z;
  }
}

template <typename Act, bool kHm, bool kGm>
void BackwardSlice(const BackwardArgs& a, int64_t b0, int64_t b1) {
  const int64_t T = a.d.T, H = a.d.H, G = a.d.G();
  if (b1 <= b0) return;
  float* dh = a.dh + b0 * H;
  std::memcpy(dh, a.dhLast + b0 * H, sizeof(float) * size_t((b1 - b0) * H));
  std::fill(a.biasRows + b0 * 4 * H, a.biasRows + b1 * 4 * H, 0.f);
  if (kHm) std::fill(a.dHm + b0 * H, a.dHm + b1 * H, 0.f);
  if (kGm) std::fill(a.dGm + b0 * G, a.dGm + b1 * G, 0.f);
  for (int64_t t = T - 1; t >= 0; --t) {
    for (int64_t b = b0; b < b1; ++b) {
      const int64_t row = b * T + t;
      float* dhb = a.dh + b * H;
      if (a.dOut) {  // a padded step's output is the carried h, so its gradient joins dh either way
        const float* go = a.dOut + row * H;
        for (int64_t j = 0; j < H; ++j) dhb[j] += go[j];
      }
      float* g = a.gates + row * G;
      float* q = a.q + row * H;
      if (!a.steps->Valid(b, t)) {  // no parameter gradient; dh passes to step t - 1 unchanged
        std::fill(g, g + G, 0.f);
        std::fill(q, q + H, 0.f);
        continue;
      }
      const float* hp = t > 0 ? a.hs + (row - 1) * H : (a.h0 ? a.h0 + b * H : a.zeros);
      CellBackward<Act, kHm, kGm>(H, dhb, hp, g, q, a.gm ? a.gm + b * G : a.ones, kHm ? a.hm + b * H : nullptr,
                                  kGm ? a.pre + row * G : nullptr, a.biasRows + b * 4 * H,
                                  kHm ? a.dHm + b * H : nullptr, kGm ? a.dGm + b * G : nullptr);
    }
    int64_t lo, hi;
    a.steps->RealRows(b0, b1, t, &lo, &hi);
    if (hi > lo) {
      Sgemm(false, true, hi - lo, H, G, 1.f, a.gates + (lo * T + t) * G, T * G, a.U, G, 1.f, a.dh + lo * H, H);
    }
  }
  std::memcpy(a.dh0 + b0 * H, dh, sizeof(float) * size_t((b1 - b0) * H));
}

// The weight gradients of one slice's rows over all its steps: gates holds d(h U) for every (row, step), so one
// GEMM gives dU. The input side differs only in the n block (d(x~W^n) = dsn, kept in q, where d(h U^n) = dsn r),
// so q is moved into that block before dW and dx.
void SliceWeightGrads(const BackwardArgs& a, int64_t b0, int64_t b1, float* dU, float* dW) {
  const int64_t T = a.d.T, D = a.d.D, H = a.d.H, G = a.d.G();
  auto inputSide = [&](int64_t row, int64_t rows) {
    for (int64_t r = row; r < row + rows; ++r)
      std::memcpy(a.gates + r * G + 2 * H, a.q + r * H, sizeof(float) * size_t(H));
  };
  if (!a.perSequence) {
    const int64_t n = b1 - b0;
    RecurrentWeightGrad(a.hs + b0 * T * H, a.h0 ? a.h0 + b0 * H : nullptr, a.gates + b0 * T * G, n, T, H, G, dU);
    inputSide(b0 * T, n * T);
    InputProjectionBackward(a.x + b0 * T * D, a.im ? a.im + b0 * D : nullptr, a.W, a.gates + b0 * T * G, n, T, D, G,
                            a.dx + b0 * T * D, dW, a.dIm ? a.dIm + b0 * D : nullptr);
    return;
  }
  // Each sequence's real steps [first, end): the step before `first` is h0 (left padding carries h0 up to it).
  std::fill(dU, dU + H * G, 0.f);
  std::fill(dW, dW + D * G, 0.f);
  for (int64_t b = b0; b < b1; ++b) {
    const int64_t first = a.steps->First(b), end = a.steps->End(b), row = b * T + first, len = end - first;
    std::fill(a.dx + b * T * D, a.dx + row * D, 0.f);
    std::fill(a.dx + (b * T + end) * D, a.dx + (b + 1) * T * D, 0.f);
    if (len == 0) {
      if (a.dIm) std::fill(a.dIm + b * D, a.dIm + (b + 1) * D, 0.f);
      continue;
    }
    RecurrentWeightGrad(a.hs + row * H, a.h0 ? a.h0 + b * H : nullptr, a.gates + row * G, 1, len, H, G, dU, true);
    inputSide(row, len);
    InputProjectionBackward(a.x + row * D, a.im ? a.im + b * D : nullptr, a.W, a.gates + row * G, 1, len, D, G,
                            a.dx + row * D, dW, a.dIm ? a.dIm + b * D : nullptr, true);
  }
}

template <typename Act>
void RunBackward(const BackwardArgs& a, int slices) {
  ForEachSequenceSlice(a.d.B, slices, [&](int k, int64_t b0, int64_t b1) {
    if (a.hm && a.gm) BackwardSlice<Act, true, true>(a, b0, b1);
    else if (a.hm) BackwardSlice<Act, true, false>(a, b0, b1);
    else if (a.gm) BackwardSlice<Act, false, true>(a, b0, b1);
    else BackwardSlice<Act, false, false>(a, b0, b1);
    float* dU = a.weightGrads + k * (a.d.H + a.d.D) * a.d.G();
    SliceWeightGrads(a, b0, b1, dU, dU + a.d.H * a.d.G());
  });
}

// gruBackward({dOutput?, dhLast, x, kernel, recurrentKernel, h0?, inputMask?, hiddenMask?, gateMask?, lengths?, batch,
//              steps, inputSize, hiddenSize, hardSigmoid, leftPadding, hs, gates, q, preMask?,
//              dx, dKernel, dRecurrentKernel, dBias, dRecurrentBias, dh0, dInputMask?, dHiddenMask?, dGateMask?})
// dOutput [B,T,H] is the gradient w.r.t. every step's h (when the sequence was returned), dhLast [B,H] the one
// w.r.t. the final h. Each mask given needs its gradient output. gates and q are overwritten.
Napi::Value JsGruBackward(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  Require(env, info.Length() == 1 && info[0].IsObject(), "gruBackward: expected one argument object");
  const auto o = info[0].As<Napi::Object>();
  const char* fn = "gruBackward";
  const Dims d = ReadDims(env, o, fn);
  const int64_t B = d.B, T = d.T, D = d.D, H = d.H, G = d.G();
  auto dOut = F32OptProp(o, "dOutput"), dhLast = F32Prop(o, "dhLast");
  auto x = F32Prop(o, "x"), W = F32Prop(o, "kernel"), U = F32Prop(o, "recurrentKernel");
  auto h0 = F32OptProp(o, "h0"), im = F32OptProp(o, "inputMask"), hm = F32OptProp(o, "hiddenMask"),
       gm = F32OptProp(o, "gateMask");
  auto hs = F32Prop(o, "hs"), gates = F32Prop(o, "gates"), q = F32Prop(o, "q"), pre = F32OptProp(o, "preMask");
  auto dx = F32Prop(o, "dx"), dW = F32Prop(o, "dKernel"), dU = F32Prop(o, "dRecurrentKernel"),
       dBias = F32Prop(o, "dBias"), dBh = F32Prop(o, "dRecurrentBias"), dh0 = F32Prop(o, "dh0");
  auto dIm = F32OptProp(o, "dInputMask"), dHm = F32OptProp(o, "dHiddenMask"), dGm = F32OptProp(o, "dGateMask");
  RequireOptSize(env, dOut, B * T * H, fn, "dOutput");
  RequireSize(env, dhLast, B * H, fn, "dhLast");
  RequireSize(env, x, B * T * D, fn, "x");
  RequireSize(env, W, D * G, fn, "kernel");
  RequireSize(env, U, H * G, fn, "recurrentKernel");
  RequireOptSize(env, h0, B * H, fn, "h0");
  RequireOptSize(env, im, B * D, fn, "inputMask");
  RequireOptSize(env, hm, B * H, fn, "hiddenMask");
  RequireOptSize(env, gm, B * G, fn, "gateMask");
  RequireSize(env, hs, B * T * H, fn, "hs");
  RequireSize(env, gates, B * T * G, fn, "gates");
  RequireSize(env, q, B * T * H, fn, "q");
  Require(env, !gm.data == !pre.data, "gruBackward: preMask must be given exactly when gateMask is");
  RequireOptSize(env, pre, B * T * G, fn, "preMask");
  RequireSize(env, dx, B * T * D, fn, "dx");
  RequireSize(env, dW, D * G, fn, "dKernel");
  RequireSize(env, dU, H * G, fn, "dRecurrentKernel");
  RequireSize(env, dBias, G, fn, "dBias");
  RequireSize(env, dBh, G, fn, "dRecurrentBias");
  RequireSize(env, dh0, B * H, fn, "dh0");
  Require(env, !im.data == !dIm.data && !hm.data == !dHm.data && !gm.data == !dGm.data,
          "gruBackward: a mask's gradient output must be given exactly when the mask is");
  RequireOptSize(env, dIm, B * D, fn, "dInputMask");
  RequireOptSize(env, dHm, B * H, fn, "dHiddenMask");
  RequireOptSize(env, dGm, B * G, fn, "dGateMask");
  const StepWindows steps(env, ReadLengths(env, o, d, fn), B, T, Bool(o.Get("leftPadding")));

  BackwardArgs a{};
  a.d = d;
  a.steps = &steps;
  a.perSequence = PerSequenceGemms(steps, d);
  a.dOut = dOut.data;
  a.dhLast = dhLast.data;
  a.x = x.data; a.W = W.data; a.im = im.data;
  a.U = U.data; a.h0 = h0.data; a.hm = hm.data; a.gm = gm.data; a.hs = hs.data; a.pre = pre.data;
  a.gates = gates.data; a.q = q.data;
  a.dx = dx.data; a.dh0 = dh0.data; a.dIm = dIm.data; a.dHm = dHm.data; a.dGm = dGm.data;
  a.dh = GrowOnlyScratch(tlDh, B * H);
  a.biasRows = GrowOnlyScratch(tlBiasRows, B * 4 * H);
  const std::vector<float> ones(size_t(G), 1.f), zeros(size_t(H), 0.f);
  a.ones = ones.data();
  a.zeros = zeros.data();
  // each slice writes its own dU, dW (summed below in a fixed order)
  const int slices = SequenceSlices(B, T, d.FlopsPerRowStep());
  const int64_t weightSize = (H + D) * G;
  float* partial = GrowOnlyScratch(tlWeightGrads, slices * weightSize);
  a.weightGrads = partial;
  {
    const FlushDenormalsScope flush;  // decaying gradients would otherwise fill the GEMMs with subnormals
    if (Bool(o.Get("hardSigmoid"))) RunBackward<HardSigmoid>(a, slices);
    else RunBackward<Sigmoid>(a, slices);
  }
  for (int64_t i = 0; i < H * G; ++i) {
    float sum = 0.f;
    for (int k = 0; k < slices; ++k) sum += partial[k * weightSize + i];
    dU.data[i] = sum;
  }
  for (int64_t i = 0; i < D * G; ++i) {
    float sum = 0.f;
    for (int k = 0; k < slices; ++k) sum += partial[k * weightSize + H * G + i];
    dW.data[i] = sum;
  }
  // bias sums in a fixed order over rows, so they do not depend on the thread count
  std::fill(dBias.data, dBias.data + G, 0.f);
  std::fill(dBh.data, dBh.data + G, 0.f);
  for (int64_t b = 0; b < B; ++b) {
    const float* r = a.biasRows + b * 4 * H;
    for (int64_t j = 0; j < G; ++j) dBias.data[j] += r[j];
    for (int64_t j = 0; j < H; ++j) dBh.data[2 * H + j] += r[3 * H + j];
  }
  std::copy(dBias.data, dBias.data + 2 * H, dBh.data);  // bh^r and bh^z enter exactly like b^r and b^z
  return env.Undefined();
}

}  // namespace

void RegisterGru(Napi::Env env, Napi::Object exports) {
  exports.Set("gruForward", Napi::Function::New(env, JsGruForward));
  exports.Set("gruBackward", Napi::Function::New(env, JsGruBackward));
}

}  // namespace parsimony
