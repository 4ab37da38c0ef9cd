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

// The one argument of an entry point (`fn`): an object with the arguments by name.
Napi::Object ArgumentObject(const Napi::CallbackInfo& info, const char* fn) {
  Require(info.Env(), info.Length() == 1 && info[0].IsObject(), std::string(fn) + ": expected one argument object");
  return info[0].As<Napi::Object>();
}

// What the forward and the backward pass both read (optional inputs null when absent).
struct PassInputs {
  Dims d;
  const StepWindows* steps;
  bool perSequence;               // see PerSequenceGemms
  const float *x, *W, *im;        // im may be null
  const float *U, *h0, *hm, *gm;  // h0, hm, gm may be null
  const float *ones, *zeros;      // [3H] each: stand-ins for absent masks, states and biases
};

// An entry point's argument object (`fn` names the entry point in errors) with what both passes take, read and
// checked: the shapes, x, the weights, h0 and the masks (empty views when absent), the real steps and the gate
// activation.
struct CallArgs {
  CallArgs(const Napi::CallbackInfo& info, const char* fn)
      : env(info.Env()), o(ArgumentObject(info, fn)), fn(fn), d(ReadDims(env, o, fn)),
        x(Array("x", d.B * d.T * d.D)), W(Array("kernel", d.D * d.G())), U(Array("recurrentKernel", d.H * d.G())),
        h0(OptArray("h0", d.B * d.H)), im(OptArray("inputMask", d.B * d.D)), hm(OptArray("hiddenMask", d.B * d.H)),
        gm(OptArray("gateMask", d.B * d.G())),
        steps(env, ReadLengths(env, o, d, fn), d.B, d.T, Bool(o.Get("leftPadding"))),
        hard(Bool(o.Get("hardSigmoid"))), ones(size_t(d.G()), 1.f), zeros(size_t(d.G()), 0.f) {}
  CallArgs(const CallArgs&) = delete;
  CallArgs& operator=(const CallArgs&) = delete;

  // A Float32Array property of n elements; the same or an empty view when null or undefined.
  View<float> Array(const char* name, int64_t n) const { return SizedF32(env, o.Get(name), n, fn, name); }
  View<float> OptArray(const char* name, int64_t n) const { return SizedF32Opt(env, o.Get(name), n, fn, name); }
  // A RangeError "<fn>: <what>" unless ok.
  void Check(bool ok, const char* what) const { Require(env, ok, std::string(fn) + ": " + what); }

  // Points a pass at the inputs (this object must outlive the pass).
  void SetInputs(PassInputs& a) const {
    a = {d, &steps, PerSequenceGemms(steps, d), x.data, W.data, im.data, U.data, h0.data, hm.data, gm.data,
         ones.data(), zeros.data()};
  }

  // in the order they are read
  const Napi::Env env;
  const Napi::Object o;
  const char* const fn;
  const Dims d;
  const View<float> x, W, U, h0, im, hm, gm;
  const StepWindows steps;
  const bool hard;
  const std::vector<float> ones, zeros;  // [3H] each
};

// out[i] = the sum over slices k of partial[k * stride + i] for i < n, in slice order (so it does not depend on how
// the slices ran).
void SumSlices(const float* partial, int slices, int64_t stride, int64_t n, float* out) {
  for (int64_t i = 0; i < n; ++i) {
    float sum = 0.f;
    for (int k = 0; k < slices; ++k) sum += partial[k * stride + i];
    out[i] = sum;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Forward

struct ForwardArgs : PassInputs {
  const float *bias, *bh;  // bh may be null
  float* xw;     // [B,T,3H]: x~W on entry; r, z, n after each real step when training
  float* hs;     // [B,T,H] every step's h, or null (inference without returnSequences)
  float* hLast;  // [B,H]
  float *q, *pre;  // training only; pre only with a gate mask
  float *h, *hu;   // scratch: running state [B,H], h U of one step [B,3H]
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
  const CallArgs args(info, "gruForward");
  const int64_t B = args.d.B, T = args.d.T, H = args.d.H, G = args.d.G();
  auto bias = args.Array("bias", G), bh = args.OptArray("recurrentBias", G), hLast = args.Array("hLast", B * H);
  auto hs = args.OptArray("hs", B * T * H), q = args.OptArray("q", B * T * H);
  auto gates = args.OptArray("gates", B * T * G), pre = args.OptArray("preMask", B * T * G);
  const bool train = gates.data != nullptr;
  args.Check(train == (q.data != nullptr) && (!train || hs.data), "training needs hs, gates and q");
  args.Check((train && args.gm.data) == (pre.data != nullptr),
             "preMask must be given exactly when training with a gate mask");

  ForwardArgs a{};
  args.SetInputs(a);
  a.bias = bias.data;
  a.bh = bh.data;
  // training: x~W goes straight into `gates`, which each real step then overwrites with r, z, n
  a.xw = train ? gates.data : GrowOnlyScratch(tlXw, B * T * G);
  a.hs = hs.data;
  a.hLast = hLast.data;
  a.q = q.data; a.pre = pre.data;
  a.h = GrowOnlyScratch(tlH, B * H);
  a.hu = GrowOnlyScratch(tlHu, B * G);
  const FlushDenormalsScope flush;
  if (args.hard) RunForward<HardSigmoidGate>(a);
  else RunForward<SigmoidGate>(a);
  return args.env.Undefined();
}

// ---------------------------------------------------------------------------------------------------------------
// Backward

struct BackwardArgs : PassInputs {
  const float* dOut;    // [B,T,H] gradient of every step's output, or null
  const float* dhLast;  // [B,H] gradient of the final h
  const float *hs, *pre;  // pre may be null
  // in: r, z, n / q; out: gradient w.r.t. h U (3H) / w.r.t. x~W^n (H)
  float *gates, *q;
  float *dx, *dh0, *dIm, *dHm, *dGm;  // dIm, dHm, dGm only with their masks
  // slice k's dU [H,3H] at weightGrads + k (H + D) 3H, its dW [D,3H] right after
  float* weightGrads;
  float *dh, *biasRows;  // scratch: running dL/dh [B,H]; per-row sums of [d b^r, d b^z, d b^n, d bh^n] [B,4H]
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
  const CallArgs args(info, "gruBackward");
  const int64_t B = args.d.B, T = args.d.T, D = args.d.D, H = args.d.H, G = args.d.G();
  auto dOut = args.OptArray("dOutput", B * T * H), dhLast = args.Array("dhLast", B * H);
  auto hs = args.Array("hs", B * T * H), gates = args.Array("gates", B * T * G), q = args.Array("q", B * T * H);
  auto pre = args.OptArray("preMask", B * T * G);
  args.Check(!args.gm.data == !pre.data, "preMask must be given exactly when gateMask is");
  auto dx = args.Array("dx", B * T * D), dW = args.Array("dKernel", D * G), dU = args.Array("dRecurrentKernel", H * G);
  auto dBias = args.Array("dBias", G), dBh = args.Array("dRecurrentBias", G), dh0 = args.Array("dh0", B * H);
  auto dIm = args.OptArray("dInputMask", B * D), dHm = args.OptArray("dHiddenMask", B * H),
       dGm = args.OptArray("dGateMask", B * G);
  args.Check(!args.im.data == !dIm.data && !args.hm.data == !dHm.data && !args.gm.data == !dGm.data,
             "a mask's gradient output must be given exactly when the mask is");

  BackwardArgs a{};
  args.SetInputs(a);
  a.dOut = dOut.data;
  a.dhLast = dhLast.data;
  a.hs = hs.data;
  a.pre = pre.data;
  a.gates = gates.data; a.q = q.data;
  a.dx = dx.data; a.dh0 = dh0.data; a.dIm = dIm.data; a.dHm = dHm.data; a.dGm = dGm.data;
  a.dh = GrowOnlyScratch(tlDh, B * H);
  a.biasRows = GrowOnlyScratch(tlBiasRows, B * 4 * H);
  // each slice writes its own dU, dW (summed below in a fixed order)
  const int slices = SequenceSlices(B, T, args.d.FlopsPerRowStep());
  const int64_t weightSize = (H + D) * G;
  float* partial = GrowOnlyScratch(tlWeightGrads, slices * weightSize);
  a.weightGrads = partial;
  {
    const FlushDenormalsScope flush;  // decaying gradients would otherwise fill the GEMMs with subnormals
    if (args.hard) RunBackward<HardSigmoidGate>(a, slices);
    else RunBackward<SigmoidGate>(a, slices);
  }
  SumSlices(partial, slices, weightSize, H * G, dU.data);
  SumSlices(partial + H * G, slices, weightSize, D * G, dW.data);
  // bias sums in a fixed order over rows, so they do not depend on the thread count
  std::fill(dBias.data, dBias.data + G, 0.f);
  std::fill(dBh.data, dBh.data + G, 0.f);
  for (int64_t b = 0; b < B; ++b) {
    const float* r = a.biasRows + b * 4 * H;
    for (int64_t j = 0; j < G; ++j) dBias.data[j] += r[j];
    for (int64_t j = 0; j < H; ++j) dBh.data[2 * H + j] += r[3 * H + j];
  }
  std::copy(dBias.data, dBias.data + 2 * H, dBh.data);  // bh^r and bh^z enter exactly like b^r and b^z
  return args.env.Undefined();
}

}  // namespace

void RegisterGru(Napi::Env env, Napi::Object exports) {
  exports.Set("gruForward", Napi::Function::New(env, JsGruForward));
  exports.Set("gruBackward", Napi::Function::New(env, JsGruBackward));
}

}  // namespace parsimony
