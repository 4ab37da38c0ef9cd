#include "registry.h"

static Napi::Object InitParsimony(Napi::Env env, Napi::Object exports) {
  using namespace parsimony;
  RegisterGemm(env, exports);
  RegisterElementwise(env, exports);
  RegisterReduce(env, exports);
  RegisterGather(env, exports);
  RegisterRandom(env, exports);
  RegisterLstm(env, exports);
  RegisterGru(env, exports);
  RegisterOptim(env, exports);
  RegisterLoss(env, exports);
  RegisterSparseVd(env, exports);
  RegisterConv(env, exports);
  return exports;
}

NODE_API_MODULE(parsimony_native, InitParsimony)
