#include "common.h"
#include "registry.h"

namespace parsimony {
void RegisterReduce(Napi::Env, Napi::Object) {}
}  // namespace parsimony
