// Shared helpers for the Parsimony N-API addon: typed-array access, argument checks, threading.
#pragma once
#include <napi.h>
#include <omp.h>
#include <cstdint>
#include <string>

namespace parsimony {

// A non-owning view of a Float32Array / Int32Array argument (zero-copy).
template <typename T>
struct View {
  T* data = nullptr;
  size_t length = 0;
};

inline View<float> F32(const Napi::Value& v, const char* name) {
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array)
    throw Napi::TypeError::New(v.Env(), std::string(name) + ": expected a Float32Array");
  auto a = v.As<Napi::Float32Array>();
  return {a.Data(), a.ElementLength()};
}

inline View<int32_t> I32(const Napi::Value& v, const char* name) {
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_int32_array)
    throw Napi::TypeError::New(v.Env(), std::string(name) + ": expected an Int32Array");
  auto a = v.As<Napi::Int32Array>();
  return {a.Data(), a.ElementLength()};
}

// Optional Float32Array: null/undefined -> empty view.
inline View<float> F32Opt(const Napi::Value& v, const char* name) {
  if (v.IsNull() || v.IsUndefined()) return {};
  return F32(v, name);
}

inline int64_t Int(const Napi::Value& v, const char* name) {
  if (!v.IsNumber()) throw Napi::TypeError::New(v.Env(), std::string(name) + ": expected a number");
  return v.As<Napi::Number>().Int64Value();
}

inline double Num(const Napi::Value& v, const char* name) {
  if (!v.IsNumber()) throw Napi::TypeError::New(v.Env(), std::string(name) + ": expected a number");
  return v.As<Napi::Number>().DoubleValue();
}

inline bool Bool(const Napi::Value& v) { return v.IsBoolean() && v.As<Napi::Boolean>().Value(); }

inline void Require(const Napi::Env& env, bool ok, const std::string& msg) {
  if (!ok) throw Napi::RangeError::New(env, msg);
}

// Loops below this many elements run on one thread: waking the OpenMP team costs more than it saves.
constexpr int64_t kParallelGrain = 1 << 15;

// Threads used by our own loops and by the GEMM library (one knob, set from JS; per calling thread, so each worker
// thread has its own).
int NumThreads();
void SetNumThreads(int n);

}  // namespace parsimony
