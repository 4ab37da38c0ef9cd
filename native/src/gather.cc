#include "common.h"
#include "registry.h"

namespace parsimony {
void RegisterGather(Napi::Env, Napi::Object) {}
}  // namespace parsimony
