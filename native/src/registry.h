// Each native/src/*.cc file that exposes functions to JS defines one Register* function; addon.cc calls them all.
#pragma once
#include <napi.h>

namespace parsimony {
void RegisterGemm(Napi::Env env, Napi::Object exports);        // gemm.cc
void RegisterElementwise(Napi::Env env, Napi::Object exports); // elementwise.cc (unary, binary, softmax)
void RegisterReduce(Napi::Env env, Napi::Object exports);      // reduce.cc
void RegisterGather(Napi::Env env, Napi::Object exports);      // gather.cc (gather, segment sum, transpose)
void RegisterRandom(Napi::Env env, Napi::Object exports);      // random.cc
void RegisterLstm(Napi::Env env, Napi::Object exports);        // lstm.cc
void RegisterGru(Napi::Env env, Napi::Object exports);         // gru.cc
void RegisterOptim(Napi::Env env, Napi::Object exports);       // optim.cc
void RegisterLoss(Napi::Env env, Napi::Object exports);        // loss.cc
void RegisterSparseVd(Napi::Env env, Napi::Object exports);    // sparse_vd.cc
void RegisterConv(Napi::Env env, Napi::Object exports);        // conv.cc (conv2d and max pooling, NHWC)
}  // namespace parsimony
