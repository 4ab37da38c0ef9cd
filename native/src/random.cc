#include "common.h"
#include "registry.h"

namespace parsimony {
void RegisterRandom(Napi::Env, Napi::Object) {}
}  // namespace parsimony
