// Elementwise float32 kernels: unary maps, broadcasting binary ops, softmax and log-softmax (+ its gradient).
// Semantics follow the tfjs cpu kernels (which compute in double and round): exact ops (+ - * / max, neg, abs,
// square, sqrt, relu) match bit for bit; exp, sigmoid, tanh and softplus use a vectorisable
// exp (fast_math.h, <= 2.5 ulp).
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "common.h"
#include "fast_math.h"
#include "registry.h"
#include "row_reduce.h"

namespace parsimony {

namespace {

// tfjs cpu Softplus: exp(x) below log(eps) + 2, x above -(log(eps) + 2), log(1 + exp(x)) between.
inline float Softplus(float x) {
  const double kThreshold = -13.942385152878742;  // Math.log(2^-23) + 2, compared in double like tfjs
  if (double(x) < kThreshold) return FastExp(x);
  if (double(x) > -kThreshold) return x;
  return std::log1p(FastExp(x));
}

// Must match UNARY_OPS in src/engine/kernels/unary.ts.
enum UnaryOp : int {
  kNeg = 0, kSigmoid, kTanh, kExp, kLog, kLog1p, kSoftplus, kRelu, kAbs, kSquare, kSqrt, kUnaryCount
};

template <typename F>
void MapParallel(const float* x, float* out, int64_t n, F f) {
#pragma omp parallel for schedule(static) if (n > kParallelGrain)
  for (int64_t i = 0; i < n; ++i) out[i] = f(x[i]);
}

void Unary(int op, const float* x, float* out, int64_t n) {
  switch (op) {
    case kNeg: return MapParallel(x, out, n, [](float v) { return -v; });
    case kSigmoid: return MapParallel(x, out, n, [](float v) { return FastSigmoid(v); });
    case kTanh: return MapParallel(x, out, n, [](float v) { return FastTanh(v); });
    case kExp: return MapParallel(x, out, n, [](float v) { return FastExp(v); });
    case kLog: return MapParallel(x, out, n, [](float v) { return std::log(v); });
    case kLog1p: return MapParallel(x, out, n, [](float v) { return std::log1p(v); });
    case kSoftplus: return MapParallel(x, out, n, [](float v) { return Softplus(v); });
    case kRelu: return MapParallel(x, out, n, [](float v) { return v > 0.f || v != v ? v : 0.f; });  // NaN stays NaN
    case kAbs: return MapParallel(x, out, n, [](float v) { return std::fabs(v); });
    case kSquare: return MapParallel(x, out, n, [](float v) { return v * v; });
    case kSqrt: return MapParallel(x, out, n, [](float v) { return std::sqrt(v); });
    default: return;
  }
}

// unary(op, x, out): out may alias x.
Napi::Value JsUnary(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  const int64_t op = Int(info[0], "op");
  auto x = F32(info[1], "x");
  auto out = F32(info[2], "out");
  Require(env, op >= 0 && op < kUnaryCount, "unary: unknown op");
  Require(env, out.length == x.length, "unary: out and x differ in size");
  Unary(int(op), x.data, out.data, int64_t(x.length));
  return env.Undefined();
}

// step(x, out, alpha): tfjs Step (the gradient of relu): 1 where x > 0, NaN where x is NaN, alpha elsewhere (also
// at -0), with alpha rounded to float32 as the cpu kernel's Float32Array store does. out may alias x.
Napi::Value JsStep(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  auto x = F32(info[0], "x");
  auto out = F32(info[1], "out");
  const float alpha = float(Num(info[2], "alpha"));
  Require(env, out.length == x.length, "step: out and x differ in size");
  MapParallel(x.data, out.data, int64_t(x.length), [alpha](float v) { return v > 0.f ? 1.f : v != v ? v : alpha; });
  return env.Undefined();
}

// ---------------------------------------------------------------------------------------------------------------
// Binary ops on an output viewed as [M, N]. Each operand is, per output row, either a vector of N values (full
// [M, N] or a row [N] shared by all rows) or one value (a scalar, or a column [M] with one value per row).

// Must match BINARY_OPS in src/engine/kernels/binary.ts.
enum BinaryOp : int { kAdd = 0, kSub, kMul, kDiv, kMax, kBinaryCount };
// Must match OPERAND_LAYOUT in src/engine/kernels/binary.ts.
enum Layout : int { kFull = 0, kScalar, kRow, kColumn };

struct AddF { static float Apply(float a, float b) { return a + b; } };
struct SubF { static float Apply(float a, float b) { return a - b; } };
struct MulF { static float Apply(float a, float b) { return a * b; } };
struct DivF { static float Apply(float a, float b) { return a / b; } };
// Math.max semantics: NaN if either side is NaN.
struct MaxF { static float Apply(float a, float b) { return a > b || a != a ? a : b; } };

template <typename Op>
void BinaryRow(const float* a, int64_t aStep, const float* b, int64_t bStep, float* out, int64_t n) {
  // separate loops for the stride patterns so each one vectorises
  if (aStep && bStep) {
    for (int64_t j = 0; j < n; ++j) out[j] = Op::Apply(a[j], b[j]);
  } else if (aStep) {
    const float bv = b[0];
    for (int64_t j = 0; j < n; ++j) out[j] = Op::Apply(a[j], bv);
  } else if (bStep) {
    const float av = a[0];
    for (int64_t j = 0; j < n; ++j) out[j] = Op::Apply(av, b[j]);
  } else {
    const float v = Op::Apply(a[0], b[0]);
    for (int64_t j = 0; j < n; ++j) out[j] = v;
  }
}

struct Operand {
  const float* data;
  int layout;
  // start of row i and whether it advances along the row
  const float* RowStart(int64_t i, int64_t N) const {
    switch (layout) {
      case kFull: return data + i * N;
      case kColumn: return data + i;
      default: return data;
    }
  }
  int64_t Step() const { return layout == kFull || layout == kRow ? 1 : 0; }
};

template <typename Op>
void Binary(const Operand& a, const Operand& b, float* out, int64_t M, int64_t N) {
  // tasks are (row, chunk of the row): long rows still split across threads, short ones stay whole
  const int64_t kChunk = 1 << 13;
  const int64_t chunks = (N + kChunk - 1) / kChunk;
  const int64_t as = a.Step(), bs = b.Step();
#pragma omp parallel for schedule(static) if (M * N > kParallelGrain)
  for (int64_t task = 0; task < M * chunks; ++task) {
    const int64_t i = task / chunks, j0 = (task % chunks) * kChunk, len = std::min(kChunk, N - j0);
    BinaryRow<Op>(a.RowStart(i, N) + j0 * as, as, b.RowStart(i, N) + j0 * bs, bs, out + i * N + j0, len);
  }
}

int64_t OperandSize(int layout, int64_t M, int64_t N) {
  switch (layout) {
    case kFull: return M * N;
    case kRow: return N;
    case kColumn: return M;
    default: return 1;
  }
}

// binary(op, a, aLayout, b, bLayout, out, M, N): out may alias a full operand.
Napi::Value JsBinary(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  const int64_t op = Int(info[0], "op");
  auto a = F32(info[1], "a");
  const int64_t aLayout = Int(info[2], "aLayout");
  auto b = F32(info[3], "b");
  const int64_t bLayout = Int(info[4], "bLayout");
  auto out = F32(info[5], "out");
  const int64_t M = Int(info[6], "M"), N = Int(info[7], "N");
  Require(env, op >= 0 && op < kBinaryCount, "binary: unknown op");
  Require(env, aLayout >= kFull && aLayout <= kColumn && bLayout >= kFull && bLayout <= kColumn, "binary: unknown layout");
  Require(env, M >= 0 && N >= 0 && out.length == size_t(M * N), "binary: out must have M*N elements");
  if (M * N == 0) return env.Undefined();
  Require(env, a.length == size_t(OperandSize(int(aLayout), M, N)), "binary: a does not match its layout");
  Require(env, b.length == size_t(OperandSize(int(bLayout), M, N)), "binary: b does not match its layout");
  const Operand oa{a.data, int(aLayout)}, ob{b.data, int(bLayout)};
  switch (op) {
    case kAdd: Binary<AddF>(oa, ob, out.data, M, N); break;
    case kSub: Binary<SubF>(oa, ob, out.data, M, N); break;
    case kMul: Binary<MulF>(oa, ob, out.data, M, N); break;
    case kDiv: Binary<DivF>(oa, ob, out.data, M, N); break;
    case kMax: Binary<MaxF>(oa, ob, out.data, M, N); break;
  }
  return env.Undefined();
}

// ---------------------------------------------------------------------------------------------------------------
// Row-wise softmax family over x viewed as [rows, cols].

// out = exp(x - shift); returns the sum (accumulated in double, as tfjs does). Two passes over the row (in L1)
// vectorise better than one loop carrying the reduction.
double ExpShiftSum(const float* x, float shift, float* out, int64_t n) {
  for (int64_t j = 0; j < n; ++j) out[j] = FastExp(x[j] - shift);
  return SumF32(out, n);
}

template <typename RowFn>
void ForEachRow(int64_t rows, int64_t cols, RowFn fn) {
#pragma omp parallel for schedule(static) if (rows * cols > kParallelGrain)
  for (int64_t i = 0; i < rows; ++i) fn(i);
}

struct RowArgs {
  View<float> x, out;
  int64_t rows, cols;
};

RowArgs ParseRowArgs(const Napi::CallbackInfo& info, const char* name) {
  auto env = info.Env();
  RowArgs r{F32(info[0], "x"), F32(info[1], "out"), Int(info[2], "rows"), Int(info[3], "cols")};
  Require(env, r.rows >= 0 && r.cols >= 0 && r.x.length == size_t(r.rows * r.cols) && r.out.length == r.x.length,
          std::string(name) + ": x and out must have rows*cols elements");
  return r;
}

// softmax(x, out, rows, cols)
Napi::Value JsSoftmax(const Napi::CallbackInfo& info) {
  const RowArgs r = ParseRowArgs(info, "softmax");
  ForEachRow(r.rows, r.cols, [&](int64_t i) {
    const float* x = r.x.data + i * r.cols;
    float* o = r.out.data + i * r.cols;
    const float inv = float(1.0 / ExpShiftSum(x, MaxF32(x, r.cols), o, r.cols));
    for (int64_t j = 0; j < r.cols; ++j) o[j] *= inv;
  });
  return info.Env().Undefined();
}

// logSoftmax(x, out, rows, cols): out = x - max - log(sum(exp(x - max)))
Napi::Value JsLogSoftmax(const Napi::CallbackInfo& info) {
  const RowArgs r = ParseRowArgs(info, "logSoftmax");
  ForEachRow(r.rows, r.cols, [&](int64_t i) {
    const float* x = r.x.data + i * r.cols;
    float* o = r.out.data + i * r.cols;
    const float m = MaxF32(x, r.cols);
    const float shift = float(double(m) + std::log(ExpShiftSum(x, m, o, r.cols)));
    for (int64_t j = 0; j < r.cols; ++j) o[j] = x[j] - shift;
  });
  return info.Env().Undefined();
}

// logSoftmaxGrad(dy, y, out, rows, cols): with y = logSoftmax(x), dx = dy - exp(y) * sum(dy)
Napi::Value JsLogSoftmaxGrad(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  auto dy = F32(info[0], "dy");
  auto y = F32(info[1], "y");
  auto out = F32(info[2], "out");
  const int64_t rows = Int(info[3], "rows"), cols = Int(info[4], "cols");
  Require(env, rows >= 0 && cols >= 0 && dy.length == size_t(rows * cols) && y.length == dy.length && out.length == dy.length,
          "logSoftmaxGrad: dy, y and out must have rows*cols elements");
  ForEachRow(rows, cols, [&](int64_t i) {
    const float* g = dy.data + i * cols;
    const float* yr = y.data + i * cols;
    float* o = out.data + i * cols;
    const float sum = float(SumF32(g, cols));
    for (int64_t j = 0; j < cols; ++j) o[j] = g[j] - FastExp(yr[j]) * sum;
  });
  return env.Undefined();
}

}  // namespace

void RegisterElementwise(Napi::Env env, Napi::Object exports) {
  exports.Set("unary", Napi::Function::New(env, JsUnary));
  exports.Set("step", Napi::Function::New(env, JsStep));
  exports.Set("binary", Napi::Function::New(env, JsBinary));
  exports.Set("softmax", Napi::Function::New(env, JsSoftmax));
  exports.Set("logSoftmax", Napi::Function::New(env, JsLogSoftmax));
  exports.Set("logSoftmaxGrad", Napi::Function::New(env, JsLogSoftmaxGrad));
}

}  // namespace parsimony
